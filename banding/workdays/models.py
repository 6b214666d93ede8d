from django.conf import settings
from django.db import models
from django.utils import timezone


class OverrideKind(models.TextChoices):
    CLOSED = "closed", "Tutup (libur tambahan)"
    WORKING = "working", "Hari kerja (libur dibatalkan)"


class CalendarOverride(models.Model):
    """A date an administrator decides differently from the holidays package: an added
    closure (a revised decree, an institute closure) or a listed holiday worked after all.
    Written only through banding.appeals.calendar, which also records the audit event."""

    date = models.DateField("tanggal", unique=True)
    kind = models.CharField("jenis", max_length=10, choices=OverrideKind.choices)
    reason = models.TextField("alasan", help_text="Dasar keputusan, misalnya nomor SK atau surat.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dibuat oleh",
    )
    created_at = models.DateTimeField("dibuat pada", default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = "pengecualian kalender"
        verbose_name_plural = "pengecualian kalender"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
