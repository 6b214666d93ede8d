"""The API's panel endpoints: the declaration with {conflict, description} and the head's
replacement; refusals answer JSON {code, message, fields} and write nothing."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.letters import services as letters
from banding.letters.models import Letter
from tests.factories import PASSWORD, register, walk
from tests.state import capture

REASON = "Saya kerabat pemilik PT Kimia Nusantara."


def url(appeal, tail: str) -> str:
    return f"/appeals/{appeal.public_id}/{tail}"


def test_a_declared_conflict_then_a_replacement_through_the_api(api, p):
    appeal = walk(p, register(p), 7)
    api(p.panel[0]).post(url(appeal, "panel/declare"))  # no body: no conflict

    response = api(p.panel[1]).post(
        url(appeal, "panel/declare"), {"conflict": True, "description": REASON}
    )

    assert response.status_code == 200
    seat = next(s for s in response.json()["panel"] if s["user"]["name"] == "Panel 2")
    assert seat["conflict"] is True and seat["conflict_description"] == REASON
    assert seat["vacated_at"] is not None
    chair = api(p.panel[0])
    refused = chair.post(url(appeal, "investigation/notes"), {"kind": "note", "text": "Cek."})
    assert refused.status_code == 409
    assert refused.json()["code"] == "panel_incomplete"

    head = api(p.head)
    with CaptureQueriesContext(connection) as captured:
        response = head.post(
            url(appeal, "panel/replace"),
            {"vacated": str(p.panel[1].public_id), "member": str(p.panel[3].public_id)},
        )

    assert response.status_code == 200, response.json()
    # The token, the users, the lock, the seats, the letter and its correction, the seat and
    # the events, then the appeal as it stands: a fixed cost, whatever the panel's size.
    assert len(captured.captured_queries) <= 45
    new = next(s for s in response.json()["panel"] if s["user"]["name"] == "Panel 4")
    assert new["replaces"]["name"] == "Panel 2" and new["declared_at"] is None
    draft = Letter.objects.get(appeal=appeal, status="draft", version=2)
    letters.letter_issue(letter=draft, user=p.head, password=PASSWORD)
    declared = api(p.panel[3]).post(url(appeal, "panel/declare"), {"conflict": False})
    assert declared.status_code == 200
    acted = chair.post(url(appeal, "investigation/notes"), {"kind": "note", "text": "Cek."})
    assert acted.status_code == 200


def test_a_conflict_without_description_is_a_json_error(api, p):
    appeal = walk(p, register(p), 7)
    before = capture()

    response = api(p.panel[1]).post(url(appeal, "panel/declare"), {"conflict": True})

    assert response.status_code == 400
    assert response.json()["code"] == "description_required"
    assert response.json()["fields"] == {
        "description": ["Uraikan benturan kepentingan yang Anda nyatakan."]
    }
    assert capture() == before


def test_replacement_refusals_are_json_errors_and_write_nothing(api, p):
    appeal = walk(p, register(p), 7)
    api(p.panel[1]).post(url(appeal, "panel/declare"), {"conflict": True, "description": REASON})
    vacated = str(p.panel[1].public_id)
    cases = [
        (p.head, {"vacated": vacated, "member": str(uuid.uuid4())}, 400, "unknown_reference"),
        (p.head, {"vacated": vacated, "member": str(p.panel[0].public_id)}, 400, "not_eligible"),
        (p.head, {"vacated": vacated, "member": vacated}, 400, "not_eligible"),
        (p.head, {"vacated": vacated, "member": str(p.auditor.public_id)}, 400, "not_eligible"),
        (
            p.head,
            {
                "vacated": vacated,
                "member": str(p.panel[3].public_id),
                "chair": str(p.tech.public_id),
            },
            400,
            "invalid",
        ),
        (p.lead, {"vacated": vacated, "member": str(p.panel[3].public_id)}, 403, "not_your_role"),
    ]
    before = capture()
    for user, body, status, code in cases:
        response = api(user).post(url(appeal, "panel/replace"), body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert capture() == before
