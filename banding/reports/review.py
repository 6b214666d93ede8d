"""The management review input (ISO/IEC 17025 8.9) for a period, beside the period before it:
appeals received, verified relevant or not, outcomes decided, corrective actions decided, time
performance, the satisfaction survey index, and the appeals still open at the period's end.

The appeal counts, the step outcomes and decisions, the median total working time and the
per-step figures of both periods come from the months' rollups (`rollups.figures`, a few small
queries a period: banding.reports.rollups); the corrective actions decided are one query (the
latest LISTED of them; the whole list is paged and downloadable: banding.reports.review_lists),
their follow-up two (counts by status of both periods, the latest LISTED: banding.corrective),
and the survey one a period (`survey.selectors.results`). The number of queries never depends
on the number of appeals, and the page's size does not grow with the year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.appeals.models import Decision, Status, Step
from banding.corrective import selectors as corrective
from banding.corrective.selectors import ReviewActions
from banding.formats import format_minutes
from banding.reports import rollups
from banding.reports.histogram import median
from banding.reports.stats import StepStats, step_stats
from banding.sop import definition as sop
from banding.sop.definition import Result
from banding.survey import selectors as survey
from banding.survey.selectors import Results, decimal_id
from banding.workdays.periods import Period

CURRENT, PREVIOUS = "cur", "prev"
LISTED = corrective.LISTED  # the review lists the latest 50 of each list; the rest is paged


class Kind:
    COUNT, PERCENT, MINUTES, INDEX = "count", "percent", "minutes", "index"


class Trend:
    UP, DOWN, SAME, NONE = "naik", "turun", "tetap", "—"


Number = int | Decimal


def _text(value: Number | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == Kind.PERCENT:
        return f"{decimal_id(Decimal(value), 1)}%"
    if kind == Kind.MINUTES:
        return format_minutes(int(value))
    if kind == Kind.INDEX:
        return decimal_id(Decimal(value))
    return str(value)


@dataclass(frozen=True)
class Figure:
    """One line of the review: this period, the one before, and which way it went."""

    label: str
    current: Number | None
    previous: Number | None
    kind: str = Kind.COUNT

    @property
    def difference(self) -> Number | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def trend(self) -> str:
        diff = self.difference
        if diff is None:
            return Trend.NONE
        return Trend.UP if diff > 0 else Trend.DOWN if diff < 0 else Trend.SAME

    @property
    def current_text(self) -> str:
        return _text(self.current, self.kind)

    @property
    def previous_text(self) -> str:
        return _text(self.previous, self.kind)

    @property
    def difference_text(self) -> str:
        diff = self.difference
        if diff is None:
            return "—"
        sign = "+" if diff > 0 else "−" if diff < 0 else ""
        text = _text(-diff if diff < 0 else diff, self.kind)
        # A change of a share is in percentage points, not in percent of the share.
        return sign + (text.replace("%", " poin") if self.kind == Kind.PERCENT else text)


@dataclass(frozen=True)
class CorrectiveAction:
    number: str
    public_id: UUID
    decision: str  # label
    remedy: str
    approved_at: datetime | None  # a nullable column, though every step read here is completed


@dataclass(frozen=True)
class StepTrend:
    current: StepStats
    previous: StepStats
    share: Figure  # within-standard share, this period against the one before


@dataclass(frozen=True)
class Review:
    period: Period
    previous: Period
    received: list[Figure]  # received, relevant, not relevant, open at the period's end
    outcomes: list[Figure]  # rejected (not relevant) at step 4, and the approved decisions
    corrective_actions: list[CorrectiveAction]  # the latest LISTED decided in this period
    corrective_total: int  # how many were decided in this period (all listed: review_lists)
    follow_up: ReviewActions  # corrective actions added in the period, by status now
    follow_up_figures: list[Figure]  # their counts by status, against the period before
    performance: list[Figure]  # share of steps within standard, median total working time
    steps: list[StepTrend]
    survey: list[Figure]
    survey_current: Results
    survey_previous: Results
    generated_at: datetime

    @property
    def corrective_more(self) -> int:
        """How many decided corrective actions the review does not list (see review_lists)."""
        return self.corrective_total - len(self.corrective_actions)


def _share(within: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(100 * within) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.since, f"{field}__lt": period.until})


def _appeal_counts(current: rollups.Figures, previous: rollups.Figures) -> dict[str, int]:
    """Received, open at the end, withdrawn and closed as duplicates, of both periods (their
    rollups: banding.reports.rollups)."""
    counts = {}
    for key, figures in (("cur", current), ("prev", previous)):
        counts[f"received_{key}"] = sum(figures.received.values())
        counts[f"open_{key}"] = figures.open_at_end or 0
        # Ended before the SOP's end, each counted as such (not a rejection, not a decision).
        for status in (Status.WITHDRAWN, Status.DUPLICATE):
            counts[f"{status}_{key}"] = sum(
                c.count for (_, s, _), c in figures.ended.items() if s == status
            )
    return counts


def _step_outcomes(
    current: rollups.Figures, previous: rollups.Figures
) -> dict[tuple[int, str, str], Mapping[str, Any]]:
    """Per (step, outcome, decision): how many completed in each period, and how many of
    them carry a corrective action (a decided remedy). Steps 3 (relevance), 4 (rejection)
    and 10 approved (the decision, as the panel decided it and the head approved it)."""
    rows: dict[tuple[int, str, str], dict[str, int]] = {}
    for key, figures in (("cur", current), ("prev", previous)):
        for outcome, (n, remedies) in figures.outcomes.items():
            row = rows.setdefault(
                outcome, {"cur": 0, "prev": 0, "remedies_cur": 0, "remedies_prev": 0}
            )
            row[key] += n
            row[f"remedies_{key}"] += remedies
    return dict(rows)


def _pick(
    rows: dict[tuple[int, str, str], Mapping[str, Any]],
    outcome: Result,
    decision: str | None = None,
) -> tuple[int, int]:
    """(this period, the one before) for a step's outcome, of one decision or any; summed over
    at most a handful of already aggregated rows."""
    number = sop.step_of(outcome)
    found = [
        r for (n, o, d), r in rows.items() if (n, o) == (number, outcome) and decision in (None, d)
    ]
    return sum(r["cur"] for r in found), sum(r["prev"] for r in found)


def decided_in(period: Period) -> QuerySet[Step]:
    """The approvals (step 10) of the period whose decision carries a corrective action, the
    latest first: the review's list, its paged page and its files (rows: `corrective_action`)."""
    return (
        Step.objects.filter(
            _in("completed_at", period),
            number=sop.step_of(Result.APPROVED),
            outcome=Result.APPROVED,
        )
        .exclude(appeal__decision_remedy="")
        .select_related("appeal")
        .only(
            "completed_at",
            "appeal__number",
            "appeal__public_id",
            "appeal__decision",
            "appeal__decision_remedy",
        )
        .order_by("-completed_at", "-id")
    )


def corrective_action(step: Step) -> CorrectiveAction:
    appeal = step.appeal
    return CorrectiveAction(
        appeal.number,
        appeal.public_id,
        Decision(appeal.decision).label,
        appeal.decision_remedy,
        step.completed_at,
    )


def _corrective_actions(period: Period) -> list[CorrectiveAction]:
    return [corrective_action(step) for step in decided_in(period)[:LISTED]]


def _follow_up_figures(follow_up: ReviewActions) -> list[Figure]:
    """The follow-up's counts by status, overdue and total: both periods from one aggregate
    (banding.corrective.selectors.for_review), so both are counted by the same code."""
    return [
        *(Figure(c.label, c.count, c.previous) for c in follow_up.counts),
        Figure(
            _("Terlambat (terbuka melewati tenggat)"),
            follow_up.overdue,
            follow_up.previous_overdue,
        ),
        Figure(_("Jumlah"), follow_up.total, follow_up.previous_total),
    ]


def _median_totals(
    current: rollups.Figures, previous: rollups.Figures
) -> dict[tuple[str, str], int]:
    """Median total working time (all steps, Appeal.working_minutes) of the appeals finished
    in each period, by how they finished: closed with a decision, or rejected as not relevant;
    from the histograms of the months' rollups (banding.reports.rollups)."""
    found = {}
    for key, figures in ((CURRENT, current), (PREVIOUS, previous)):
        for status in (Status.CLOSED, Status.REJECTED):
            runs = (r for k, c in figures.ended.items() if k[1] == status for r in c.runs)
            value = median(runs)
            if value is not None:
                found[(key, status.value)] = int(
                    Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP)
                )
    return found


def _overall_share(stats: list[StepStats]) -> Decimal | None:
    # Eleven rows, one per SOP step (already aggregated): summed here.
    return _share(sum(s.within for s in stats), sum(s.count for s in stats))


def review(period: Period) -> Review:
    previous = period.previous()
    now = timezone.now()
    figures_cur = rollups.figures(period, now=now, review=True)
    figures_prev = rollups.figures(previous, now=now, review=True)
    appeals = _appeal_counts(figures_cur, figures_prev)
    outcomes = _step_outcomes(figures_cur, figures_prev)
    medians = _median_totals(figures_cur, figures_prev)
    stats_cur = step_stats(period, found=figures_cur)
    stats_prev = step_stats(previous, found=figures_prev)
    survey_cur, survey_prev = survey.results(period), survey.results(previous)

    relevant = _pick(outcomes, Result.RELEVANT)
    not_relevant = _pick(outcomes, Result.NOT_RELEVANT)
    rejected = _pick(outcomes, Result.REJECTED)
    decided = {d: _pick(outcomes, Result.APPROVED, d) for d in Decision.values}
    remedies = [r for key, r in outcomes.items() if key[0] == sop.step_of(Result.APPROVED)]
    running = period.until > now
    decided_remedies = (
        sum(r["remedies_cur"] for r in remedies),
        sum(r["remedies_prev"] for r in remedies),
    )
    follow_up = corrective.for_review(period, now, previous)
    return Review(
        period=period,
        previous=previous,
        received=[
            Figure(_("Banding diterima"), appeals["received_cur"], appeals["received_prev"]),
            Figure(_("Diverifikasi relevan"), *relevant),
            Figure(_("Diverifikasi tidak relevan"), *not_relevant),
            Figure(
                _("Banding masih berjalan pada akhir periode (periode ini: saat ini)")
                if running
                else _("Banding masih berjalan pada akhir periode"),
                appeals["open_cur"],
                appeals["open_prev"],
            ),
        ],
        outcomes=[
            Figure(_("Ditolak karena tidak relevan (langkah 4)"), *rejected),
            *(
                Figure(_("Keputusan disetujui: %(label)s") % {"label": label}, *decided[value])
                for value, label in Decision.choices
            ),
            Figure(
                _("Dicabut oleh pelanggan"),
                appeals[f"{Status.WITHDRAWN}_cur"],
                appeals[f"{Status.WITHDRAWN}_prev"],
            ),
            Figure(
                _("Ditutup sebagai duplikat banding lain"),
                appeals[f"{Status.DUPLICATE}_cur"],
                appeals[f"{Status.DUPLICATE}_prev"],
            ),
            Figure(_("Tindakan perbaikan/pemulihan diputuskan"), *decided_remedies),
        ],
        corrective_actions=_corrective_actions(period),
        corrective_total=decided_remedies[0],
        follow_up=follow_up,
        follow_up_figures=_follow_up_figures(follow_up),
        performance=[
            Figure(
                _("Langkah selesai sesuai mutu baku waktu"),
                _overall_share(stats_cur),
                _overall_share(stats_prev),
                Kind.PERCENT,
            ),
            Figure(
                _("Median total waktu kerja banding selesai dengan keputusan"),
                medians.get((CURRENT, Status.CLOSED)),
                medians.get((PREVIOUS, Status.CLOSED)),
                Kind.MINUTES,
            ),
            Figure(
                _("Median total waktu kerja banding ditolak (tidak relevan)"),
                medians.get((CURRENT, Status.REJECTED)),
                medians.get((PREVIOUS, Status.REJECTED)),
                Kind.MINUTES,
            ),
        ],
        steps=[
            StepTrend(
                cur,
                prev,
                Figure(
                    f"{cur.number}. {cur.title}",
                    _share(cur.within, cur.count),
                    _share(prev.within, prev.count),
                    Kind.PERCENT,
                ),
            )
            for cur, prev in zip(stats_cur, stats_prev, strict=True)
        ],
        survey=[
            Figure(
                _("Indeks Kepuasan Masyarakat (IKM)"), survey_cur.ikm, survey_prev.ikm, Kind.INDEX
            ),
            Figure(_("Responden survei"), survey_cur.respondents, survey_prev.respondents),
        ],
        survey_current=survey_cur,
        survey_previous=survey_prev,
        generated_at=now,
    )
