"""The dashboard page (/laporan/) for the head, the team leader, auditors and administrators."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET

from banding.accounts.models import User
from banding.appeals import selectors as appeal_selectors
from banding.appeals.forms.base import BootstrapForm
from banding.appeals.models import ServiceType
from banding.letters import selectors as letter_selectors
from banding.reports import dashboard as figures
from banding.reports.period_forms import PeriodForm, PeriodKind
from banding.reports.views import readers_only


class ServiceFilterForm(BootstrapForm):
    layanan = forms.ChoiceField(
        label=_("Jenis layanan"),
        choices=[("", _("Semua layanan")), *ServiceType.choices],
        required=False,
    )

    def service_type(self) -> str:
        # An unknown value is shown as an error on the form and all services are counted.
        if not self.is_valid():
            return ""
        return self.cleaned_data.get("layanan") or ""


@readers_only(N_("Dasbor laporan"))
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PeriodForm.from_query(request.GET, default=PeriodKind.YEAR)
    service_form = ServiceFilterForm(request.GET, auto_id="saring-%s")
    context: dict[str, Any] = {"form": form, "service_form": service_form}
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=400)
    board = figures.dashboard(period=form.period(), service_type=service_form.service_type())
    context.update(board=board, charts=board.chart_data(), waiting=_waiting(request))
    return render(request, "reports/dashboard.html", context)


def _waiting(request: HttpRequest) -> dict[str, int]:
    """What waits for this reader in Tugas saya (the head lands here, not there): its turns
    and the letters others drafted for its signature, two counts."""
    user = cast(User, request.user)  # readers_only: signed in
    return {
        "turns": appeal_selectors.inbox_count(user),
        "to_sign": letter_selectors.to_sign(user).count(),
    }
