"""The administrator's list of calendar overrides. Rows are added and withdrawn, never edited
(a changed decision is a withdrawal and a new row, both in the audit log), and every write goes
through banding.appeals.calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from banding.accounts.roles import Role, has_role
from banding.appeals import calendar as changes
from banding.formats import format_date
from banding.workdays.models import CalendarOverride


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "reason"]
        help_texts = {
            "kind": _(
                "Tutup: menambah hari libur pada hari kantor (SKB revisi, penutupan balai). "
                "Hari kerja: hari libur dari paket holidays tetap masuk kerja."
            ),
        }

    def validate_unique(self) -> None:
        # changes.override_problems reports a taken date with a clearer message.
        pass

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if {"date", "kind", "reason"} <= data.keys():
            problems = changes.override_problems(
                day=data["date"], kind=data["kind"], reason=data["reason"]
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = ["date", "day_label", "kind", "reason", "created_by", "created_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    list_select_related = ["created_by"]

    @admin.display(description=_("hari"), ordering="date")
    def day_label(self, obj: CalendarOverride) -> str:
        return format_date(obj.date)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: forms.ModelForm, change: bool
    ) -> None:
        created = changes.override_add(
            actor=request.user, day=obj.date, kind=obj.kind, reason=obj.reason
        )
        # The admin goes on with `obj` (log entry, redirect): give it the saved row's state.
        obj.pk = created.pk
        obj.reason = created.reason
        obj.created_by = created.created_by
        obj.created_at = created.created_at
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        changes.override_remove(actor=request.user, override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        with transaction.atomic():
            for override in queryset:
                changes.override_remove(actor=request.user, override=override)
