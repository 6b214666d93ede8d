"""The dashboard's figures (/laporan/): open appeals per step with their deadline state, intake
per month, outcomes, the median total working time against the SOP's standard, and the same per
service type. The open appeals are one aggregate over the open ones; everything else comes from
the period's monthly rollups (banding.reports.rollups): a fixed number of small queries,
whatever the number of appeals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banding.appeals.models import Appeal, Decision, ServiceType, Status
from banding.formats import MONTH_NAMES
from banding.reports import rollups
from banding.reports.histogram import median
from banding.reports.months import next_month
from banding.reports.raw import EndedCell
from banding.sop import definition as sop
from banding.sop.definition import Actor, Unit
from banding.workdays.calendar import WorkCalendar, current_calendar
from banding.workdays.periods import Period

# The two ways an appeal ends, each with its own path of SOP steps.
PANEL_PATH = tuple(sop.path_from(sop.FIRST_STEP))
REJECTION_PATH = tuple(sop.path_from(sop.FIRST_STEP, sop.taking(sop.Result.NOT_RELEVANT)))
REJECTED_LABEL = gettext_lazy("Ditolak tidak relevan")


@dataclass(frozen=True)
class StepLoad:
    number: int
    title: str
    actor: str
    open: int
    at_risk: int
    overdue: int


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class PathTime:
    label: str
    closed: int
    median: float | None  # working minutes
    standard: int  # working minutes

    @property
    def median_minutes(self) -> int | None:
        return None if self.median is None else round(self.median)

    @property
    def within(self) -> bool | None:
        return None if self.median is None else self.median <= self.standard


@dataclass(frozen=True)
class ServiceRow:
    code: str
    label: str
    intake: int
    open: int
    closed: int
    median: float | None

    @property
    def median_minutes(self) -> int | None:
        return None if self.median is None else round(self.median)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    service_type: str
    steps: list[StepLoad]
    months: list[Tally]
    outcomes: list[Tally]
    times: list[PathTime]
    services: list[ServiceRow]
    day_minutes: int

    @property
    def service_label(self) -> str:
        return ServiceType(self.service_type).label if self.service_type else _("Semua layanan")

    @property
    def open_total(self) -> int:
        return sum(s.open for s in self.steps)

    @property
    def intake_total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def closed_total(self) -> int:
        return sum(o.count for o in self.outcomes)

    def chart_data(self) -> dict[str, Any]:
        """What dashboard.js draws, with the names of its series; the tables show the same
        numbers."""
        return {
            "series": {
                "open": _("Berjalan"),
                "at_risk": _("Hampir jatuh tempo"),
                "overdue": _("Terlambat"),
                "received": _("Diterima"),
                "appeals": _("Banding"),
            },
            "steps": {
                "labels": [f"{s.number}. {s.title}" for s in self.steps],
                "open": [s.open for s in self.steps],
                "at_risk": [s.at_risk for s in self.steps],
                "overdue": [s.overdue for s in self.steps],
            },
            "months": {
                "labels": [m.label for m in self.months],
                "counts": [m.count for m in self.months],
            },
            "outcomes": {
                "labels": [o.label for o in self.outcomes],
                "counts": [o.count for o in self.outcomes],
            },
        }


# --- the standard ---------------------------------------------------------------------------


def day_minutes(calendar: WorkCalendar) -> int:
    """A standard 'hari' in working minutes: the shortest office day (07:30–16:00, 510 minutes,
    by default), so a path kept within its days is never shown as over the standard."""
    lengths = [
        (close.hour * 60 + close.minute) - (open_.hour * 60 + open_.minute)
        for open_, close in calendar.hours.values()
    ]
    return min(lengths)


def standard_minutes(path: tuple[int, ...], calendar: WorkCalendar | None = None) -> int:
    """The SOP's standard time of a path (the sum of its steps' waktu) in working minutes."""
    per_day = day_minutes(calendar or current_calendar())
    total = 0
    for number in path:
        waktu = sop.step(number).waktu
        total += waktu.amount if waktu.unit is Unit.MINUTE else waktu.amount * per_day
    return total


# --- the figures ------------------------------------------------------------------------------


OpenRows = dict[tuple[Any, str], Mapping[str, Any]]


def _open(appeals: QuerySet[Appeal], now: datetime) -> OpenRows:
    """The open appeals per (step, service type) with their deadline state: one query over
    the open ones only (the status indexes)."""
    return {
        (r["current_step"], r["service_type"]): r
        for r in appeals.filter(status=Status.OPEN)
        .values("current_step", "service_type")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(current_due_at__lte=now)),
            at_risk=Count("id", filter=Q(current_due_at__gt=now, current_at_risk_at__lte=now)),
        )
        .order_by()
    }


def _step_loads(rows: OpenRows) -> list[StepLoad]:
    def total(number: int, name: str) -> int:
        return sum(r[name] for (n, _), r in rows.items() if n == number)

    # Every office step, zeros included; the customer's own step 1 never waits on the office.
    return [
        StepLoad(
            number=s.number,
            title=s.title,
            actor=s.actor_label,
            open=total(s.number, "n"),
            at_risk=total(s.number, "at_risk"),
            overdue=total(s.number, "overdue"),
        )
        for s in sop.STEPS
        if s.actor != Actor.PEL
    ]


def _months(received: Mapping[tuple[date, str], int], period: Period) -> list[Tally]:
    """Appeals received per month (WIB) of the period, from its rollups."""
    tallies = []
    month = period.start.replace(day=1)
    while month <= period.end:
        count = sum(n for (m, _), n in received.items() if m == month)
        tallies.append(Tally(f"{MONTH_NAMES[month.month - 1]} {month.year}", count))
        month = next_month(month)
    return tallies


Ended = dict[tuple[str, str, str], EndedCell]


def _outcomes(ended: Ended) -> list[Tally]:
    counts: dict[tuple[str, str], int] = {}
    for (_service, status, decision), cell in ended.items():
        counts[(status, decision)] = counts.get((status, decision), 0) + cell.count
    rejected = sum(n for (status, _), n in counts.items() if status == Status.REJECTED)
    # The appeals ended before the SOP's end, each as such: neither a rejection nor a decision.
    early = [
        Tally(str(status.label), sum(n for (s, _), n in counts.items() if s == status))
        for status in (Status.WITHDRAWN, Status.DUPLICATE)
    ]
    return (
        [Tally(str(REJECTED_LABEL), rejected)]
        + [
            Tally(decision.label, counts.get((Status.CLOSED, decision.value), 0))
            for decision in Decision
        ]
        + early
    )


def _median(ended: Ended, *, status: str | None = None, service: str | None = None) -> float | None:
    """The median total working time of the ended appeals of a status and/or a service type
    (their histograms ranked together), None when none was measured."""
    return median(
        run
        for (st, s, _), cell in ended.items()
        if status in (None, s) and service in (None, st)
        for run in cell.runs
    )


def _times(ended: Ended, counts: Mapping[Status, int], calendar: WorkCalendar) -> list[PathTime]:
    return [
        PathTime(
            label=_("Diputuskan Tim Panel Banding (langkah %(steps)s)")
            % {"steps": ", ".join(map(str, PANEL_PATH))},
            closed=counts.get(Status.CLOSED, 0),
            median=_median(ended, status=Status.CLOSED),
            standard=standard_minutes(PANEL_PATH, calendar),
        ),
        PathTime(
            label=_("Ditolak tidak relevan (langkah %(steps)s)")
            % {"steps": ", ".join(map(str, REJECTION_PATH))},
            closed=counts.get(Status.REJECTED, 0),
            median=_median(ended, status=Status.REJECTED),
            standard=standard_minutes(REJECTION_PATH, calendar),
        ),
    ]


def _services(
    rows: OpenRows, figures: rollups.Figures, ended: Ended, service_type: str
) -> list[ServiceRow]:
    # The time the SOP took: of the appeals that went its way to an end (a withdrawal or a
    # duplicate stopped it part way).
    through = {k: v for k, v in ended.items() if k[1] in (Status.CLOSED, Status.REJECTED)}
    chosen = [ServiceType(service_type)] if service_type else list(ServiceType)
    return [
        ServiceRow(
            code=kind.value,
            label=kind.label,
            intake=sum(n for (_, st), n in figures.received.items() if st == kind.value),
            open=sum(r["n"] for (_, st), r in rows.items() if st == kind.value),
            closed=sum(c.count for (st, _, _), c in ended.items() if st == kind.value),
            median=_median(through, service=kind.value),
        )
        for kind in chosen
    ]


def dashboard(*, period: Period, service_type: str = "", now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard for a period (and one service type, or all)."""
    now = now or timezone.now()
    calendar = current_calendar()
    appeals = Appeal.objects.all()
    if service_type:
        appeals = appeals.filter(service_type=service_type)
    figures = rollups.figures(period, now=now, steps=False, received=True)
    if service_type:
        figures.received = {k: n for k, n in figures.received.items() if k[1] == service_type}
    ended = {key: cell for key, cell in figures.ended.items() if service_type in ("", key[0])}
    outcomes = _outcomes(ended)
    per_path = {
        Status.REJECTED: outcomes[0].count,
        Status.CLOSED: sum(o.count for o in outcomes[1 : 1 + len(Decision)]),
    }
    rows = _open(appeals, now)
    return Dashboard(
        period=period,
        service_type=service_type,
        steps=_step_loads(rows),
        months=_months(figures.received, period),
        outcomes=outcomes,
        times=_times(ended, per_path, calendar),
        services=_services(rows, figures, ended, service_type),
        day_minutes=day_minutes(calendar),
    )
