"""Step 9 through the API: attendance per seat, quorum, the meeting's time, the reasons, the
dissent, and the similar appeals considered at steps 3 and 9 (the same services as the
pages: tests/services/test_meeting.py holds the rules)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import PanelSeat
from banding.sop import definition as sop
from tests.factories import register, walk
from tests.state import capture

RECORD_QUERIES = 32


@pytest.fixture
def appeal(p):
    return walk(p, register(p), 9)  # the chair declared at step 7


def url(appeal) -> str:
    return f"/appeals/{appeal.public_id}"


def seats(p, *present):
    return [{"member": str(u.public_id), "present": u in present} for u in p.panel[:3]]


def meeting(p, **overrides) -> dict:
    body = {
        "meeting_at": timezone.now(),
        "place": "Ruang Rapat 1",
        "attendance": seats(p, *p.panel[:2]),
        "guests": [{"name": "Sari", "role": "Notulis"}],
        "minutes": "Panel membahas hasil investigasi.",
        "decision": "ditolak",
        "reasons": "Hasil uji sesuai metode.",
    }
    body.update(overrides)
    return body


def test_the_chair_records_a_quorate_meeting_with_a_dissent(api, p, appeal):
    second = p.panel[1]
    dissent = [{"member": str(second.public_id), "opinion": "Bukti belum cukup."}]
    with CaptureQueriesContext(connection) as captured:
        response = api(p.panel[0]).post(url(appeal) + "/decision", meeting(p, dissent=dissent))
    assert response.status_code == 200, response.json()
    data = appeal.steps.get(completed_at__isnull=True).recorded_data
    assert [r["present"] for r in data["attendance"]] == [True, True, False]
    assert data["dissent"][0]["opinion"] == "Bukti belum cukup."
    assert data["guests"] == [{"name": "Sari", "role": "Notulis"}]
    # A fixed cost: the seats one query whatever their number, the similar appeals' search
    # five (similar.similar_to), the token, the lock, the record, its event, the reply.
    assert len(captured) == RECORD_QUERIES, len(captured)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"attendance": []}, "no_quorum", "attendance"),
        ({"attendance": "first_only"}, "no_quorum", "attendance"),
        ({"attendance": "stranger"}, "not_on_panel", "attendance"),
        ({"attendance": "twice"}, "duplicate_seat", "attendance"),
        ({"meeting_at": "before"}, "meeting_before_panel", "meeting_at"),
        ({"meeting_at": "future"}, "invalid", "meeting_at"),
        ({"reasons": ""}, "invalid", "reasons"),
        ({"dissent": "absent"}, "dissent_not_present", "dissent"),
    ],
)
def test_an_invalid_meeting_is_refused_and_nothing_changes(api, p, appeal, overrides, code, field):
    chair, stranger, third = p.panel[0], p.panel[3], p.panel[2]
    appointed = max(s.appointed_at for s in PanelSeat.objects.filter(appeal=appeal))
    values = {
        "first_only": seats(p, chair),
        "stranger": [*seats(p, *p.panel[:2]), {"member": str(stranger.public_id), "present": True}],
        "twice": [*seats(p, *p.panel[:2]), {"member": str(chair.public_id), "present": True}],
        "before": appointed - timedelta(minutes=1),
        "future": timezone.now() + timedelta(hours=1),
        "absent": [{"member": str(third.public_id), "opinion": "Tidak setuju."}],
    }
    body = meeting(
        p, **{k: values.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    )
    before = capture()
    response = api(chair).post(url(appeal) + "/decision", body)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert capture() == before


def test_a_non_member_is_refused(api, p, appeal):
    before = capture()
    response = api(p.panel[3]).post(url(appeal) + "/decision", meeting(p))
    # Without a part in the appeal, need to know refuses before the step's turn.
    assert (response.status_code, response.json()["code"]) == (403, "not_involved")
    assert capture() == before


def test_a_present_member_adds_a_dissent(api, p, appeal):
    services.panel_declare(appeal=appeal, user=p.panel[1])
    assert api(p.panel[0]).post(url(appeal) + "/decision", meeting(p)).status_code == 200

    response = api(p.panel[1]).post(
        url(appeal) + "/decision/dissent", {"opinion": "Remedi terlalu sempit."}
    )
    assert response.status_code == 200, response.json()
    data = appeal.steps.get(completed_at__isnull=True).recorded_data
    assert [d["opinion"] for d in data["dissent"]] == ["Remedi terlalu sempit."]
    refused = api(p.lead).post(url(appeal) + "/decision/dissent", {"opinion": "x"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_role")


def test_similar_appeals_are_confirmed_at_steps_3_and_9(api, p):
    earlier = walk(p, register(p), 13)
    appeal = register(p)
    verify = {
        "checklist": dict.fromkeys(sop.step(3).checklist, True),
        "relevant": True,
        "reasons": "Relevan.",
        "technical_team": p.team_a.code,
        "similar_considered": [str(earlier.public_id)],
    }
    refused = api(p.lead).post(url(appeal) + "/verify", verify)
    assert (refused.status_code, refused.json()["code"]) == (400, "similar_unconfirmed")
    response = api(p.lead).post(url(appeal) + "/verify", {**verify, "similar_confirmed": True})
    assert response.status_code == 200, response.json()
    data = appeal.steps.get(completed_at__isnull=True).recorded_data
    assert data["similar"]["considered"] == [str(earlier.public_id)]

    appeal = walk(p, register(p), 9)
    body = meeting(p, similar_considered=[str(earlier.public_id)])
    refused = api(p.panel[0]).post(url(appeal) + "/decision", body)
    assert (refused.status_code, refused.json()["code"]) == (400, "similar_unconfirmed")
    response = api(p.panel[0]).post(url(appeal) + "/decision", {**body, "similar_confirmed": True})
    assert response.status_code == 200, response.json()
