"""Issue 17, items 1-2 through the API: step 2 refused without its answer, the team
exemption, the panel rules; a refusal is a JSON error and writes nothing."""

from __future__ import annotations

import pytest

from banding.appeals import involvement
from tests.factories import register, walk
from tests.portal.helpers import submit
from tests.state import capture


def test_the_api_refuses_step_2_without_the_answer(api, p):
    appeal = submit(p)
    before = capture()

    response = api(p.staff).post(f"/appeals/{appeal.public_id}/record", {})

    assert response.status_code == 400
    assert response.json()["code"] == "involvement_missing"
    assert response.json()["fields"] == {"involved_persons": [involvement.MISSING]}
    assert capture() == before


def test_the_api_refuses_both_answers_and_an_unknown_team(api, p):
    appeal = submit(p)
    before = capture()
    url = f"/appeals/{appeal.public_id}/record"

    both = api(p.staff).post(url, {"involved_note": "X", "no_involved_reason": "Tidak ada."})
    unknown = api(p.staff).post(url, {"appealed_team": "tidak-ada"})

    assert (both.status_code, both.json()["code"]) == (400, "involvement_conflict")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_reference")
    assert unknown.json()["fields"] == {
        "appealed_team": ["Bagian/Tim Teknis tidak dikenal: tidak-ada."]
    }
    assert capture() == before


def test_the_api_records_the_appealed_team_and_the_lead_exempts_it(api, p):
    appeal = submit(p)

    response = api(p.staff).post(
        f"/appeals/{appeal.public_id}/record", {"appealed_team": p.team_b.code}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["appealed_team"] == p.team_b.code

    refused = api(p.staff).post(
        f"/appeals/{appeal.public_id}/involvement/team-exempt", {"reason": "Alasan."}
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_role")
    done = api(p.lead).post(
        f"/appeals/{appeal.public_id}/involvement/team-exempt", {"reason": "Analis lain."}
    )
    assert done.status_code == 200, done.json()
    assert done.json()["team_exempt_reason"] == "Analis lain."


def _panel(members, chair) -> dict:
    return {
        "members": [str(m.public_id) for m in members],
        "chair": str(chair.public_id) if chair else None,
    }


@pytest.mark.parametrize(
    ("members", "chair", "code", "field"),
    [
        ([0, 1], 0, "invalid", "members"),
        ([0, 1, 2, 3], 0, "invalid", "members"),
        ([0, 1, 0, 2], 0, "duplicate_seat", "members"),
        ([0, 1, 2], 3, "invalid", "chair"),
    ],
)
def test_the_api_refuses_a_wrong_panel_and_writes_nothing(api, p, members, chair, code, field):
    appeal = walk(p, register(p), 5)
    before = capture()

    response = api(p.tech).post(
        f"/appeals/{appeal.public_id}/panel/propose",
        _panel([p.panel[i] for i in members], p.panel[chair]),
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == [field]
    assert capture() == before


def test_the_api_refuses_an_unknown_or_involved_member(api, p):
    appeal = walk(p, register(p, involved_persons=[p.panel[3]]), 6)
    before = capture()
    url = f"/appeals/{appeal.public_id}/panel/appoint"
    ghost = {"members": ["00000000-0000-0000-0000-000000000000"], "chair": None}

    unknown = api(p.head).post(url, ghost)
    involved = api(p.head).post(url, _panel([*p.panel[:2], p.panel[3]], p.panel[0]))

    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_reference")
    assert (involved.status_code, involved.json()["code"]) == (400, "involved_person")
    assert capture() == before
