"""For every action endpoint: the wrong role, a customer and the right role in the wrong
state are refused with a code and a message, and nothing changes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Appeal
from banding.sop import definition as sop
from tests.factories import (
    Personas,
    decision_letter,
    delivery_letter,
    issued,
    pdf,
    register,
    rejection_letter,
    walk,
)
from tests.state import capture


def _at(p: Personas, step: int) -> Appeal:
    """An appeal standing at `step` (step 4 through the not-relevant branch)."""
    appeal = register(p)
    if step == 4:
        return services.appeal_verify(
            appeal=appeal, user=p.lead, checklist={}, relevant=False, reasons="Tidak relevan."
        )
    return walk(p, appeal, step)


def _with_outputs(p: Personas, step: int) -> Appeal:
    """An appeal at `step` with the letter that step requires already issued."""
    appeal = _at(p, step)
    if step == 4:
        rejection_letter(p, appeal)
    elif step == 10:
        decision_letter(p, appeal)
    elif step == 12:
        delivery_letter(p, appeal)
    elif step == 3:
        services.appeal_verify(
            appeal=appeal,
            user=p.lead,
            checklist=dict.fromkeys(sop.step(3).checklist, True),
            relevant=True,
            technical_team=p.team_a,
        )
        issued(appeal, "nota_dinas", p.lead, p.lead)
    return appeal


def _closed(p: Personas) -> Appeal:
    return walk(p, register(p), 13)


def _panel(p: Personas) -> dict:
    return {"members": [str(m.public_id) for m in p.panel[:3]], "chair": str(p.panel[0].public_id)}


def _declared(p: Personas, step: int) -> Appeal:
    appeal = _at(p, step)
    if step == 7:
        services.panel_declare(appeal=appeal, user=p.panel[0])
    return appeal


NOW = timezone.now


@dataclass(frozen=True)
class Case:
    path: str
    actor: str  # Personas attribute of the right user ("chair" = p.panel[0])
    wrong: str  # an institute user who does not play that actor
    ready: Callable[[Personas], Appeal]  # an appeal where the actor may act
    elsewhere: Callable[[Personas], Appeal]  # where the actor may not act (wrong state)
    body: Callable[[Personas], dict]
    state_code: str = "wrong_step"
    multipart: bool = False


CASES = {
    "verify": Case(
        "verify",
        "lead",
        "staff",
        lambda p: _at(p, 3),
        lambda p: _at(p, 5),
        lambda p: {
            "checklist": dict.fromkeys(sop.step(3).checklist, True),
            "relevant": True,
            "technical_team": p.team_a.code,
        },
    ),
    "reject": Case(
        "reject",
        "staff",
        "lead",
        lambda p: _with_outputs(p, 4),
        lambda p: _at(p, 3),
        lambda p: {"delivered_at": NOW(), "channel": "email"},
    ),
    "complete": Case(
        "steps/3/complete",
        "lead",
        "staff",
        lambda p: _with_outputs(p, 3),
        lambda p: _at(p, 5),
        lambda p: {},
    ),
    "propose": Case(
        "panel/propose",
        "tech",
        "lead",
        lambda p: _at(p, 5),
        lambda p: _at(p, 6),
        _panel,
    ),
    "appoint": Case(
        "panel/appoint", "head", "lead", lambda p: _at(p, 6), lambda p: _at(p, 5), _panel
    ),
    "declare": Case(
        "panel/declare",
        "chair",
        "staff",
        lambda p: _at(p, 7),
        lambda p: _declared(p, 7),
        lambda p: {},
        state_code="already_declared",
    ),
    "note": Case(
        "investigation/notes",
        "chair",
        "staff",
        lambda p: _declared(p, 7),
        lambda p: _at(p, 9),
        lambda p: {"kind": "note", "text": "Sampel arsip diperiksa."},
    ),
    "report": Case(
        "investigation/report",
        "chair",
        "staff",
        lambda p: _declared(p, 7),
        lambda p: _at(p, 9),
        lambda p: {"report": pdf("laporan.pdf"), "summary": "Ringkasan."},
        multipart=True,
    ),
    "decide": Case(
        "decision",
        "chair",
        "head",
        lambda p: _at(p, 9),
        lambda p: _declared(p, 7),
        lambda p: {
            "meeting_at": NOW(),  # the panel was appointed just before
            "place": "Ruang Rapat 1",
            "attendance": [
                {"member": str(u.public_id), "present": True} for u in (p.panel[0], p.panel[1])
            ],
            "minutes": "Notulen.",
            "decision": "ditolak",
            "reasons": "Hasil uji sesuai metode.",
        },
    ),
    "approve": Case(
        "decision/approve",
        "head",
        "lead",
        lambda p: _with_outputs(p, 10),
        lambda p: _at(p, 9),
        lambda p: {"disposition": "Tindak lanjuti."},
    ),
    "return": Case(
        "decision/return",
        "head",
        "lead",
        lambda p: _at(p, 10),
        lambda p: _at(p, 11),
        lambda p: {"reasons": "Lengkapi notulen."},
    ),
    "disposition": Case(
        "disposition",
        "lead",
        "head",
        lambda p: _at(p, 11),
        lambda p: _at(p, 12),
        lambda p: {"note": "Sampaikan."},
    ),
    "close": Case(
        "close",
        "staff",
        "lead",
        lambda p: _with_outputs(p, 12),
        lambda p: _at(p, 11),
        lambda p: {
            "delivered_at": NOW(),
            "channel": "email",
            "cabinet": "L-01",
            "box": "B-1",
            "folder": "M-1",
        },
    ),
    "document": Case(
        "documents",
        "staff",
        "auditor",
        lambda p: _at(p, 3),
        _closed,
        lambda p: {"file": pdf("tambahan.pdf"), "kind": "supporting"},
        state_code="appeal_closed",
        multipart=True,
    ),
}


def _user(p: Personas, name: str):
    return p.panel[0] if name == "chair" else getattr(p, name)


def _call(api, user, appeal: Appeal, case: Case, p: Personas):
    path = f"/appeals/{appeal.public_id}/{case.path}"
    caller = api(user)
    return caller.upload(path, case.body(p)) if case.multipart else caller.post(path, case.body(p))


def _refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.parametrize("name", CASES)
def test_the_right_user_may_act(api, p, name):
    case = CASES[name]
    appeal = case.ready(p)
    response = _call(api, _user(p, case.actor), appeal, case, p)
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == str(appeal.public_id)


@pytest.mark.parametrize("name", CASES)
def test_the_wrong_role_is_refused_and_nothing_changes(api, p, name):
    case = CASES[name]
    appeal = case.ready(p)
    before = capture()
    body = _refused(_call(api, _user(p, case.wrong), appeal, case, p), 403, "not_your_role")
    assert capture() == before
    if name not in {"declare", "document"}:
        assert body["message"].endswith("; Anda tidak berperan itu.")


@pytest.mark.parametrize("name", CASES)
def test_the_customer_is_refused_on_its_own_appeal_and_nothing_changes(api, p, name):
    case = CASES[name]
    appeal = case.ready(p)
    before = capture()
    _refused(_call(api, p.customer, appeal, case, p), 403, "not_your_role")
    assert capture() == before


@pytest.mark.parametrize("name", CASES)
def test_another_customer_does_not_find_the_appeal(api, p, name):
    case = CASES[name]
    appeal = case.ready(p)
    before = capture()
    body = _refused(_call(api, p.customer_other, appeal, case, p), 404, "not_found")
    assert body["message"] == "Banding tidak ditemukan."
    assert capture() == before


@pytest.mark.parametrize("name", CASES)
def test_the_right_role_in_the_wrong_state_gets_409_and_nothing_changes(api, p, name):
    case = CASES[name]
    appeal = case.elsewhere(p)
    before = capture()
    _refused(_call(api, _user(p, case.actor), appeal, case, p), 409, case.state_code)
    assert capture() == before


def test_a_wrong_role_message_names_who_acts(api, p):
    appeal = _at(p, 3)
    body = api(p.staff).post(f"/appeals/{appeal.public_id}/verify", CASES["verify"].body(p)).json()
    assert body == {
        "code": "not_your_role",
        "message": (
            "Langkah 3 (Verifikasi kelengkapan dan relevansi) dikerjakan oleh Ketua Tim PJTK; "
            "Anda tidak berperan itu."
        ),
        "fields": {},
    }


def test_a_panel_member_must_declare_before_acting(api, p):
    appeal = _at(p, 7)
    before = capture()
    response = api(p.panel[0]).post(
        f"/appeals/{appeal.public_id}/investigation/notes", {"text": "Catatan."}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "declaration_required"
    assert capture() == before


def test_a_wrong_state_message_names_where_the_appeal_stands(api, p):
    appeal = _at(p, 5)
    body = api(p.lead).post(f"/appeals/{appeal.public_id}/verify", CASES["verify"].body(p)).json()
    assert body == {
        "code": "wrong_step",
        "message": (
            f"Banding {appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding), "
            "bukan langkah 3 (Verifikasi kelengkapan dan relevansi)."
        ),
        "fields": {},
    }


def test_a_closed_appeal_refuses_its_steps_as_closed(api, p):
    appeal = _closed(p)
    body = api(p.staff).post(f"/appeals/{appeal.public_id}/close", CASES["close"].body(p)).json()
    assert body["code"] == "appeal_closed"
    assert body["message"] == (
        f"Banding {appeal.number} sudah selesai; langkah 12 "
        "(Penyampaian keputusan dan pengarsipan) tidak dapat dikerjakan lagi."
    )


def test_intake_is_refused_to_other_roles_and_customers(api, p):
    before_count = Appeal.objects.count()
    for user in (p.lead, p.head, p.customer):
        response = api(user).upload(
            "/appeals",
            {
                "organization": str(p.org.public_id),
                "contact_name": "Budi",
                "channel": "email",
                "received_at": (NOW() - timedelta(hours=1)).isoformat(),
                "complaint_reference": "KEL/1",
                "complaint_outcome_date": (NOW() - timedelta(days=3)).date().isoformat(),
                "service_type": "pengujian",
                "grounds": "Alasan.",
                "remedy_sought": "Uji ulang.",
                "letter": pdf(),
            },
        )
        body = _refused(response, 403, "not_your_role")
        assert body["message"] == (
            "Langkah 2 (Penerimaan dan pencatatan) dikerjakan oleh Staff PJTK; "
            "Anda tidak berperan itu."
        )
    assert Appeal.objects.count() == before_count


def test_intake_refuses_the_role_before_reading_the_body(api, p):
    """A caller without the role is told so, not what is wrong with a body it may not send:
    an empty form, an unknown organisation, or a batch that is not JSON."""
    unknown = str(uuid.uuid4())
    for user in (p.head, p.customer):
        _refused(api(user).upload("/appeals", {}), 403, "not_your_role")
        _refused(api(user).upload("/appeals", {"organization": unknown}), 403, "not_your_role")
        for appeals in ("bukan json", json.dumps([{"organization": unknown, "letter": "x"}])):
            response = api(user).upload("/appeals/batch", {"appeals": appeals})
            _refused(response, 403, "not_your_role")
    # The right role with the same bodies gets what is wrong with them.
    assert api(p.staff).upload("/appeals", {}).json()["code"] == "validation_error"
    assert api(p.staff).upload("/appeals/batch", {"appeals": "bukan json"}).status_code == 400
