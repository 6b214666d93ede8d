"""The reports' figures from the raw steps and appeals, over ranges of instants: what a frozen
month stores (banding.reports.rollups.freeze) and the live part of a period (its running
month, its partial edges). Each is one query, its cost bounded by the rows of the ranges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from banding.appeals.models import Appeal, Status, Step
from banding.reports.histogram import Run, run
from banding.reports.months import Range, pieces
from banding.sop import definition as sop
from banding.sop.definition import Result

# The outcomes the management review counts: the verification (relevant or not), the
# rejection, and the head's approval of a decision (by decision, with its remedies).
VERIFIED, REJECTED = sop.step_of(Result.RELEVANT), sop.step_of(Result.REJECTED)
APPROVED = sop.step_of(Result.APPROVED)


@dataclass
class StepCell:
    count: int = 0
    within: int = 0
    runs: list[Run] = field(default_factory=list)


@dataclass
class EndedCell:
    count: int = 0
    runs: list[Run] = field(default_factory=list)


def _in(name: str, ranges: Sequence[Range]) -> Q:
    return reduce(or_, (Q(**{f"{name}__gte": a, f"{name}__lt": b}) for a, b in ranges))


def raw_steps(ranges: Sequence[Range]) -> dict[tuple[int, str], StepCell]:
    """Per (step, service type): the occurrences completed in the ranges with a working time
    (a stopped step has none), how many within the standard, and their histogram. One
    query."""
    rows = (
        Step.objects.filter(_in("completed_at", ranges), working_minutes__isnull=False)
        .values_list("number", "appeal__service_type", "working_minutes")
        .annotate(n=Count("id"), w=Count("id", filter=Q(within_standard=True)))
        .order_by()
    )
    found: dict[tuple[int, str], tuple[int, list[tuple[int, int]]]] = {}
    for number, service, minutes, n, w in rows:
        within, values = found.setdefault((number, service), (0, []))
        values.append((minutes, n))
        found[(number, service)] = (within + w, values)
    return {
        key: StepCell(sum(n for _, n in values), within, [run(values)])
        for key, (within, values) in found.items()
    }


def raw_open_overdue(at: datetime) -> dict[tuple[int, str], int]:
    """Per (step, service type): the steps open at `at` whose due instant had passed by then.
    One query."""
    rows = (
        Step.objects.filter(started_at__lt=at, due_at__lt=at)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=at))
        .values_list("number", "appeal__service_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(number, service): n for number, service, n in rows}


def raw_ended(ranges: Sequence[Range]) -> dict[tuple[str, str, str], EndedCell]:
    """Per (service type, status, decision): the appeals that ended in the ranges and the
    histogram of their total working time (left out where none was measured). One query."""
    rows = (
        Appeal.objects.filter(_in("closed_at", ranges))
        .exclude(status=Status.OPEN)
        .values_list("service_type", "status", "decision", "working_minutes")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[tuple[str, str, str], tuple[int, list[tuple[int, int]]]] = {}
    for service, status, decision, minutes, n in rows:
        count, values = found.setdefault((service, status, decision), (0, []))
        if minutes is not None:
            values.append((minutes, n))
        found[(service, status, decision)] = (count + n, values)
    return {key: EndedCell(count, [run(values)]) for key, (count, values) in found.items()}


def raw_received(ranges: Sequence[Range]) -> dict[tuple[date, str], int]:
    """Per (month, service type): the appeals received in the ranges, counted by ranges of the
    received_at index in one query (truncating every instant to its month costs a function
    call per appeal)."""
    cut = pieces(list(ranges))
    rows = (
        Appeal.objects.filter(_in("received_at", ranges))
        .values_list("service_type")
        .annotate(
            **{
                f"m{i}": Count("id", filter=Q(received_at__gte=a, received_at__lt=b))
                for i, (_, a, b) in enumerate(cut)
            }
        )
        .order_by()
    )
    found: dict[tuple[date, str], int] = {}
    for service, *counts in rows:
        for (month, _, _), n in zip(cut, counts, strict=True):
            found[(month, service)] = found.get((month, service), 0) + n
    return found


def raw_open_at(at: datetime) -> dict[str, int]:
    """Per service type: the appeals received before `at` and not ended by then. One query
    over every appeal: only a month being frozen asks it (see raw_open_total)."""
    rows = (
        Appeal.objects.filter(received_at__lt=at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=at))
        .values_list("service_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def raw_open_total(at: datetime) -> int:
    """How many appeals were open at `at`, all service types: those received before it less
    those ended before it (an appeal ends after it is received), two counts each read from
    its own index."""
    received = Appeal.objects.filter(received_at__lt=at).count()
    return received - Appeal.objects.filter(closed_at__lt=at).count()


def raw_outcomes(ranges: Sequence[Range]) -> dict[tuple[int, str, str], list[int]]:
    """Per (step, outcome, decision): [how many completed in the ranges, how many of them
    carry a corrective action]; the decision only for the approvals (step 10), the
    verifications and rejections by outcome alone. One query."""
    rows = (
        Step.objects.filter(_in("completed_at", ranges))
        .filter(Q(number__in=(VERIFIED, REJECTED)) | Q(number=APPROVED, outcome=Result.APPROVED))
        .values_list("number", "outcome", "appeal__decision")
        .annotate(
            n=Count("pk"),
            remedies=Count("pk", filter=~Q(appeal__decision_remedy="")),
        )
        .order_by()
    )
    found: dict[tuple[int, str, str], list[int]] = {}
    for number, outcome, decision, n, remedies in rows:
        cell = found.setdefault((number, outcome, decision if number == APPROVED else ""), [0, 0])
        cell[0] += n
        cell[1] += remedies if number == APPROVED else 0
    return found
