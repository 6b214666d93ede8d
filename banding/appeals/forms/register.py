"""The filters of the buku agenda banding (a GET form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.appeals.deadlines import DeadlineState
from banding.appeals.forms.base import BootstrapForm, DateInput
from banding.appeals.models import ServiceType, Status
from banding.appeals.selectors import RegisterFilters
from banding.sop.definition import step_choices


class RegisterFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Cari"),
        max_length=100,
        required=False,
        help_text=_("Nomor register, pelanggan, nomor keluhan atau dokumen acuan."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *Status.choices], required=False
    )
    step = forms.TypedChoiceField(
        label=_("Langkah sekarang"),
        choices=[("", _("Semua langkah")), *step_choices()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    service_type = forms.ChoiceField(
        label=_("Jenis layanan"),
        choices=[("", _("Semua layanan")), *ServiceType.choices],
        required=False,
    )
    received_from = forms.DateField(label=_("Diterima sejak"), widget=DateInput(), required=False)
    received_to = forms.DateField(label=_("Diterima sampai"), widget=DateInput(), required=False)
    deadline = forms.ChoiceField(
        label=_("Keterlambatan"),
        choices=[("", _("Semua")), *DeadlineState.choices],
        required=False,
        help_text=_("Langkah yang sedang berjalan, menurut jatuh temponya."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error(
                "received_to", gettext("Tanggal akhir harus sama atau setelah tanggal awal.")
            )
        return data

    def filters(self) -> RegisterFilters:
        """The valid filters only: a wrong value is reported on the form and ignored, so the
        list still shows."""
        self.is_valid()
        data = self.cleaned_data
        return RegisterFilters(
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            step=data.get("step"),
            service_type=data.get("service_type") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            deadline=data.get("deadline") or "",
        )
