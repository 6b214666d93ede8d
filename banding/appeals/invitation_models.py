"""The panel's invitations to the customer to explain its appeal (the note on SOP step 7),
re-exported by banding.appeals.models."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_


class InvitationMode(models.TextChoices):
    MEETING = "meeting", N_("Hadir dalam pertemuan")
    WRITTEN = "written", N_("Penjelasan tertulis")


class InvitationResponse(models.TextChoices):
    ATTEND = "attend", N_("Akan hadir")
    DECLINE = "decline", N_("Tidak dapat hadir")
    WRITTEN = "written", N_("Penjelasan tertulis dikirim")


class PanelInvitation(models.Model):
    """The panel invites the customer to explain its appeal (the note on SOP step 7): in a
    meeting (date, place) or in writing by a date. The customer answers once: attendance
    confirmed or declined, or a written explanation with files (Documents of kind
    customer_explanation)."""

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="invitations"
    )
    mode = models.CharField(_("bentuk"), max_length=10, choices=InvitationMode.choices)
    meeting_at = models.DateTimeField(_("waktu pertemuan"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    respond_by = models.DateTimeField(_("batas jawaban"), null=True, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("diundang"), default=timezone.now)
    response = models.CharField(
        _("jawaban"), max_length=10, choices=InvitationResponse.choices, blank=True
    )
    response_note = models.TextField(_("catatan / penjelasan"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    responded_at = models.DateTimeField(_("dijawab"), null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = _("undangan klarifikasi pelanggan")
        verbose_name_plural = _("undangan klarifikasi pelanggan")

    def __str__(self) -> str:
        return f"{self.appeal.number}: {self.get_mode_display()}"
