"""The form that picks a report period (banding.workdays.periods) from the query string."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm, DateInput
from banding.formats import MONTH_NAMES
from banding.workdays.periods import QUARTERS, SEMESTERS, Period


class PeriodKind:
    YEAR, SEMESTER, QUARTER, MONTH, RANGE = "tahun", "semester", "triwulan", "bulan", "rentang"
    CHOICES = (
        (YEAR, _("Tahun")),
        (SEMESTER, _("Semester")),
        (QUARTER, _("Triwulan")),
        (MONTH, _("Bulan")),
        (RANGE, _("Rentang tanggal")),
    )


class PeriodForm(BootstrapForm):
    """GET parameters of a report page: a year, a semester, a quarter or a month of a year, or
    a date range (WIB days, both ends included)."""

    jenis = forms.ChoiceField(label=_("Periode"), choices=PeriodKind.CHOICES)
    tahun = forms.IntegerField(
        label=_("Tahun"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": _("Tahun harus bilangan bulat."),
            "min_value": _("Tahun paling awal 2000."),
            "max_value": _("Tahun paling akhir 2100."),
        },
    )
    semester = forms.TypedChoiceField(
        label=_("Semester"),
        choices=[("", "—")] + [(i, n) for i, n in enumerate(SEMESTERS, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    triwulan = forms.TypedChoiceField(
        label=_("Triwulan"),
        choices=[("", "—")] + [(i, q) for i, q in enumerate(QUARTERS, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    bulan = forms.TypedChoiceField(
        label=_("Bulan"),
        choices=[("", "—")] + [(i, m) for i, m in enumerate(MONTH_NAMES, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())

    @classmethod
    def from_query(cls, query: Mapping[str, Any], *, default: str = PeriodKind.YEAR) -> PeriodForm:
        """Bound to the query string; when nothing is chosen yet, the current year (or, with
        `default=PeriodKind.SEMESTER`, the current semester: the SOP monitoring's period)."""
        if "jenis" not in query:
            today = timezone.localdate()
            query = {"jenis": default, "tahun": today.year, "semester": 1 + (today.month > 6)}
        return cls(query, auto_id="periode-%s")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("jenis")
        if kind == PeriodKind.RANGE:
            start, end = data.get("dari"), data.get("sampai")
            if not start or not end:
                raise forms.ValidationError(gettext("Isi tanggal awal dan akhir rentang."))
            if end < start:
                self.add_error("sampai", gettext("Tanggal akhir tidak boleh sebelum tanggal awal."))
                return data
            data["period"] = Period.between(start, end)
            return data
        year = data.get("tahun")
        if year is None:
            if "tahun" not in self.errors:
                self.add_error("tahun", gettext("Tahun wajib diisi."))
            return data
        if kind == PeriodKind.SEMESTER:
            if not data.get("semester"):
                self.add_error("semester", gettext("Pilih semester."))
                return data
            data["period"] = Period.semester(year, data["semester"])
        elif kind == PeriodKind.QUARTER:
            if not data.get("triwulan"):
                self.add_error("triwulan", gettext("Pilih triwulan."))
                return data
            data["period"] = Period.quarter(year, data["triwulan"])
        elif kind == PeriodKind.MONTH:
            if not data.get("bulan"):
                self.add_error("bulan", gettext("Pilih bulan."))
                return data
            data["period"] = Period.month(year, data["bulan"])
        elif kind == PeriodKind.YEAR:
            data["period"] = Period.year(year)
        return data

    def period(self) -> Period:
        return self.cleaned_data["period"]
