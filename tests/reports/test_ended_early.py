"""Appeals withdrawn or closed as duplicates in the register and the reports, as such: their
own rows of the dashboard's outcomes and the management review, never as rejections or
decisions, and their stopped step outside the SOP monitoring's figures."""

from __future__ import annotations

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.reports.dashboard import dashboard
from banding.reports.review import review
from banding.reports.stats import step_stats
from banding.workdays.periods import Period
from tests.factories import not_relevant, register, reject, walk


@pytest.fixture
def ended(p):
    """One of each end: withdrawn by the customer (at step 5), withdrawn by letter (step 3),
    a duplicate (step 3), rejected as not relevant, closed with a decision."""
    original = register(p)
    services.appeal_withdraw(appeal=walk(p, register(p), 5), user=p.customer)
    services.withdrawal_record(appeal=register(p), user=p.staff, letter_date=timezone.localdate())
    services.appeal_close_duplicate(
        appeal=register(p), user=p.staff, original=original, reason="Sama."
    )
    reject(p, not_relevant(p, register(p)))
    walk(p, register(p), 99)
    return original


def this_year() -> Period:
    return Period.year(timezone.localdate().year)


def test_the_dashboard_counts_them_apart_from_rejections_and_decisions(p, ended):
    board = dashboard(period=this_year())
    counts = {o.label: o.count for o in board.outcomes}
    assert counts["Ditolak tidak relevan"] == 1
    assert counts["Dicabut"] == 2
    assert counts["Ditutup (duplikat)"] == 1
    assert sum(o.count for o in board.outcomes[1:4]) == 1  # the one decision
    assert board.closed_total == 5
    # The paths' times: one appeal each way through the SOP, none of those stopped.
    assert [t.closed for t in board.times] == [1, 1]


def test_the_management_review_counts_them_apart(p, ended):
    figures = {f.label: f.current for f in review(this_year()).outcomes}
    assert figures["Dicabut oleh pelanggan"] == 2
    assert figures["Ditutup sebagai duplikat banding lain"] == 1
    assert figures["Ditolak karena tidak relevan (langkah 4)"] == 1


def test_the_monitoring_leaves_out_the_steps_they_stopped(p, ended):
    stats = {s.number: s for s in step_stats(this_year())}
    # Step 3 completed for the rejected and the decided appeal and the one withdrawn at
    # step 5 (whose verification was done); the two stopped at step 3 are not counted.
    assert stats[3].count == 3
    # Step 5 completed once (the decided appeal); the withdrawn one stopped there.
    assert stats[5].count == 1


def test_the_monitoring_page_says_how_many_ended_early(client, p, ended):
    client.force_login(p.head)
    year = timezone.localdate().year
    body = client.get("/laporan/monitoring/", {"jenis": "tahun", "tahun": year}).content.decode()
    assert (
        "Dalam periode ini 2 banding dicabut dan 1 ditutup sebagai duplikat; langkah yang "
        "dihentikan karenanya tidak dihitung sebagai kejadian." in body
    )


def test_the_register_filters_by_each_status_and_shows_its_label(client, p, ended):
    client.force_login(p.lead)
    for status, label, count in (
        ("withdrawn", "Dicabut", 2),
        ("duplicate", "Ditutup (duplikat)", 1),
    ):
        response = client.get("/banding/", {"status": status})
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count(f"<td>{label}</td>") == count
