"""Every action through the web: the wrong role, a customer, and the right role in the wrong
state are refused with a clear message and status, and nothing changes."""

from __future__ import annotations

import pytest

from banding.appeals import access, services
from banding.appeals.models import Appeal
from banding.appeals.views.common import STAFF_ONLY
from banding.sop import definition as sop
from tests.factories import Personas, register, walk
from tests.state import capture
from tests.web.helpers import action_url, valid_data

# slug → (step, who acts, someone else with a role and a part in the appeal who does not act
# at this step, where the appeal stands when the right person tries it in the wrong state).
# Someone without any part is refused before the step (need to know: test_need_to_know).
CASES = {
    "verifikasi": (3, "lead", "staff", 5),
    "tolak": (4, "staff", "lead", 3),
    "usul-panel": (5, "tech", "lead", 6),
    "tunjuk-panel": (6, "head", "lead", 5),
    "catatan": (7, "chair", "tech", 10),
    "laporan": (7, "chair", "tech", 10),
    "putuskan": (9, "chair", "tech", 7),
    "setujui": (10, "head", "lead", 9),
    "kembalikan": (10, "head", "auditor", 7),
    "disposisi": (11, "lead", "staff", 3),
    "tutup": (12, "staff", "head", 11),
}


def person(p: Personas, name: str):
    return {"chair": p.panel[0], "outsider": p.panel[3]}.get(name) or getattr(p, name)


def appeal_at(p: Personas, number: int) -> Appeal:
    """An appeal standing at step `number` (step 4 by the not-relevant branch); the panel
    chair has declared once the panel is seated."""
    appeal = register(p)
    if number == 4:
        return services.appeal_verify(
            appeal=appeal, user=p.lead, checklist={}, relevant=False, reasons="Tidak relevan."
        )
    appeal = walk(p, appeal, number)
    if number == 7:
        services.panel_declare(appeal=appeal, user=p.panel[0])
    return appeal


def post(client, user, appeal, slug, p):
    client.force_login(user)
    return client.post(action_url(appeal, slug), valid_data(p, slug))


@pytest.mark.parametrize("slug", CASES)
def test_wrong_role_is_refused_and_nothing_changes(client, p, slug):
    number, _, wrong, _ = CASES[slug]
    appeal = appeal_at(p, number)
    before = capture()
    response = post(client, person(p, wrong), appeal, slug, p)
    assert response.status_code == 403
    actor = sop.step(number).actor
    assert access.actor_refusal(actor, number) in response.content.decode()
    assert capture() == before


@pytest.mark.parametrize("slug", [*CASES, "pernyataan", "dokumen"])
def test_customer_is_refused_and_nothing_changes(client, p, slug):
    number = CASES.get(slug, (7,))[0]
    appeal = appeal_at(p, number)
    before = capture()
    response = post(client, p.customer, appeal, slug, p)
    assert response.status_code == 403
    assert STAFF_ONLY in response.content.decode()
    assert capture() == before


@pytest.mark.parametrize("slug", CASES)
def test_right_role_in_wrong_state_is_refused_and_nothing_changes(client, p, slug):
    number, right, _, elsewhere = CASES[slug]
    appeal = appeal_at(p, elsewhere)
    before = capture()
    response = post(client, person(p, right), appeal, slug, p)
    assert response.status_code == 409
    here, wanted = sop.step(elsewhere), sop.step(number)
    message = (
        f"Banding {appeal.number} sedang berada di langkah {here.number} ({here.title}), "
        f"bukan langkah {wanted.number} ({wanted.title})."
    )
    assert message in response.content.decode()
    assert capture() == before


@pytest.mark.parametrize("slug", ["verifikasi", "tutup"])
def test_action_on_a_closed_appeal_is_refused(client, p, slug):
    appeal = appeal_at(p, 13)
    before = capture()
    number, right, _, _ = CASES[slug]
    response = post(client, person(p, right), appeal, slug, p)
    assert response.status_code == 409
    s = sop.step(number)
    assert (
        f"Banding {appeal.number} sudah selesai; langkah {s.number} ({s.title}) tidak dapat "
        "dikerjakan lagi."
    ) in response.content.decode()
    assert capture() == before


def test_refusal_through_htmx_answers_with_the_panel_only(client, p):
    appeal = appeal_at(p, 3)
    before = capture()
    client.force_login(p.staff)
    response = client.post(
        action_url(appeal, "verifikasi"), valid_data(p, "verifikasi"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="langkah-sekarang"')
    assert access.actor_refusal(sop.Actor.KTP, 3) in body
    assert capture() == before


def test_panel_member_must_declare_before_acting(client, p):
    appeal = walk(p, register(p), 7)
    before = capture()
    response = post(client, p.panel[1], appeal, "catatan", p)
    assert response.status_code == 403
    assert (
        "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai "
        "anggota Tim Panel Banding."
    ) in response.content.decode()
    assert capture() == before


def test_declaration_is_refused_to_a_non_member_and_when_already_made(client, p):
    appeal = appeal_at(p, 7)  # the chair has declared
    before = capture()
    response = post(client, p.tech, appeal, "pernyataan", p)  # of the team, not the panel
    assert response.status_code == 403
    assert (
        "Hanya anggota Tim Panel Banding banding ini yang membuat pernyataan."
        in response.content.decode()
    )
    response = post(client, p.panel[0], appeal, "pernyataan", p)
    assert response.status_code == 409
    assert "Anda sudah menyatakan bebas benturan kepentingan." in response.content.decode()
    assert capture() == before


def test_document_add_is_refused_to_others_and_on_a_closed_appeal(client, p):
    appeal = appeal_at(p, 3)
    before = capture()
    response = post(client, p.head, appeal, "dokumen", p)
    assert response.status_code == 403
    assert (
        "Dokumen ditambahkan oleh staff PJTK atau pelaksana langkah yang sedang berjalan."
        in response.content.decode()
    )
    assert capture() == before

    closed = appeal_at(p, 13)
    before = capture()
    response = post(client, p.staff, closed, "dokumen", p)
    assert response.status_code == 409
    assert (
        f"Banding {closed.number} sudah ditutup; berkasnya tidak dapat ditambah."
        in response.content.decode()
    )
    assert capture() == before


def test_involved_person_cannot_be_appointed(client, p):
    appeal = walk(p, register(p, involved=[p.panel[3]]), 6)
    before = capture()
    client.force_login(p.head)
    data = {"members": [p.panel[0].pk, p.panel[3].pk], "chair": p.panel[0].pk}
    response = client.post(action_url(appeal, "tunjuk-panel"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Panel 4 terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat duduk di "
        "Tim Panel Banding (ISO/IEC 17025 7.9.6)."
    ) in body
    assert "Pihak yang terlibat tidak dapat ditunjuk." in body  # on the members field
    assert capture() == before


def test_invalid_data_is_refused_with_field_errors(client, p):
    appeal = appeal_at(p, 3)
    before = capture()
    client.force_login(p.lead)
    response = client.post(
        action_url(appeal, "verifikasi"), {"relevant": "not_relevant", "reasons": "  "}
    )
    assert response.status_code == 400
    form = response.context["shown"][0].form
    assert form.errors["reasons"] == ["Alasan wajib diisi bila banding tidak relevan."]
    assert response.context["error"] == "Alasan wajib diisi bila banding tidak relevan."
    response = client.post(action_url(appeal, "verifikasi"), {})
    assert response.status_code == 400
    form = response.context["shown"][0].form
    assert form.errors["relevant"] == ["Banding relevan? wajib diisi."]
    assert capture() == before


def test_unknown_action_and_get_are_refused(client, p):
    appeal = appeal_at(p, 3)
    client.force_login(p.lead)
    assert client.post(action_url(appeal, "hapus"), {}).status_code == 404
    assert client.get(action_url(appeal, "verifikasi")).status_code == 405


def test_involved_head_cannot_approve(client, p):
    appeal = walk(p, register(p, involved=[p.head]), 10)
    before = capture()
    response = post(client, p.head, appeal, "setujui", p)
    assert response.status_code == 403
    assert (
        "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menyetujui "
        "keputusan banding ini (ISO/IEC 17025 7.9.6)."
    ) in response.content.decode()
    assert capture() == before
