"""Every step with a required output, through the service, the staff page and the API: without
its outputs completing it is refused with output_missing and the missing kinds, and nothing is
written; once they are issued it completes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from banding.appeals import services
from banding.errors import Conflict
from banding.sop import definition as sop
from tests.api.conftest import api  # noqa: F401  (the `api` fixture)
from tests.factories import (
    Personas,
    decision_letter,
    delivery_letter,
    issued,
    not_relevant,
    present_seats,
    register,
    rejection_letter,
    similar_confirmed,
    walk,
)
from tests.state import assert_stands_at, capture, refused
from tests.web.helpers import action_url, minutes_ago


def _record(p: Personas, appeal, number: int) -> None:
    """The facts of a record-first step, recorded by its actor."""
    chair = p.panel[0]
    if number == 3:
        services.appeal_verify(
            appeal=appeal,
            **similar_confirmed(appeal),
            user=p.lead,
            checklist=dict.fromkeys(sop.step(3).checklist, True),
            relevant=True,
            technical_team=p.team_a,
        )
    elif number == 5:
        services.panel_propose(appeal=appeal, user=p.tech, members=p.panel[:3], chair=chair)
    elif number == 6:
        services.panel_appoint(appeal=appeal, user=p.head, members=p.panel[:3], chair=chair)
    elif number == 9:
        services.panel_decide(
            appeal=appeal,
            user=chair,
            meeting_at=timezone.now(),
            place="Ruang Rapat 1",
            attendance=present_seats(appeal),
            minutes="Panel membahas hasil investigasi.",
            decision="ditolak",
            reasons="Keberatan tidak terbukti.",
            **similar_confirmed(appeal),
        )


@dataclass(frozen=True)
class Gate:
    number: int
    kinds: list[str]  # what is missing before
    who: str  # the persona who completes the step
    complete: Callable  # (p, appeal, user) -> completes the step
    web: tuple[str, dict]  # the page's action and its data
    api: tuple[str, dict]  # the API's path and body
    make: Callable  # (p, appeal) -> issues the outputs


def _complete(number: int):
    return lambda p, appeal, user: services.step_complete(appeal=appeal, user=user, number=number)


def _issue(*kinds_and_people):
    def make(p, appeal):
        for kind, drafter, signer in kinds_and_people:
            issued(appeal, kind, getattr(p, drafter), getattr(p, signer))

    return make


def _panel_letters(p, appeal):
    chair = p.panel[0]
    issued(appeal, "daftar_hadir", chair, chair)
    issued(appeal, "notulen", chair, chair)


DELIVERY = {"delivered_at": minutes_ago(), "channel": "email"}
ARCHIVE = {**DELIVERY, "cabinet": "L-01", "box": "B-1", "folder": "M-1"}
GATES = {
    3: Gate(
        3,
        ["nota_dinas"],
        "lead",
        _complete(3),
        ("selesaikan", {"number": 3}),
        ("steps/3/complete", {}),
        _issue(("nota_dinas", "lead", "lead")),
    ),
    4: Gate(
        4,
        ["penolakan"],
        "staff",
        lambda p, appeal, user: services.appeal_reject(
            appeal=appeal, user=user, delivered_at=timezone.now(), channel="email"
        ),
        ("tolak", DELIVERY),
        ("reject", {"delivered_at": timezone.now(), "channel": "email"}),
        lambda p, appeal: rejection_letter(p, appeal),
    ),
    5: Gate(
        5,
        ["usulan_panel"],
        "tech",
        _complete(5),
        ("selesaikan", {"number": 5}),
        ("steps/5/complete", {}),
        _issue(("usulan_panel", "tech", "tech")),
    ),
    6: Gate(
        6,
        ["penunjukan_panel"],
        "head",
        _complete(6),
        ("selesaikan", {"number": 6}),
        ("steps/6/complete", {}),
        _issue(("penunjukan_panel", "staff", "head")),
    ),
    9: Gate(
        9,
        ["daftar_hadir", "notulen"],
        "chair",
        _complete(9),
        ("selesaikan", {"number": 9}),
        ("steps/9/complete", {}),
        _panel_letters,
    ),
    10: Gate(
        10,
        ["keputusan"],
        "head",
        lambda p, appeal, user: services.decision_approve(
            appeal=appeal, user=user, disposition="Tindak lanjuti."
        ),
        ("setujui", {"disposition": "Tindak lanjuti."}),
        ("decision/approve", {"disposition": "Tindak lanjuti."}),
        lambda p, appeal: decision_letter(p, appeal),
    ),
    12: Gate(
        12,
        ["penyampaian"],
        "staff",
        lambda p, appeal, user: services.appeal_close(
            appeal=appeal,
            user=user,
            delivered_at=timezone.now(),
            channel="email",
            cabinet="L-01",
            box="B-1",
            folder="M-1",
        ),
        ("tutup", ARCHIVE),
        ("close", {**ARCHIVE, "delivered_at": timezone.now()}),
        lambda p, appeal: delivery_letter(p, appeal),
    ),
}


def _user(p: Personas, name: str):
    return p.panel[0] if name == "chair" else getattr(p, name)


def _at(p: Personas, number: int):
    """An appeal standing at step `number`, its facts recorded where the step records first,
    its outputs not yet made."""
    appeal = register(p)
    if number == 4:
        return not_relevant(p, appeal)
    appeal = walk(p, appeal, number)  # the chair declared during the investigation
    if sop.step(number).record_first:
        _record(p, appeal, number)
    appeal.refresh_from_db()
    return appeal


def _message(gate: Gate) -> str:
    s = sop.step(gate.number)
    labels = "; ".join(f"{o.label} belum terbit" for o in s.required(s.outcomes[0].key))
    return (
        f"Langkah {s.number} ({s.title}) belum dapat diselesaikan: {labels}. Output langkah "
        "ini wajib ada sebelum langkah diselesaikan."
    )


def test_every_step_that_requires_an_output_has_a_case_here():
    required = {s.number for s in sop.STEPS if any(r.output.letter for r in s.outputs)}
    # Step 11 passes on step 10's decision, which no one can take back once approved.
    assert required - {11} == set(GATES)


@pytest.mark.parametrize("number", GATES)
def test_the_service_refuses_without_the_outputs_and_completes_with_them(p, number):
    gate = GATES[number]
    appeal = _at(p, number)
    user = _user(p, gate.who)

    error = refused(
        lambda: gate.complete(p, appeal, user), Conflict, _message(gate), "output_missing"
    )
    assert error.fields == {"outputs": gate.kinds}

    gate.make(p, appeal)
    gate.complete(p, appeal, user)
    appeal.refresh_from_db()
    assert appeal.current_step != number


@pytest.mark.parametrize("number", GATES)
def test_the_page_refuses_without_the_outputs_with_409_and_writes_nothing(client, p, number):
    gate = GATES[number]
    appeal = _at(p, number)
    client.force_login(_user(p, gate.who))
    before = capture()
    slug, data = gate.web

    response = client.post(action_url(appeal, slug), data)

    assert response.status_code == 409
    assert _message(gate) in response.content.decode()
    assert capture() == before
    assert_stands_at(appeal, number)


@pytest.mark.parametrize("number", GATES)
def test_the_api_refuses_without_the_outputs_with_409_and_writes_nothing(api, p, number):  # noqa: F811
    gate = GATES[number]
    appeal = _at(p, number)
    before = capture()
    path, body = gate.api

    response = api(_user(p, gate.who)).post(f"/appeals/{appeal.public_id}/{path}", body)

    assert response.status_code == 409
    assert response.json() == {
        "code": "output_missing",
        "message": _message(gate),
        "fields": {"outputs": gate.kinds},
    }
    assert capture() == before


def test_the_page_offers_the_missing_outputs_to_draft(client, p):
    appeal = _at(p, 9)
    client.force_login(p.panel[0])

    html = client.get(reverse("appeals:detail", args=[appeal.public_id])).content.decode()

    assert "Output langkah 9" in html
    assert "Buat draf Daftar hadir rapat panel" in html
    assert "Buat draf Notulen rapat panel" in html
