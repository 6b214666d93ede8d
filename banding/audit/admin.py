"""The event log in the admin: read-only, as the log is append-only."""

from django.contrib import admin

from banding.accounts.admin import ReadOnlyAdmin, column
from banding.audit.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = (
        column("created_at", "waktu"),
        column("appeal", "banding"),
        column("step", "langkah"),
        column("action", "tindakan"),
        column("actor", "pelaku"),
        column("summary", "ringkasan"),
        column("public", "terlihat pelanggan", boolean=True),
    )
    list_filter = ("public", "step")
    search_fields = ("appeal__number", "action", "summary", "actor__username")
    list_select_related = ("appeal", "actor")
