"""Corrective actions (tindakan perbaikan) decided with an appeal's decision (ISO/IEC 17025
7.10, 8.7): each has an owner, a due instant in working time, a status, and the Ketua Tim
PJTK's effectiveness check. Written only by banding.corrective.services."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "terbuka", _("Terbuka")
    DONE = "selesai", _("Selesai, menunggu verifikasi keefektifan")
    EFFECTIVE = "efektif", _("Efektif")
    INEFFECTIVE = "tidak_efektif", _("Tidak efektif (ditindaklanjuti)")


class CorrectiveAction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="corrective_actions",
        verbose_name=_("banding"),
    )
    description = models.TextField(_("uraian tindakan"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        verbose_name=_("penanggung jawab"),
        db_index=False,  # corrective_owner_status begins with it
    )
    due_at = models.DateTimeField(_("tenggat"))
    # When the "hampir jatuh tempo" reminder is due: the opening of the working day before.
    remind_at = models.DateTimeField(_("pengingat"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.OPEN
    )
    # An action that follows one found not effective.
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("tindak lanjut dari"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    completed_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    checked_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    effectiveness_note = models.TextField(_("catatan verifikasi keefektifan"), blank=True)
    # Each reminder is sent once: claimed by a conditional update (banding.corrective.reminders).
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"], name="corrective_owner_status"),
            models.Index(fields=["status", "due_at"], name="corrective_status_due"),
            # The sweep's pending reminders (open, not yet told).
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="terbuka", overdue_notified_at__isnull=True),
                name="corrective_overdue_pending",
            ),
            models.Index(
                fields=["remind_at"],
                condition=models.Q(status="terbuka", due_soon_notified_at__isnull=True),
                name="corrective_due_soon_pending",
            ),
        ]
        verbose_name = _("tindakan perbaikan")
        verbose_name_plural = _("tindakan perbaikan")

    def __str__(self) -> str:
        return f"Tindakan perbaikan {self.appeal_id}: {self.description[:60]}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Open and past its due instant."""
        return self.status == Status.OPEN and self.due_at <= (now or timezone.now())
