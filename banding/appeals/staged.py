"""The model of a file kept between two submissions of a form (banding.appeals.staging)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StagedUpload(models.Model):
    """A file chosen on a form that was refused (a field left empty, a service's error): kept
    in the private storage for its owner only, so the form shown again lists it instead of
    asking for it again, and the next submission hands it to the service as if uploaded
    again (banding.appeals.staging). Deleted once that submission succeeds, when the owner
    removes it from the form, or by the worker's sweep after STAGED_FOR (24 hours)."""

    public_id = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("berkas"), max_length=200)
    created_at = models.DateTimeField(_("dipilih"), default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created_at"], name="staged_owner_time"),
            models.Index(fields=["created_at"], name="staged_time"),
        ]
        verbose_name = _("berkas sementara")
        verbose_name_plural = _("berkas sementara")

    def __str__(self) -> str:
        return self.original_name
