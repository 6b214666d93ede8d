"""bench/pages.py on a small database: every row it measures answers, its floor is one query
behind the session, and the rows it checks against the query budget cost the same every time.
No timing is asserted (times belong to the bench, not to the test suite)."""

import pytest

from banding.appeals.models import Status
from bench import measure, pages
from tests.factories import register, walk


@pytest.fixture
def measured(p, settings):
    settings.ROOT_URLCONF = "bench.urls"
    closed = walk(p, register(p, complaint_reference="KEL/1"), 13)
    walk(p, register(p, complaint_reference="KEL/2"), 7)
    f = pages.fixtures()
    assert f.closed == closed and f.closed.status == Status.CLOSED
    call = pages.callers(f)
    return {
        r.page.label: r
        for r in (
            measure.measure(page, call[page.who], requests=3, warmup=1) for page in pages.pages(f)
        )
    }


def test_every_row_answers(measured):
    failed = {label: r.error for label, r in measured.items() if r.error}
    assert failed == {}
    assert all(len(r.times) == 3 for r in measured.values())


def test_the_floor_is_one_query_behind_the_session_and_the_user(measured):
    floor = next(r for label, r in measured.items() if label.startswith("FLOOR"))
    assert floor.queries == [3, 3, 3]
    assert [q["sql"].split(" FROM ")[1].split()[0] for q in floor.captured] == [
        '"django_session"',
        '"accounts_user"',
        '"appeals_appeal"',
    ]


def test_the_pages_within_the_budget_cost_the_same_queries_every_time(measured):
    budgeted = [r for r in measured.values() if r.page.max_queries]
    assert len(budgeted) >= 15
    assert {r.page.label: r.queries for r in budgeted if len(set(r.queries)) != 1} == {}


def test_a_row_over_the_query_budget_says_so_and_lists_its_queries(measured):
    row = next(r for r in measured.values() if r.page.max_queries)
    over = measure.Result(
        measure.Page("x", "staff", "/", budget_ms=50, max_queries=1),
        status=200,
        times=[0.001],
        queries=[2],
        captured=row.captured,
    )
    assert over.verdict() == "≤ 50 ms, ≤ 1 q: MISS queries"
    assert f"{len(row.captured)} queries:" in measure.explain(over)
