"""The panel's notes of the investigation (SOP step 7); kept out of banding.appeals.models
(long enough), which imports them so that Django finds them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.sop.definition import step_choices


class NoteKind(models.TextChoices):
    NOTE = "note", N_("Catatan investigasi")
    CONTACT = "contact", N_("Kontak dengan pelanggan")


class Note(models.Model):
    """What the panel writes down during the investigation (step 7)."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="notes")
    step = models.PositiveSmallIntegerField(_("langkah"), choices=step_choices())
    kind = models.CharField(_("jenis"), max_length=10, choices=NoteKind.choices)
    text = models.TextField(_("isi"))
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("catatan investigasi")
        verbose_name_plural = _("catatan investigasi")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"
