"""Notices and the e-mail outbox in the admin: read-only, as they are written by the services
and the worker. Failed mails (state "Gagal") are found with the status filter and can be sent
again with the "Kirim ulang" action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from banding.accounts.admin import ReadOnlyAdmin
from banding.accounts.models import User
from banding.errors import Forbidden
from banding.notifications.models import Digest, Mail, Notification
from banding.notifications.outbox import mail_resend


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "appeal", "message", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("appeal__number", "recipient__username", "message")
    list_select_related = ("appeal", "recipient")
    date_hierarchy = "created_at"


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    """The digests sent (banding.notifications.digests): to whom, which cadence, how many
    steps, and the outbox row that delivers it (its state says whether it went)."""

    list_display = ("created_at", "recipient", "cadence", "count", "mail")
    list_filter = ("cadence",)
    search_fields = ("recipient__username", "recipient__email")
    list_select_related = ("recipient", "mail")
    date_hierarchy = "created_at"


@admin.action(description=_("Kirim ulang surel yang gagal"))
def resend(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Mail]) -> None:
    # The admin site lets in signed-in staff only: never an anonymous user here.
    assert isinstance(request.user, User), "the admin site requires a login"
    try:
        count = mail_resend(user=request.user, mails=queryset)
    except Forbidden as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return
    skipped = queryset.count() - count
    text = ngettext(
        "%(count)s surel dijadwalkan untuk dikirim ulang.",
        "%(count)s surel dijadwalkan untuk dikirim ulang.",
        count,
    ) % {"count": count}
    if skipped:
        text += " " + ngettext(
            "%(skipped)s surel lain dilewati: hanya surel berstatus Gagal yang dikirim ulang.",
            "%(skipped)s surel lain dilewati: hanya surel berstatus Gagal yang dikirim ulang.",
            skipped,
        ) % {"skipped": skipped}
    modeladmin.message_user(request, text, messages.SUCCESS if count else messages.WARNING)


@admin.register(Mail)
class MailAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "to_address",
        "appeal",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "subject",
    )
    list_filter = ("state", "kind")
    search_fields = ("to_address", "appeal__number", "subject", "message_id")
    list_select_related = ("appeal",)
    date_hierarchy = "created_at"
    actions = [resend]
