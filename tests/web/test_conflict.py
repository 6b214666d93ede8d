"""The appeal page's panel parts: the declaration with both answers, the vacancy banner, the
head's replacement form (only those who may sit offered, the others listed with why) and the
vacated seat shown with its reason."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import services
from banding.appeals.models import PanelSeat
from banding.letters.models import Letter
from tests.factories import register, walk
from tests.state import capture
from tests.web.helpers import action_url, detail_url

REASON = "Saya kerabat pemilik PT Kimia Nusantara."
# The page budget (tests/web/test_detail.py) and, for the head facing a vacancy, the
# replacement form's candidates and the involved persons of its list.
PAGE_QUERIES = 12


def page_queries(client, appeal) -> int:
    client.get(detail_url(appeal))  # warm the per-process caches (calendar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(detail_url(appeal))
    assert response.status_code == 200
    return len(captured.captured_queries)


def vacated(p):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1], conflict=True, description=REASON)
    return appeal


def test_a_member_declares_a_conflict_from_the_page_and_leaves_it(client, p):
    appeal = walk(p, register(p), 7)
    client.force_login(p.panel[1])
    body = client.get(detail_url(appeal)).content.decode()
    assert "Tidak ada konflik" in body and "Ada konflik" in body

    response = client.post(
        action_url(appeal, "pernyataan"), {"answer": "ada", "description": REASON}
    )

    assert response.status_code == 302
    assert response.url == "/"  # Tugas saya: the appeal is no longer theirs
    seat = PanelSeat.objects.get(appeal=appeal, user=p.panel[1])
    assert (seat.conflict, seat.conflict_description) == (True, REASON)
    assert seat.vacated_at is not None


def test_a_conflict_without_description_is_refused_on_the_page(client, p):
    appeal = walk(p, register(p), 7)
    client.force_login(p.panel[1])
    before = capture()

    response = client.post(action_url(appeal, "pernyataan"), {"answer": "ada"})

    assert response.status_code == 400
    assert "Uraikan benturan kepentingan yang Anda nyatakan." in response.content.decode()
    assert capture() == before


def test_the_panel_sees_the_vacancy_and_its_actions_are_refused(client, p):
    appeal = vacated(p)
    services.panel_declare(appeal=appeal, user=p.panel[0])
    client.force_login(p.panel[0])

    body = client.get(detail_url(appeal)).content.decode()
    assert "Tim Panel Banding belum lengkap" in body
    assert REASON in body  # the vacated seat with its reason
    response = client.post(
        action_url(appeal, "catatan"), {"kind": "note", "text": "Memeriksa data."}
    )

    assert response.status_code == 409
    assert "menunggu Kepala Balai menunjuk penggantinya" in response.content.decode()


def test_the_head_sees_the_replacement_form_with_only_those_who_may_sit(client, p):
    appeal = vacated(p)
    client.force_login(p.head)

    response = client.get(detail_url(appeal))

    form = response.context["replace"].form
    offered = {u.username for u in form.eligible}
    assert "panel_4" in offered and not {"panel_1", "panel_2", "panel_3"} & offered
    why = {u.username: reason for u, reason in form.ineligible}
    assert why["panel_2"] == "menyatakan benturan kepentingan pada banding ini"
    assert why["panel_1"] == "sudah duduk di Tim Panel Banding banding ini"
    body = response.content.decode()
    assert "menyatakan benturan kepentingan pada banding ini" in body


def test_the_head_appoints_the_replacement_from_the_page(client, p):
    appeal = vacated(p)
    client.force_login(p.head)

    response = client.post(
        action_url(appeal, "ganti-panel"),
        {"vacated": p.panel[1].pk, "member": p.panel[3].pk, "chair": ""},
    )

    assert response.status_code == 302
    seat = PanelSeat.objects.get(appeal=appeal, user=p.panel[3])
    assert seat.replaces.user == p.panel[1]
    assert Letter.objects.filter(appeal=appeal, status="draft", version=2).exists()
    body = client.get(detail_url(appeal)).content.decode()
    assert "penunjukan pengganti (Panel 4) menunggu surat tugas" in body


def test_an_involved_replacement_is_refused_on_the_page(client, p):
    appeal = walk(p, register(p, involved=[p.panel[3]]), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1], conflict=True, description=REASON)
    client.force_login(p.head)
    before = capture()

    response = client.post(
        action_url(appeal, "ganti-panel"), {"vacated": p.panel[1].pk, "member": p.panel[3].pk}
    )

    assert response.status_code == 400
    assert "tidak dapat duduk di Tim Panel Banding" in response.content.decode()
    assert capture() == before


def test_others_may_not_appoint_a_replacement(client, p):
    appeal = vacated(p)
    client.force_login(p.lead)
    before = capture()

    response = client.post(
        action_url(appeal, "ganti-panel"), {"vacated": p.panel[1].pk, "member": p.panel[3].pk}
    )

    assert response.status_code == 403
    assert capture() == before


def test_the_page_keeps_its_budget_with_a_vacancy(client, p):
    appeal = vacated(p)
    client.force_login(p.panel[0])
    assert page_queries(client, appeal) == PAGE_QUERIES
    client.force_login(p.head)
    # The replacement form's candidates: one query (the involved persons come with the
    # appeal, the seats with the page).
    assert page_queries(client, appeal) == PAGE_QUERIES + 1


def test_the_heads_tugas_saya_lists_the_vacancy_until_a_replacement_is_appointed(client, p):
    appeal = vacated(p)
    other = walk(p, register(p), 7)  # a complete panel: not listed
    inbox = reverse("appeals:inbox")
    client.force_login(p.head)

    listed = client.get(inbox)

    assert [a.number for a in listed.context["vacancies"]] == [appeal.number]
    assert "Kursi Tim Panel Banding kosong" in listed.content.decode()
    assert other.number not in [a.number for a in listed.context["vacancies"]]
    services.panel_replace(appeal=appeal, user=p.head, vacated=p.panel[1], member=p.panel[3])
    assert list(client.get(inbox).context["vacancies"]) == []


def test_only_the_head_is_shown_panel_vacancies(client, p):
    vacated(p)
    client.force_login(p.lead)

    response = client.get(reverse("appeals:inbox"))

    assert list(response.context["vacancies"]) == []
    assert "Kursi Tim Panel Banding kosong" not in response.content.decode()


def test_the_heads_tugas_saya_costs_the_same_queries_however_many_vacancies(client, p):
    vacated(p)
    client.force_login(p.head)
    inbox = reverse("appeals:inbox")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(inbox).status_code == 200
        return len(captured.captured_queries)

    one = count()
    vacated(p), vacated(p)
    assert len(client.get(inbox).context["vacancies"]) == 3
    assert count() == one
