"""Monitoring forms in the admin, read-only: they are written only through
banding.reports.monitoring (the monitoring page), which records each save in the audit log."""

from django.contrib import admin

from banding.accounts.admin import ReadOnlyAdmin
from banding.reports.models import MonitoringForm


@admin.register(MonitoringForm)
class MonitoringFormAdmin(ReadOnlyAdmin):
    list_display = ("period_label", "status", "evaluator", "updated_at", "evaluated_at")
    list_filter = ("status",)
    list_select_related = ("evaluator",)
    date_hierarchy = "period_start"
