from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    CLOSED = "closed", _("Tutup (libur tambahan)")
    WORKING = "working", _("Hari kerja (libur dibatalkan)")


class CalendarOverride(models.Model):
    """A date an administrator decides differently from the holidays package: an added
    closure (a revised decree, an institute closure) or a listed holiday worked after all.
    Written only through banding.appeals.calendar, which also records the audit event."""

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=OverrideKind.choices)
    reason = models.TextField(
        _("alasan"), help_text=_("Dasar keputusan, misalnya nomor SK atau surat.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = _("pengecualian kalender")
        verbose_name_plural = _("pengecualian kalender")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
