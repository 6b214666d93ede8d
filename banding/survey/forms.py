"""The survey's two forms: the customer's questionnaire (portal) and the period chosen on the
staff results page."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from banding.appeals.forms.base import BootstrapForm, DateInput, textarea
from banding.survey.elements import ELEMENTS
from banding.survey.selectors import QUARTERS, Period
from banding.survey.services import COMMENT_MAX
from banding.workdays.calendar import MONTH_NAMES


class SurveyForm(BootstrapForm):
    """Nine questions, each with the regulation's four answers, and a comment."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            field = forms.TypedChoiceField(
                label=f"{element.code.upper()}. {element.question}",
                choices=element.choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=element.name,
                error_messages={
                    "required": f"Nilai {element.code.upper()} ({element.name}) wajib dipilih.",
                    "invalid_choice": (
                        f"Nilai {element.code.upper()} ({element.name}) harus 1, 2, 3 atau 4."
                    ),
                },
            )
            self.fields[element.code] = field
        # The comment last, after the nine questions.
        self.fields["comment"] = self.fields.pop("comment")

    comment = forms.CharField(
        label="Saran dan komentar",
        required=False,
        max_length=COMMENT_MAX,
        widget=textarea(4),
        help_text="Boleh dikosongkan.",
    )

    def scores(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[e.code] for e in ELEMENTS}


class PeriodKind:
    YEAR, QUARTER, MONTH, RANGE = "tahun", "triwulan", "bulan", "rentang"
    CHOICES = (
        (YEAR, "Tahun"),
        (QUARTER, "Triwulan"),
        (MONTH, "Bulan"),
        (RANGE, "Rentang tanggal"),
    )


class PeriodForm(BootstrapForm):
    """GET parameters of the results page: a year, a quarter or a month of a year, or a
    date range (WIB days, both ends included)."""

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
    def from_query(cls, query) -> PeriodForm:
        """Bound to the query string; this year when nothing is chosen yet."""
        if "jenis" not in query:
            query = {"jenis": PeriodKind.YEAR, "tahun": timezone.localdate().year}
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
        if kind == PeriodKind.QUARTER:
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
