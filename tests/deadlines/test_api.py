"""Deadlines in the JSON API: due instant and state in list rows, the detail's expected
completion and working time, each step's due instant and measure; constant list queries."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.deadlines.conftest import wib
from tests.factories import register, walk


def instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant of the API (any offset) as an aware datetime."""
    return datetime.fromisoformat(text) if text else None


def test_list_rows_carry_the_due_instant_and_state(api, p, clock):
    clock(wib(2026, 3, 9, 10, 0))
    open_appeal = register(p)
    closed = walk(p, register(p), 13)
    clock(wib(2026, 3, 10, 8, 0))
    caller = api(p.auditor)
    rows = {row["number"]: row for row in caller.get("/appeals").json()["items"]}
    assert instant(rows[open_appeal.number]["current_due_at"]) == wib(2026, 3, 10, 10, 0)
    assert rows[open_appeal.number]["deadline_state"] == "at_risk"
    assert rows[open_appeal.number]["deadline_state_label"] == "Hampir jatuh tempo"
    assert rows[closed.number]["current_due_at"] is None
    assert rows[closed.number]["deadline_state"] is None
    assert rows[closed.number]["deadline_state_label"] == ""
    ids = [row["number"] for row in caller.get("/appeals", {"deadline": "at_risk"}).json()["items"]]
    assert ids == [open_appeal.number]
    assert caller.get("/appeals", {"deadline": "overdue"}).json()["count"] == 0
    refused = caller.get("/appeals", {"deadline": "nanti"})
    assert refused.status_code == 400


def test_the_detail_shows_expected_completion_working_time_and_each_steps_measure(api, p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = walk(p, register(p), 5)  # received 09:00; step 3 done at once
    clock(wib(2026, 3, 25, 8, 0))
    body = api(p.staff).get(f"/appeals/{appeal.public_id}").json()
    assert instant(body["current_due_at"]) == wib(2026, 3, 25, 10, 0)
    assert body["deadline_state"] == "at_risk"
    # 6 on the 26th, 7 thirty working days later (11 May), 9, 10, then 11 and 12 (15 menit).
    assert instant(body["expected_completion"]) == wib(2026, 5, 13, 10, 30)
    assert body["working_minutes_so_far"] == 450
    steps = [
        (s["number"], instant(s["due_at"]), s["working_minutes"], s["within_standard"])
        for s in body["steps"]
    ]
    assert steps == [
        (1, wib(2026, 3, 17, 9, 15), 0, True),
        (2, wib(2026, 3, 17, 9, 15), 60, False),
        (3, wib(2026, 3, 25, 10, 0), 0, True),
        (5, wib(2026, 3, 25, 10, 0), None, None),
    ]


def test_a_closed_appeals_detail_has_no_deadline_but_its_total_working_time(api, p, clock):
    clock(wib(2026, 3, 9, 9, 0))
    appeal = walk(p, register(p), 13)
    clock(wib(2026, 3, 20, 9, 0))
    body = api(p.customer).get(f"/appeals/{appeal.public_id}").json()
    assert (body["current_due_at"], body["deadline_state"], body["expected_completion"]) == (
        None,
        None,
        None,
    )
    assert body["working_minutes_so_far"] == 60  # received 08:00, closed 09:00


def _count(caller, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(path)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_stay_constant_with_the_deadline_filter(api, p, clock):
    clock(wib(2026, 3, 9, 10, 0))
    for _ in range(5):
        register(p)
    caller = api(p.lead)
    caller.get("/appeals")  # the token's first use is recorded once; not what is measured
    paths = ["/appeals?limit=100&deadline=on_time", "/inbox?limit=100"]
    few = [_count(caller, path) for path in paths]
    for _ in range(45):
        register(p)
    assert [_count(caller, path) for path in paths] == few
    assert few[0] == 4  # token, roles, count, rows
