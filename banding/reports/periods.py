"""Report periods: a year, a semester, a quarter, a month, or a range of WIB days, and the form
that picks one from the query string. Shared by every report (survey results, monitoring,
management review, dashboard)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from banding.appeals.forms.base import BootstrapForm, DateInput
from banding.formats import MONTH_NAMES, format_day

QUARTERS = ("I", "II", "III", "IV")
SEMESTERS = ("I", "II")


def _day(value: date) -> str:
    return format_day(value)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:  # exclusive
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"Tahun {year}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(date(year, first, 1), end, f"Triwulan {QUARTERS[quarter - 1]} {year}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        return cls(start, end, f"{MONTH_NAMES[month - 1]} {year}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end, f"{_day(start)} – {_day(end)}")

    @classmethod
    def semester(cls, year: int, semester: int) -> Period:
        first = 1 if semester == 1 else 7
        last = first + 5
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(date(year, first, 1), end, f"Semester {SEMESTERS[semester - 1]} {year}")

    def previous(self) -> Period:
        """The period of the same length just before this one (for trends)."""
        days = (self.end - self.start).days + 1
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            # Whole months: the same number of whole months before (a semester, a quarter).
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            year, month = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
            start = date(year, month + 1, 1)
        return Period.between(start, end).named()

    def named(self) -> Period:
        """This period labelled as what it is when it is a whole year, semester, quarter or
        month ("Semester II 2025" rather than its two dates)."""
        year = self.start.year
        for candidate in (
            Period.year(year),
            *(Period.semester(year, s) for s in (1, 2)),
            *(Period.quarter(year, q) for q in (1, 2, 3, 4)),
            Period.month(year, self.start.month),
        ):
            if (candidate.start, candidate.end) == (self.start, self.end):
                return candidate
        return self


class PeriodKind:
    YEAR, SEMESTER, QUARTER, MONTH, RANGE = "tahun", "semester", "triwulan", "bulan", "rentang"
    CHOICES = (
        (YEAR, "Tahun"),
        (SEMESTER, "Semester"),
        (QUARTER, "Triwulan"),
        (MONTH, "Bulan"),
        (RANGE, "Rentang tanggal"),
    )


class PeriodForm(BootstrapForm):
    """GET parameters of a report page: a year, a semester, a quarter or a month of a year, or
    a date range (WIB days, both ends included)."""

    jenis = forms.ChoiceField(label="Periode", choices=PeriodKind.CHOICES)
    tahun = forms.IntegerField(
        label="Tahun",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": "Tahun harus bilangan bulat.",
            "min_value": "Tahun paling awal 2000.",
            "max_value": "Tahun paling akhir 2100.",
        },
    )
    semester = forms.TypedChoiceField(
        label="Semester",
        choices=[("", "—")] + [(i, n) for i, n in enumerate(SEMESTERS, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    triwulan = forms.TypedChoiceField(
        label="Triwulan",
        choices=[("", "—")] + [(i, q) for i, q in enumerate(QUARTERS, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    bulan = forms.TypedChoiceField(
        label="Bulan",
        choices=[("", "—")] + [(i, m) for i, m in enumerate(MONTH_NAMES, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    dari = forms.DateField(label="Dari tanggal", required=False, widget=DateInput())
    sampai = forms.DateField(label="Sampai tanggal", required=False, widget=DateInput())

    @classmethod
    def from_query(cls, query, *, default: str = PeriodKind.YEAR) -> PeriodForm:
        """Bound to the query string; when nothing is chosen yet, the current year (or, with
        `default=PeriodKind.SEMESTER`, the current semester: the SOP monitoring's period)."""
        if "jenis" not in query:
            today = timezone.localdate()
            query = {"jenis": default, "tahun": today.year, "semester": 1 + (today.month > 6)}
        return cls(query, auto_id="periode-%s")

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("jenis")
        if kind == PeriodKind.RANGE:
            start, end = data.get("dari"), data.get("sampai")
            if not start or not end:
                raise forms.ValidationError("Isi tanggal awal dan akhir rentang.")
            if end < start:
                self.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
                return data
            data["period"] = Period.between(start, end)
            return data
        year = data.get("tahun")
        if year is None:
            if "tahun" not in self.errors:
                self.add_error("tahun", "Tahun wajib diisi.")
            return data
        if kind == PeriodKind.SEMESTER:
            if not data.get("semester"):
                self.add_error("semester", "Pilih semester.")
                return data
            data["period"] = Period.semester(year, data["semester"])
        elif kind == PeriodKind.QUARTER:
            if not data.get("triwulan"):
                self.add_error("triwulan", "Pilih triwulan.")
                return data
            data["period"] = Period.quarter(year, data["triwulan"])
        elif kind == PeriodKind.MONTH:
            if not data.get("bulan"):
                self.add_error("bulan", "Pilih bulan.")
                return data
            data["period"] = Period.month(year, data["bulan"])
        elif kind == PeriodKind.YEAR:
            data["period"] = Period.year(year)
        return data

    def period(self) -> Period:
        return self.cleaned_data["period"]
