"""The survey's results per period, computed in the database: one aggregate query gives
the number of respondents and each element's sum; the comments are a second query.

Per Permenpan-RB 14/2017: NRR (nilai rata-rata) of an element = its average score; IKM =
the nine NRR weighted equally (the regulation's weight 0.111 is 1/9 rounded), × 25, so that
it runs from 25 to 100; the grade (mutu pelayanan) from the regulation's interval table. The
weight is taken exactly as 1/9: with 0.111 a survey answered "4" throughout would score 99.9,
below the table's own top of 100."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.db.models import Count, QuerySet, Sum

from banding.formats import format_decimal
from banding.survey.elements import ELEMENTS, Element, Quality, converted, quality_of
from banding.survey.models import SurveyResponse
from banding.workdays.periods import Period

COMMENTS_SHOWN = 200


def responses_in(period: Period) -> QuerySet[SurveyResponse]:
    """The answers submitted in the period (WIB days), by the indexed submitted_at."""
    return SurveyResponse.objects.filter(
        submitted_at__gte=period.since, submitted_at__lt=period.until
    )


def decimal_id(value: Decimal, places: int = 2) -> str:
    """78,70: Indonesian decimal comma, fixed places (banding.formats)."""
    return format_decimal(value, places)


@dataclass(frozen=True)
class ElementResult:
    element: Element
    nrr: Decimal  # average score 1-4, three decimals
    value: Decimal  # NRR × 25, two decimals
    quality: Quality

    @property
    def nrr_text(self) -> str:
        return decimal_id(self.nrr, 3)

    @property
    def value_text(self) -> str:
        return decimal_id(self.value)


@dataclass(frozen=True)
class Results:
    period: Period
    respondents: int
    elements: list[ElementResult]
    ikm: Decimal | None  # None when nobody answered in the period
    quality: Quality | None

    @property
    def ikm_text(self) -> str:
        return decimal_id(self.ikm) if self.ikm is not None else ""


class Comment(TypedDict):
    """One comment of the results page (`comments`)."""

    submitted_at: datetime
    comment: str


def results(period: Period) -> Results:
    totals = responses_in(period).aggregate(
        respondents=Count("pk"), **{e.code: Sum(e.code) for e in ELEMENTS}
    )
    n = totals["respondents"]
    if not n:
        return Results(period, 0, [], None, None)
    elements = []
    for e in ELEMENTS:
        score_sum = totals[e.code]
        value = converted(score_sum, n)
        nrr = (Decimal(score_sum) / Decimal(n)).quantize(Decimal("0.001"), ROUND_HALF_UP)
        elements.append(ElementResult(e, nrr, value, quality_of(value)))
    ikm = converted(sum(totals[e.code] for e in ELEMENTS), n * len(ELEMENTS))
    return Results(period, n, elements, ikm, quality_of(ikm))


def comments(period: Period, limit: int = COMMENTS_SHOWN) -> list[Comment]:
    """The period's non-empty comments, newest first (at most `limit`; the CSV has all)."""
    return list(
        responses_in(period)
        .exclude(comment="")
        .order_by("-submitted_at", "-id")
        .values("submitted_at", "comment")[:limit]
    )


def for_export(period: Period) -> QuerySet[SurveyResponse]:
    return responses_in(period).select_related("appeal").order_by("submitted_at", "id")
