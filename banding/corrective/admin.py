"""Corrective actions in the admin, read-only: written only through
banding.corrective.services."""

from django.contrib import admin

from banding.accounts.admin import ReadOnlyAdmin
from banding.corrective.models import CorrectiveAction


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ("appeal", "description", "owner", "due_at", "status")
    list_select_related = ("appeal", "owner")
    list_filter = ("status",)
    search_fields = ("appeal__number", "description")
    exclude = ("public_id",)
