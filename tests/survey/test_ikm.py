"""The IKM (Indeks Kepuasan Masyarakat) per period, against values computed by hand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from banding.survey import selectors
from banding.survey.elements import ELEMENTS, converted, quality_of
from banding.workdays.periods import Period
from tests.survey.conftest import WIB, answer, rejected


def test_the_index_of_a_known_set_is_computed_exactly(p):
    # Three respondents:      u1 u2 u3 u4 u5 u6 u7 u8 u9   sum
    answer(p, rejected(p), 4)  # 4  4  4  4  4  4  4  4  4    36
    answer(p, rejected(p), 3)  # 3  3  3  3  3  3  3  3  3    27
    answer(p, rejected(p), 2, 3, 4, 1, 2, 3, 4, 1, 2, comment="Biaya perlu dijelaskan.")  # 22
    # IKM = 85 / 27 × 25 = 78,7037… → 78,70: mutu B (Baik).

    result = selectors.results(Period.year(2026))

    assert result.respondents == 3
    assert result.ikm == Decimal("78.70")
    assert result.ikm_text == "78,70"
    assert (result.quality.grade, result.quality.label) == ("B", "Baik")
    by_code = {r.element.code: r for r in result.elements}
    assert [r.element.code for r in result.elements] == [e.code for e in ELEMENTS]
    # u1: (4+3+2)/3 = 3,000 → 75,00 C; u3: 11/3 = 3,667 → 91,67 A; u4: 8/3 = 2,667 → 66,67 C
    assert (by_code["u1"].nrr_text, by_code["u1"].value_text, by_code["u1"].quality.grade) == (
        "3,000",
        "75,00",
        "C",
    )
    assert (by_code["u2"].nrr_text, by_code["u2"].value_text, by_code["u2"].quality.grade) == (
        "3,333",
        "83,33",
        "B",
    )
    assert (by_code["u3"].nrr_text, by_code["u3"].value_text, by_code["u3"].quality.grade) == (
        "3,667",
        "91,67",
        "A",
    )
    assert (by_code["u4"].nrr_text, by_code["u4"].value_text, by_code["u4"].quality.grade) == (
        "2,667",
        "66,67",
        "C",
    )
    assert [c["comment"] for c in selectors.comments(Period.year(2026))] == [
        "Biaya perlu dijelaskan."
    ]


def test_all_fours_is_the_top_of_the_scale(p):
    answer(p, rejected(p), 4)
    assert selectors.results(Period.year(2026)).ikm == Decimal("100.00")


def test_all_ones_is_the_bottom_of_the_scale(p):
    answer(p, rejected(p), 1)
    result = selectors.results(Period.year(2026))
    assert (result.ikm, result.quality.grade, result.quality.label) == (
        Decimal("25.00"),
        "D",
        "Tidak baik",
    )


def test_an_empty_period_has_no_index(p):
    answer(p, rejected(p), 4)

    result = selectors.results(Period.year(2025))

    assert (result.respondents, result.elements, result.ikm, result.quality) == (0, [], None, None)
    assert selectors.comments(Period.year(2025)) == []


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_the_grades_follow_the_regulations_table(value, grade):
    assert quality_of(Decimal(value)).grade == grade


def test_rounding_happens_once_on_the_exact_mean():
    # 3,5324 × 25 = 88,31 (A) while a mean first rounded to 3,53 would give 88,25 (B).
    assert converted(35324, 10000) == Decimal("88.31")
    assert converted(2, 3) == Decimal("16.67")  # 0,6666… × 25 = 16,666… → 16,67 (half up)


def test_periods_count_whole_days_in_wib(p, time_machine):
    march, april = rejected(p), rejected(p)
    time_machine.move_to(datetime(2026, 3, 31, 23, 30, tzinfo=WIB), tick=False)
    answer(p, march, 4)
    time_machine.move_to(datetime(2026, 4, 1, 0, 10, tzinfo=WIB), tick=False)  # 17:10 UTC
    answer(p, april, 2)

    def count(period: Period) -> int:
        return selectors.results(period).respondents

    assert count(Period.year(2026)) == 2
    assert count(Period.quarter(2026, 1)) == 1
    assert count(Period.quarter(2026, 2)) == 1
    assert count(Period.month(2026, 3)) == 1
    assert selectors.results(Period.month(2026, 4)).ikm == Decimal("50.00")
    assert count(Period.month(2026, 5)) == 0
    assert count(Period.between(date(2026, 3, 31), date(2026, 3, 31))) == 1
    assert count(Period.between(date(2026, 3, 31), date(2026, 4, 1))) == 2
    assert count(Period.year(2025)) == 0


def test_period_labels_are_indonesian():
    assert Period.year(2026).label == "Tahun 2026"
    assert Period.quarter(2026, 3).label == "Triwulan III 2026"
    assert Period.quarter(2026, 4).end == date(2026, 12, 31)
    assert Period.month(2026, 2).label == "Februari 2026"
    assert Period.month(2028, 2).end == date(2028, 2, 29)
    assert Period.between(date(2026, 1, 5), date(2026, 3, 31)).label == (
        "5 Januari 2026 – 31 Maret 2026"
    )
