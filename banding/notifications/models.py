import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    STEP_AT_RISK = "step_at_risk", "Hampir jatuh tempo"
    STEP_OVERDUE = "step_overdue", "Terlambat"
    ESCALATION = "escalation", "Eskalasi keterlambatan"


class Notification(models.Model):
    """A notice to one user about one appeal. Written in the transaction of what it tells
    (banding.notifications.services.notify), so a committed change always has its notices and
    an aborted one none; every channel (the in-app list now, e-mail later) reads these rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="penerima",
    )
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="banding",
    )
    step = models.ForeignKey(
        "appeals.Step",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="langkah",
    )
    message = models.TextField("pesan")
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    read_at = models.DateTimeField("dibaca", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notice of a kind per step and person, even when two sweeps race.
            models.UniqueConstraint(
                fields=["recipient", "step", "kind"], name="notification_once_per_step"
            ),
        ]
        indexes = [
            # The unread count of the navbar and the list of one user.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
