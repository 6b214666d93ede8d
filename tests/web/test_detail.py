"""The appeal page: data, SOP progress, timeline, documents, panel, notes and the current
step's forms for the user whose turn it is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.appeals import services
from banding.appeals.forms.steps import DECLARATION
from banding.sop import definition as sop
from tests.factories import pdf, register, rejection_letter, walk
from tests.web.helpers import action_url, detail_url, valid_data

# DESIGN.md "Performance budget": the appeal page in at most 12 queries, the same whatever
# the appeal's history. Here: the session, the user, the roles; the appeal (with the persons
# involved), its seats, steps, documents, notes, letters, timeline and invitations; the
# unread notifications of the menu.
PAGE_QUERIES = 12
SIMILAR_QUERIES = 5  # the similar appeals' search, on the forms of steps 3 and 9


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def states(response) -> dict[int, str]:
    return {row.step.number: row.state for row in response.context["progress"]}


def slugs(response) -> list[str]:
    return [item.action.slug for item in response.context["shown"]]


def test_progress_of_the_relevant_branch_marks_step_4_not_applicable(client, p):
    appeal = walk(p, register(p), 7)
    client.force_login(p.auditor)
    response = client.get(detail_url(appeal))
    assert states(response) == {
        1: "done",
        2: "done",
        3: "done",
        4: "na",
        5: "done",
        6: "done",
        7: "current",
        9: "ahead",
        10: "ahead",
        11: "ahead",
        12: "ahead",
    }
    body = response.content.decode()
    assert "Tidak berlaku" in body
    assert "maks. 30 hari" in body  # waktu of step 7, from the definition


def test_progress_of_the_rejected_branch_marks_steps_5_to_12_not_applicable(client, p):
    appeal = services.appeal_verify(
        appeal=register(p), user=p.lead, checklist={}, relevant=False, reasons="Tidak relevan."
    )
    client.force_login(p.staff)
    assert states(client.get(detail_url(appeal)))[4] == "current"
    rejection_letter(p, appeal)
    client.post(action_url(appeal, "tolak"), valid_data(p, "tolak"))
    response = client.get(detail_url(appeal))
    assert states(response) == {
        1: "done",
        2: "done",
        3: "done",
        4: "done",
        **dict.fromkeys([5, 6, 7, 9, 10, 11, 12], "na"),
    }
    assert response.context["shown"] == []
    assert "Banding ditolak (tidak relevan)" in response.content.decode()


def test_progress_at_the_decision_shows_both_ways_ahead(client, p):
    appeal = register(p)
    client.force_login(p.staff)
    rows = {row.step.number: row for row in client.get(detail_url(appeal)).context["progress"]}
    assert rows[3].state == "current"
    assert (rows[4].state, rows[4].condition) == ("ahead", "bila tidak relevan")
    assert (rows[5].state, rows[5].condition) == ("ahead", "")


def test_returned_decision_shows_every_occurrence(client, p):
    appeal = walk(p, register(p), 10)
    services.decision_return(appeal=appeal, user=p.head, reasons="Belum jelas.")
    client.force_login(p.head)
    rows = {row.step.number: row for row in client.get(detail_url(appeal)).context["progress"]}
    assert rows[9].state == "current"
    assert [o.outcome for o in rows[9].occurrences] == ["Diputuskan"]
    assert [o.outcome for o in rows[10].occurrences] == ["Dikembalikan ke panel"]


def test_the_user_whose_turn_it_is_sees_the_step_form_with_its_mutu_baku(client, p):
    appeal = register(p)
    client.force_login(p.lead)
    response = client.get(detail_url(appeal))
    assert slugs(response) == ["verifikasi"]
    body = response.content.decode()
    step = sop.step(3)
    for text in (step.kelengkapan, step.output, *step.checklist, step.decision):
        assert text in body
    assert f'action="{action_url(appeal, "verifikasi")}"' in body


def test_others_see_who_must_act_now(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.staff)
    response = client.get(detail_url(appeal))
    assert slugs(response) == []
    body = response.content.decode()
    assert "Bagian/Tim Teknis: Tim Pengujian yang harus bertindak sekarang" in body
    assert response.context["document"] is not None  # staff PJTK may add documents
    client.force_login(p.lead)  # another actor, not of the team (another team: 403)
    response = client.get(detail_url(appeal))
    assert (slugs(response), response.context["document"]) == ([], None)
    client.force_login(p.tech)
    assert slugs(client.get(detail_url(appeal))) == ["usul-panel"]


def test_step_10_offers_approval_and_return(client, p):
    appeal = walk(p, register(p), 10)
    client.force_login(p.head)
    assert slugs(client.get(detail_url(appeal))) == ["setujui", "kembalikan"]


def test_panel_member_declares_first_then_sees_the_investigation_forms(client, p):
    appeal = walk(p, register(p), 7)
    member = p.panel[1]
    client.force_login(member)
    response = client.get(detail_url(appeal))
    assert slugs(response) == []
    assert response.context["declare"].action.slug == "pernyataan"
    assert DECLARATION in response.content.decode()
    assert response.context["document"] is None
    response = client.post(action_url(appeal, "pernyataan"), {})
    assert response.status_code == 302
    response = client.get(detail_url(appeal))
    assert response.context["declare"] is None
    assert slugs(response) == ["catatan", "laporan"]
    assert "Menyatakan bebas benturan kepentingan" in response.content.decode()


def test_page_shows_data_timeline_documents_panel_and_notes(client, p):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[0])
    services.investigation_note(
        appeal=appeal, user=p.panel[0], kind="note", text="Metode uji dibandingkan."
    )
    services.investigation_report(appeal=appeal, user=p.panel[0], report=pdf("laporan.pdf"))
    client.force_login(p.auditor)
    response = client.get(detail_url(appeal))
    body = response.content.decode()
    assert "Hasil uji kadar air tidak sesuai dengan hasil laboratorium kami." in body
    assert "Usulan Tim Panel Banding: Panel 1, Panel 2, Panel 3" in body  # an event
    assert [d.original_name for d in response.context["documents"]] == [
        "surat-banding.pdf",
        "laporan.pdf",
    ]
    for doc in response.context["documents"]:
        assert f'href="/banding/{appeal.public_id}/dokumen/{doc.public_id}/"' in body
    assert "Panel 1 — Ketua" in body
    assert "Metode uji dibandingkan." in body
    assert "Belum membuat pernyataan bebas benturan kepentingan" in body  # Panel 2 and 3


def test_invalid_htmx_post_rerenders_the_step_form_with_errors(client, p):
    appeal = walk(p, register(p), 11)
    client.force_login(p.lead)
    response = client.post(action_url(appeal, "disposisi"), {"note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="langkah-sekarang"')
    assert "Isi disposisi kepada staff PJTK wajib diisi." in body
    assert "Periksa kembali isian yang ditandai." in body


def test_the_attendance_is_ticked_per_seat_of_the_panel(client, p):
    appeal = walk(p, register(p), 9)  # the chair declared at step 7
    client.force_login(p.panel[0])
    form = client.get(detail_url(appeal)).context["shown"][0].form
    seats = [str(u.public_id) for u in p.panel[:3]]
    assert [value for value, _ in form.fields["present"].choices] == seats
    assert form["present"].value() == seats  # all present to start with
    data = {**valid_data(p, "putuskan"), "present": [seats[1]], "guests": "Sari; Notulis; x"}
    response = client.post(action_url(appeal, "putuskan"), data)
    assert response.status_code == 400
    assert response.context["shown"][0].form.errors["guests"] == [
        "Baris 1 peserta lain tidak terbaca: tulis 'Nama; Peran'."
    ]
    data = {**valid_data(p, "putuskan"), "present": [seats[1]]}
    response = client.post(action_url(appeal, "putuskan"), data)
    assert response.status_code == 400
    assert response.context["shown"][0].form.errors["present"] == [
        "Rapat panel tidak kuorum: ketua panel harus hadir."
    ]
    assert "Rapat panel tidak kuorum: ketua panel harus hadir." in response.content.decode()


def test_unknown_appeal_is_404(client, p):
    client.force_login(p.staff)
    assert client.get("/banding/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_staff_adds_a_document_to_an_open_appeal(client, p):
    appeal = register(p)
    client.force_login(p.staff)
    response = client.post(action_url(appeal, "dokumen"), {"upload": pdf("notulen.pdf")})
    assert response.status_code == 400
    assert response.context["document"].form.errors["kind"] == ["Jenis dokumen wajib diisi."]
    response = client.post(action_url(appeal, "dokumen"), valid_data(p, "dokumen"))
    assert response.status_code == 302
    doc = appeal.documents.get(original_name="tambahan.pdf")
    assert (doc.kind, doc.step, doc.uploaded_by) == ("other", 3, p.staff)
    page = client.get(detail_url(appeal)).content.decode()
    assert f"Dokumen ditambahkan pada banding {appeal.number}." in page


def _long_history(p):
    """Closed after every step, with persons involved, a panel, a note, a returned decision
    (a step twice): whatever the page reads, there is some of it."""
    appeal = walk(p, register(p, involved=[p.tech_other, p.panel[3]]), 7)
    services.panel_declare(appeal=appeal, user=p.panel[0])
    services.investigation_note(
        appeal=appeal, user=p.panel[0], kind="note", text="Metode uji dibandingkan."
    )
    services.investigation_report(appeal=appeal, user=p.panel[0], report=pdf("laporan.pdf"))
    appeal.refresh_from_db()
    appeal = walk(p, appeal, 10)
    services.decision_return(appeal=appeal, user=p.head, reasons="Belum jelas.")
    appeal.refresh_from_db()
    return walk(p, appeal, 13)


@pytest.mark.parametrize("who", ["staff", "head", "auditor", "lead"])
def test_a_closed_appeal_costs_the_page_budget_for_every_role(client, p, who):
    appeal = _long_history(p)
    client.force_login(getattr(p, who))
    queries(client, detail_url(appeal))  # warm the per-process caches (calendar)
    assert len(queries(client, detail_url(appeal))) == PAGE_QUERIES


@pytest.mark.parametrize("number", [3, 5, 6, 7, 9, 10, 11, 12])
def test_the_page_with_the_steps_forms_keeps_the_budget_for_whoever_acts(client, p, number):
    # The user whose turn it is sees the current step's forms too: their choice lists (the
    # teams, the panel candidates once for both lists), the head's proposal read from the
    # page's steps, the chair's attendance from the page's seats.
    from django.contrib.auth import get_user_model

    from banding.appeals.actors import Players

    appeal = walk(p, register(p), number)
    actor = sop.step(number).actor
    acting = sorted(Players([appeal]).of(actor, appeal))
    assert acting, f"no one plays {actor} at step {number}"
    user = get_user_model().objects.get(pk=acting[0])
    if appeal.panel_seats.filter(user=user, declared_at__isnull=True).exists():
        services.panel_declare(appeal=appeal, user=user)
    client.force_login(user)
    queries(client, detail_url(appeal))
    response = client.get(detail_url(appeal))
    assert response.context["my_turn"] and response.context["shown"]
    # Steps 3 and 9 list the similar earlier appeals on the form, to confirm which were
    # considered: their search (similar.similar_to), whatever the history's size.
    budget = PAGE_QUERIES + (SIMILAR_QUERIES if number in (3, 9) else 0)
    assert len(queries(client, detail_url(appeal))) <= budget


def test_an_open_appeal_costs_the_page_budget_for_its_panel_member(client, p):
    appeal = walk(p, register(p, involved=[p.panel[3]]), 7)
    client.force_login(p.panel[0])  # the chair: forms, the declaration and similar appeals
    queries(client, detail_url(appeal))
    assert len(queries(client, detail_url(appeal))) == PAGE_QUERIES
    services.panel_declare(appeal=appeal, user=p.panel[0])
    assert len(queries(client, detail_url(appeal))) == PAGE_QUERIES


def test_whether_the_viewer_is_in_the_appeals_team_is_read_with_the_appeal(client, p):
    # Asked for the step's forms and for the letters offered: once, with the appeal row.
    appeal = walk(p, register(p), 5)
    client.force_login(p.tech)
    sql = queries(client, detail_url(appeal))
    assert not any("accounts_technicalteam_members" in q for q in sql[4:])
    response = client.get(detail_url(appeal))
    assert response.context["my_turn"]
    # The proposal letter is made from the recorded proposal: offered once it is recorded.
    assert "usulan_panel" not in [o.kind for o in response.context["letter_offers"]]
    services.panel_propose(appeal=appeal, user=p.tech, members=p.panel[:3], chair=p.panel[0])
    response = client.get(detail_url(appeal))
    assert "usulan_panel" in [o.kind for o in response.context["letter_offers"]]
    assert len(queries(client, detail_url(appeal))) <= PAGE_QUERIES
    client.force_login(p.lead)  # not of the team: no offer (another team's: 403)
    response = client.get(detail_url(appeal))
    assert "usulan_panel" not in [o.kind for o in response.context["letter_offers"]]
    assert len(queries(client, detail_url(appeal))) <= PAGE_QUERIES


def test_the_page_costs_the_same_queries_for_a_new_and_a_long_history(client, p):
    new, long = register(p), _long_history(p)
    client.force_login(p.staff)
    queries(client, detail_url(new))
    # One fewer for the new one: no invitation can exist before the panel's steps, so their
    # query is left out; the long history costs the whole budget, not more.
    assert len(queries(client, detail_url(new))) == PAGE_QUERIES - 1
    assert len(queries(client, detail_url(long))) == PAGE_QUERIES


def test_the_persons_involved_are_read_with_the_appeal(client, p):
    appeal = walk(p, register(p, involved=[p.tech_other, p.tech]), 5)
    client.force_login(p.staff)
    sql = queries(client, detail_url(appeal))
    assert not any("appeals_appeal_involved_persons" in q for q in sql[4:])
    response = client.get(detail_url(appeal))
    names = sorted([p.tech.display_name, p.tech_other.display_name])
    assert response.context["involved"] == names
    assert ", ".join(names) in response.content.decode()
