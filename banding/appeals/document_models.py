"""The documents of an appeal (letters, evidence, minutes, a customer's explanation); kept out
of banding.appeals.models (long enough), which imports them so that Django finds them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.sop.definition import step_choices


class DocumentKind(models.TextChoices):
    APPEAL_LETTER = "appeal_letter", N_("Surat permohonan banding")
    SUPPORTING = "supporting", N_("Dokumen pendukung")
    INVESTIGATION_REPORT = "investigation_report", N_("Laporan hasil investigasi")
    INVESTIGATION_EVIDENCE = "investigation_evidence", N_("Bukti investigasi")
    MINUTES = "minutes", N_("Notulen rapat")
    CUSTOMER_EXPLANATION = "customer_explanation", N_("Penjelasan tertulis pelanggan")
    WITHDRAWAL_LETTER = "withdrawal_letter", N_("Surat pencabutan banding")
    OTHER = "other", N_("Lainnya")


# What a customer may download of its own appeal: what it sent.
CUSTOMER_VISIBLE_KINDS = frozenset(
    {DocumentKind.APPEAL_LETTER, DocumentKind.SUPPORTING, DocumentKind.CUSTOMER_EXPLANATION}
    | {DocumentKind.WITHDRAWAL_LETTER}
)


def document_path(instance: "Document", filename: str) -> str:
    # The stored name carries no user input: the original name is kept in the row.
    return f"appeals/{instance.appeal.public_id}/{instance.public_id}"


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=30, choices=DocumentKind.choices)
    step = models.PositiveSmallIntegerField(_("langkah"), choices=step_choices())
    file = models.FileField(_("berkas"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def customer_visible(self) -> bool:
        return self.kind in CUSTOMER_VISIBLE_KINDS
