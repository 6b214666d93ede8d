"""The reports' figures through the monthly rollups (banding.reports.rollups) equal the figures
computed from the raw steps and appeals (the oracle below, which ranks every value as the
reports' window-function SQL did), on a generated history: every step (1–7, 9–12), every way
an appeal ends (decided, rejected, withdrawn, duplicate) and still open, a return at step 10,
several service types and months. Then, with finished months frozen: a letter received in a
frozen month recorded later, a calendar change that moves an open step's deadline across a
frozen month's end, steps completed and appeals ended in the running month; and the periods
read are whole months, a semester, a year and ranges of days with partial months at their
edges."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from banding.appeals import services
from banding.appeals.calendar import override_add
from banding.appeals.models import Appeal, Decision, ServiceType, Status, Step
from banding.reports import rollups
from banding.reports.dashboard import dashboard
from banding.reports.models import RollupMonth, StepMonth
from banding.reports.review import review
from banding.reports.stats import ended_early, step_stats
from banding.sop import definition as sop
from banding.workdays.periods import Period
from tests.factories import not_relevant, register, reject, walk

WIB = ZoneInfo("Asia/Jakarta")
SERVICES = [ServiceType.TESTING, ServiceType.CALIBRATION, ServiceType.INSPECTION]


def wib(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


# --- the oracle: the raw rows, ranked -------------------------------------------------------


def _half_up(value: float | None) -> int | None:
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _median(values: list[int]) -> float | None:
    values = sorted(values)
    n = len(values)
    if not n:
        return None
    return (values[(n + 1) // 2 - 1] + values[(n + 2) // 2 - 1]) / 2


def _p90(values: list[int]) -> int | None:
    values = sorted(values)
    if not values:
        return None
    rank = next(r for r in range(1, len(values) + 1) if 10 * r >= 9 * len(values))
    return values[rank - 1]


def oracle_steps(period: Period, service: str | None = None) -> dict[int, tuple]:
    """number: (count, median, p90, within, overdue) from every raw step."""
    now = timezone.now()
    at = min(period.until, now)
    steps = Step.objects.select_related("appeal")
    if service:
        steps = steps.filter(appeal__service_type=service)
    done: dict[int, list[Step]] = defaultdict(list)
    still_open: dict[int, int] = defaultdict(int)
    for s in steps:
        if (
            s.completed_at is not None
            and period.since <= s.completed_at < period.until
            and s.working_minutes is not None
        ):
            done[s.number].append(s)
        if (
            s.started_at < at
            and s.due_at is not None
            and s.due_at < at
            and (s.completed_at is None or s.completed_at >= at)
        ):
            still_open[s.number] += 1
    found = {}
    for step in sop.STEPS:
        rows = done[step.number]
        minutes = [s.working_minutes for s in rows if s.working_minutes is not None]
        within = sum(1 for s in rows if s.within_standard)
        found[step.number] = (
            len(rows),
            _half_up(_median(minutes)),
            _p90(minutes),
            within,
            len(rows) - within + still_open[step.number],
        )
    return found


def oracle_totals(period: Period, service: str | None = None) -> dict[str, tuple]:
    """status: (count, median total working time summed from the steps)."""
    ended = Appeal.objects.filter(closed_at__gte=period.since, closed_at__lt=period.until).exclude(
        status=Status.OPEN
    )
    if service:
        ended = ended.filter(service_type=service)
    found: dict[str, list] = defaultdict(list)
    for appeal in ended:
        minutes = [s.working_minutes for s in appeal.steps.all() if s.working_minutes is not None]
        found[appeal.status].append(sum(minutes) if minutes else None)
    return {
        status: (len(totals), _median([t for t in totals if t is not None]))
        for status, totals in found.items()
    }


def _steps_in(period: Period):
    return Step.objects.filter(completed_at__gte=period.since, completed_at__lt=period.until)


def oracle_appeals(period: Period) -> list[int]:
    """Received, verified relevant, verified not relevant, open at the period's end."""
    at = min(period.until, timezone.now())
    appeals = list(Appeal.objects.all())
    verified = _steps_in(period).filter(number=3)
    return [
        sum(1 for a in appeals if period.since <= a.received_at < period.until),
        verified.filter(outcome=sop.Result.RELEVANT).count(),
        verified.filter(outcome=sop.Result.NOT_RELEVANT).count(),
        sum(
            1 for a in appeals if a.received_at < at and (a.closed_at is None or a.closed_at >= at)
        ),
    ]


def oracle_outcomes(period: Period) -> list[int]:
    """Rejected at step 4, approved per decision, withdrawn, duplicate, with a remedy."""
    approved = _steps_in(period).filter(number=10, outcome=sop.Result.APPROVED)
    ended = Appeal.objects.filter(closed_at__gte=period.since, closed_at__lt=period.until)
    return [
        _steps_in(period).filter(number=4, outcome=sop.Result.REJECTED).count(),
        *(approved.filter(appeal__decision=d).count() for d in Decision.values),
        ended.filter(status=Status.WITHDRAWN).count(),
        ended.filter(status=Status.DUPLICATE).count(),
        approved.exclude(appeal__decision_remedy="").count(),
    ]


def oracle_months(period: Period) -> list[int]:
    counts = []
    month = period.start.replace(day=1)
    while month <= period.end:
        since, until = (
            Period.month(month.year, month.month).since,
            Period.month(month.year, month.month).until,
        )
        since, until = max(since, period.since), min(until, period.until)
        counts.append(Appeal.objects.filter(received_at__gte=since, received_at__lt=until).count())
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return counts


def through_rollups(period: Period, service: str | None = None) -> dict[int, tuple]:
    return {
        r.number: (r.count, r.median_minutes, r.p90_minutes, r.within, r.overdue)
        for r in step_stats(period, service_type=service)
    }


PERIODS = [
    Period.month(2026, 2),
    Period.month(2026, 3),
    Period.month(2026, 4),
    Period.semester(2026, 1),
    Period.year(2026),
    Period.quarter(2026, 1),
    Period.between(date(2026, 2, 10), date(2026, 4, 15)),
    Period.between(date(2026, 3, 3), date(2026, 3, 27)),
    Period.between(date(2026, 1, 20), date(2026, 3, 31)),
]


def check_everything() -> None:
    """Every period, all services and each, through the rollups against the oracle."""
    for period in PERIODS:
        for service in [None, *SERVICES]:
            assert through_rollups(period, service) == oracle_steps(period, service), (
                period.label,
                service,
            )
        totals = oracle_totals(period)
        board = dashboard(period=period)
        closed, rejected = board.times
        assert closed.median == totals.get(Status.CLOSED, (0, None))[1], period.label
        assert rejected.median == totals.get(Status.REJECTED, (0, None))[1], period.label
        for row in board.services:
            mine = oracle_totals(period, row.code)
            through = [
                t
                for t in Appeal.objects.filter(
                    closed_at__gte=period.since,
                    closed_at__lt=period.until,
                    service_type=row.code,
                    status__in=(Status.CLOSED, Status.REJECTED),
                ).values_list("working_minutes", flat=True)
                if t is not None
            ]
            assert row.closed == sum(n for n, _ in mine.values()), (period.label, row.code)
            assert row.median == _median(through), (period.label, row.code)
        outcomes = {t.label: t.count for t in board.outcomes}
        assert outcomes[str(Status.WITHDRAWN.label)] == totals.get(Status.WITHDRAWN, (0,))[0]
        assert outcomes[str(Status.DUPLICATE.label)] == totals.get(Status.DUPLICATE, (0,))[0]
        early = ended_early(period)
        assert early == {
            "withdrawn": totals.get(Status.WITHDRAWN, (0,))[0],
            "duplicate": totals.get(Status.DUPLICATE, (0,))[0],
        }
        report = review(period)
        assert [f.current for f in report.received] == oracle_appeals(period), period.label
        assert [f.current for f in report.outcomes] == oracle_outcomes(period), period.label
        assert board.intake_total == oracle_appeals(period)[0], period.label
        assert [t.count for t in board.months] == oracle_months(period), period.label
        performance = {f.label: f.current for f in report.performance}
        medians = list(performance.values())[1:]
        assert medians == [
            _half_up(totals.get(Status.CLOSED, (0, None))[1]),
            _half_up(totals.get(Status.REJECTED, (0, None))[1]),
        ], period.label


def stored_totals_are_the_sums_of_the_steps() -> None:
    for appeal in Appeal.objects.exclude(status=Status.OPEN):
        minutes = [s.working_minutes for s in appeal.steps.all() if s.working_minutes is not None]
        assert appeal.working_minutes == (sum(minutes) if minutes else None), appeal.number


# --- the history --------------------------------------------------------------------------


class Story:
    """Drives appeals through the services one action at a time, each at its own instant, a
    random number of hours after the one before (so working times differ)."""

    def __init__(self, p, seed: int) -> None:
        self.p = p
        self.rng = random.Random(seed)

    def later(self, when: datetime) -> datetime:
        return when + timedelta(
            hours=self.rng.choice([0, 1, 2, 3, 5, 8, 20, 26, 49, 75]),
            minutes=self.rng.randrange(60),
        )

    def act(self, appeal: Appeal, when: datetime, action=None) -> Appeal:
        with time_machine.travel(when, tick=False):
            if action is None:
                appeal = walk(self.p, appeal, appeal.current_step + 1)
            else:
                action(appeal)
            appeal.refresh_from_db()
        return appeal

    def received(self, when: datetime, service: str) -> tuple[Appeal, datetime]:
        recorded = when + timedelta(minutes=self.rng.randrange(5, 90))
        with time_machine.travel(recorded, tick=False):
            appeal = register(self.p, received_at=when, service_type=service)
        return appeal, recorded

    def to(self, appeal: Appeal, when: datetime, step: int | None) -> tuple[Appeal, datetime]:
        """Walk the relevant branch up to open step `step` (None: to the end)."""
        while appeal.current_step is not None and (step is None or appeal.current_step < step):
            when = self.later(when)
            appeal = self.act(appeal, when)
        return appeal, when

    def returned(self, appeal: Appeal, when: datetime) -> tuple[Appeal, datetime]:
        appeal, when = self.to(appeal, when, 10)
        when = self.later(when)
        appeal = self.act(
            appeal,
            when,
            lambda a: services.decision_return(appeal=a, user=self.p.head, reasons="Kurang."),
        )
        return appeal, when

    def rejected(self, appeal: Appeal, when: datetime) -> tuple[Appeal, datetime]:
        when = self.later(when)
        appeal = self.act(appeal, when, lambda a: not_relevant(self.p, a))
        when = self.later(when)
        appeal = self.act(appeal, when, lambda a: reject(self.p, a))
        return appeal, when

    def withdrawn(self, appeal: Appeal, when: datetime) -> tuple[Appeal, datetime]:
        when = self.later(when)
        customer = self.p.customer
        appeal = self.act(appeal, when, lambda a: services.appeal_withdraw(appeal=a, user=customer))
        return appeal, when

    def duplicate(self, appeal: Appeal, original: Appeal, when: datetime) -> Appeal:
        return self.act(
            appeal,
            self.later(when),
            lambda a: services.appeal_close_duplicate(
                appeal=a, user=self.p.staff, original=original, reason="Sama."
            ),
        )


def build(p) -> dict[str, Appeal]:
    """February and March 2026 (read from April on: frozen)."""
    story = Story(p, seed=19)
    made: dict[str, Appeal] = {}
    start = wib(2, 2, 8)
    for i in range(9):
        service = SERVICES[i % len(SERVICES)]
        when = start + timedelta(days=5 * i, hours=i % 4)
        appeal, when = story.received(when, service)
        kind = ["decided", "returned", "rejected", "withdrawn", "open"][i % 5]
        if kind == "decided":
            appeal, when = story.to(appeal, when, None)
        elif kind == "returned":
            appeal, when = story.returned(appeal, when)
            appeal, when = story.to(appeal, when, None)
        elif kind == "rejected":
            appeal, when = story.rejected(appeal, when)
        elif kind == "withdrawn":
            appeal, when = story.to(appeal, when, story.rng.choice([5, 7, 9]))
            appeal, when = story.withdrawn(appeal, when)
        else:
            appeal, when = story.to(appeal, when, story.rng.choice([5, 6, 7, 9, 11]))
        made[f"{kind}{i}"] = appeal
    made["dup"], _ = story.received(wib(3, 9, 10), ServiceType.TESTING)
    made["dup"] = story.duplicate(made["dup"], made["open4"], wib(3, 9, 12))
    # Opened on Monday 30 March, step 3 due on Tuesday 31: still open, past due at March's end.
    made["late"], _ = story.received(wib(3, 30, 8), ServiceType.CALIBRATION)
    return made


def test_the_rollups_give_the_raw_figures_through_frozen_months_and_later_changes(p):
    made = build(p)
    story = Story(p, seed=7)

    # Read in April: January to March are frozen by the first read.
    with time_machine.travel(wib(4, 6, 10), tick=False):
        check_everything()
        frozen = set(
            RollupMonth.objects.filter(frozen=True, month__year=2026).values_list(
                "month", flat=True
            )
        )
        # (and the months of the periods before them, which the review reads)
        assert frozen == {date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)}
        assert StepMonth.objects.filter(month=date(2026, 3, 1)).exists()

    # A letter received on 5 March, recorded on 7 April: March changes (step 1 completed in
    # it, step 2 open and past due at its end).
    with time_machine.travel(wib(4, 7, 11), tick=False):
        late_record = register(
            p,
            received_at=wib(3, 5, 9),
            complaint_outcome_date=date(2026, 3, 2),
            service_type=ServiceType.INSPECTION,
        )
        assert not RollupMonth.objects.get(month=date(2026, 3, 1)).frozen
        check_everything()

    # Tuesday 31 March declared closed afterwards: the open step 3 of `late` is now due on
    # 1 April, so it was not past due at March's end any more.
    before = made["late"].current_due_at
    with time_machine.travel(wib(4, 8, 9), tick=False):
        override_add(actor=p.admin, day=date(2026, 3, 31), kind="closed", reason="SE 1/2026")
        made["late"].refresh_from_db()
        assert made["late"].current_due_at > before
        assert not RollupMonth.objects.get(month=date(2026, 3, 1)).frozen
        check_everything()

    # The running month: steps completed, an appeal decided, one withdrawn, one rejected.
    when = wib(4, 9, 8)
    for key, step in (("open4", None), ("late", 6)):
        made[key].refresh_from_db()
        made[key], when = story.to(made[key], when, step)
    made["late_record"], when = story.withdrawn(late_record, when)
    fresh, when = story.received(wib(4, 14, 9), ServiceType.CALIBRATION)
    fresh, when = story.rejected(fresh, when)
    with time_machine.travel(wib(4, 28, 15), tick=False):
        check_everything()
    # In May, April is frozen too, and the same figures come from its stored rows.
    with time_machine.travel(wib(5, 4, 9), tick=False):
        check_everything()
        assert RollupMonth.objects.get(month=date(2026, 4, 1)).frozen
    stored_totals_are_the_sums_of_the_steps()
    # Everything the oracle had to cover was there.
    numbers = set(Step.objects.exclude(working_minutes=None).values_list("number", flat=True))
    assert numbers == {s.number for s in sop.STEPS}
    statuses = dict(Appeal.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(Status.values)
    assert Step.objects.filter(number=10, outcome=sop.Result.RETURNED).exists()


@pytest.mark.parametrize("appeals", [2, 12])
def test_a_frozen_year_is_read_in_the_same_few_queries_whatever_its_size(
    p, appeals, django_assert_num_queries
):
    story = Story(p, seed=appeals)
    for i in range(appeals):
        appeal, when = story.received(wib(1 + i % 11, 3 + i % 20), SERVICES[i % 3])
        story.to(appeal, when, 6)
    with time_machine.travel(wib(12, 15), tick=False):
        assert rollups.freeze_all() == 11
        # The frozen marks, the stored step rows, the stored ended appeals; the live part of
        # December: its steps, its ended appeals, the steps open now.
        with django_assert_num_queries(6):
            step_stats(Period.year(2026))
        # A finished year: its open steps at the end are December's stored ones.
    with time_machine.travel(wib(12, 31, 12) + timedelta(days=2), tick=False):
        rollups.freeze_all()
        with django_assert_num_queries(3):
            rows = step_stats(Period.year(2026))
    assert rows[2].count == appeals  # step 3, done by each


def test_banding_rollup_freezes_the_finished_months_once(p):
    from io import StringIO

    from django.core.management import call_command

    story = Story(p, seed=3)
    story.received(wib(2, 3), ServiceType.TESTING)
    with time_machine.travel(wib(4, 15), tick=False):
        out = StringIO()
        call_command("rollup", stdout=out)
        assert out.getvalue() == "Bulan yang dibekukan: 2\n"  # February and March
        out = StringIO()
        call_command("rollup", stdout=out)
        assert out.getvalue() == "Bulan yang dibekukan: 0\n"
        out = StringIO()
        call_command("rollup", "--ulang", stdout=out)
        assert out.getvalue() == "Bulan yang dibekukan: 2\n"
