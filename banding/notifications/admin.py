"""Notices in the admin: read-only, as they are written by the sweep and read by their
recipient only."""

from django.contrib import admin

from banding.accounts.admin import ReadOnlyAdmin
from banding.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "appeal", "message", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("appeal__number", "recipient__username", "message")
    list_select_related = ("appeal", "recipient")
    date_hierarchy = "created_at"
