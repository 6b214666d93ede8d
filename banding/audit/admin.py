"""The event log in the admin: read-only, as the log is append-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from banding.accounts.admin import ReadOnlyAdmin, column
from banding.audit.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = (
        column("created_at", _("waktu")),
        column("appeal", _("banding")),
        column("step", _("langkah")),
        column("action", _("tindakan")),
        column("actor", _("pelaku")),
        column("summary", _("ringkasan")),
        column("public", _("terlihat pelanggan"), boolean=True),
    )
    list_filter = ("public", "step")
    search_fields = ("appeal__number", "action", "summary", "actor__username")
    list_select_related = ("appeal", "actor")
