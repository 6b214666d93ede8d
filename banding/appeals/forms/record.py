"""Step 2: who at the institute, or outside it, was involved in the original activity (the
customer cannot say). The same answer is asked by the staff intake (steps 1-2) and by the
recording of an appeal submitted online; the services refuse step 2 without it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import TechnicalTeam
from banding.appeals import selectors
from banding.appeals.forms.base import BootstrapForm, textarea
from banding.appeals.forms.steps import StepForm
from banding.sop import definition as sop

NO_REASON = _("Tuliskan alasan tidak ada pihak yang terlibat.")
REASON_UNCHECKED = _("Centang 'Tidak ada pihak terlibat' atau kosongkan alasannya.")


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple select with a search box above it that hides the options not matching
    (static/js/app.js, `data-filter-for`); without the script it is a plain list."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        select = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id", "")
        return format_html(
            '<input type="search" class="form-control form-control-sm mb-1" '
            'placeholder="{}" aria-label="{}" '
            'data-filter-for="{}">{}',
            gettext("Cari nama pegawai…"),
            gettext("Cari nama pegawai"),
            target,
            select,
        )


class InvolvementFields(BootstrapForm):
    """The step 2 answer; `involvement_kwargs` gives it as the services' keyword arguments."""

    involved_persons = forms.ModelMultipleChoiceField(
        label=_("Pegawai yang terlibat dalam kegiatan atau keluhan semula"),
        queryset=selectors.staff_users(),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 6}),
        help_text=sop.IMPARTIALITY,
    )
    involved_note = forms.CharField(
        label=_("Nama pihak luar yang terlibat"),
        widget=textarea(2),
        required=False,
        help_text=_("Satu nama per baris, dengan instansinya."),
    )
    appealed_team = forms.ModelChoiceField(
        label=_("Tim teknis yang hasil kerjanya dibanding"),
        queryset=TechnicalTeam.objects.order_by("name"),
        required=False,
        empty_label=_("— tidak ada / bukan hasil kerja tim teknis —"),
        help_text=_("Anggotanya dianggap terlibat kecuali Ketua Tim PJTK mencatat alasannya."),
    )
    no_involved = forms.BooleanField(label=_("Tidak ada pihak terlibat"), required=False)
    no_involved_reason = forms.CharField(
        label=_("Alasan tidak ada pihak terlibat"),
        widget=textarea(2),
        required=False,
        help_text=_("Wajib bila 'Tidak ada pihak terlibat' dicentang."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = (data.get("no_involved_reason") or "").strip()
        if data.get("no_involved") and not reason:
            self.add_error("no_involved_reason", NO_REASON)
        if reason and not data.get("no_involved"):
            self.add_error("no_involved_reason", REASON_UNCHECKED)
        return data

    def involvement_kwargs(self) -> dict[str, Any]:
        return involvement_kwargs(self.cleaned_data)


def involvement_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned answer as keyword arguments of appeal_register and appeal_record."""
    return {
        "involved_persons": list(data["involved_persons"]),
        "involved_note": data["involved_note"],
        "appealed_team": data["appealed_team"],
        "no_involved_reason": data["no_involved_reason"] if data["no_involved"] else "",
    }


class RecordForm(StepForm, InvolvementFields):
    pass


class TeamExemptForm(StepForm):
    reason = forms.CharField(
        label=_("Alasan anggota tim teknis tidak dianggap terlibat"),
        widget=textarea(3),
        help_text=_("Mis. pekerjaan yang dibanding dilakukan oleh pegawai yang sudah dicatat."),
    )
