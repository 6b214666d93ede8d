"""The retention workflow's records (JRA, docs/archive.md): the transfer lists to the inactive
archive, the disposal proposals the Kepala Balai decides with their berita acara, the state of
each appeal's file, and the files destroyed with the hashes kept."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banding.appeals.models import Appeal


class Transfer(models.Model):
    """A transfer list (*daftar arsip usul pindah*): closed files past their active period
    moved to the inactive archive, recorded with who and when, printed as PDF."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("nomor"), max_length=100, unique=True)
    transferred_at = models.DateTimeField(_("dipindahkan"))
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)
    pdf = models.FileField("PDF", upload_to="archive/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("daftar arsip usul pindah")
        verbose_name_plural = _("daftar arsip usul pindah")
        ordering = ["-transferred_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DisposalStatus(models.TextChoices):
    PROPOSED = "awaiting", _("Diusulkan")
    APPROVED = "executed", _("Disetujui, dimusnahkan")
    REJECTED = "declined", _("Ditolak")


class Disposal(models.Model):
    """A disposal proposal (*usul musnah*) for the Kepala Balai; once approved, its berita
    acara pemusnahan (numbered PDF) records what was destroyed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("diusulkan"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("catatan usul"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reason = models.TextField(_("alasan keputusan"), blank=True)
    ba_number = models.CharField(_("nomor berita acara"), max_length=100, blank=True)
    ba_pdf = models.FileField(_("berita acara (PDF)"), upload_to="archive/", blank=True)
    ba_sha256 = models.CharField(_("SHA-256 berita acara"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("usul musnah")
        verbose_name_plural = _("usul musnah")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.ba_number or f"Usul musnah {self.proposed_at:%Y-%m-%d}"


class Appraisal(models.TextChoices):
    """The decision on a file whose disposition is *dinilai kembali*."""

    PERMANENT = "permanen", _("Simpan permanen")
    DISPOSE = "musnah", _("Usulkan musnah")


class ArchiveRecord(models.Model):
    """Where one appeal's file stands in its retention: transferred, appraised, proposed,
    destroyed. Created by the first retention action on it."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="archive_record")
    record_type = models.CharField(_("jenis arsip"), max_length=100)
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="records", null=True, blank=True
    )
    appraisal = models.CharField(
        _("hasil penilaian kembali"), max_length=10, choices=Appraisal.choices, blank=True
    )
    appraisal_reason = models.TextField(_("alasan penilaian"), blank=True)
    appraised_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    disposal = models.ForeignKey(
        Disposal, on_delete=models.PROTECT, related_name="records", null=True, blank=True
    )
    destroyed_at = models.DateTimeField(_("dimusnahkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("arsip berkas banding")
        verbose_name_plural = _("arsip berkas banding")

    def __str__(self) -> str:
        return f"Arsip {self.appeal_id}"


class DestroyedFile(models.Model):
    """One stored file removed by an approved disposal: its name, size and SHA-256 (as
    recorded at upload or issue, and as read just before removal), who and when, and the
    berita acara it was destroyed under."""

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="destroyed_files"
    )
    disposal = models.ForeignKey(Disposal, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("jenis"), max_length=20)  # "dokumen" or "surat"
    name = models.CharField(_("nama berkas"), max_length=255)
    stored_name = models.CharField(_("nama tersimpan"), max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256 tercatat"), max_length=64)
    sha256_at_removal = models.CharField(_("SHA-256 saat dimusnahkan"), max_length=64)
    destroyed_at = models.DateTimeField(_("dimusnahkan"))
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("berkas dimusnahkan")
        verbose_name_plural = _("berkas dimusnahkan")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
