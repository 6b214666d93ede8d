"""The retention workflow's records (JRA, docs/archive.md): the transfer lists to the inactive
archive, the disposal proposals the Kepala Balai decides with their berita acara, the state of
each appeal's file, and the files destroyed with the hashes kept."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from banding.appeals.models import Appeal


class Transfer(models.Model):
    """A transfer list (*daftar arsip usul pindah*): closed files past their active period
    moved to the inactive archive, recorded with who and when, printed as PDF."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("nomor", max_length=100, unique=True)
    transferred_at = models.DateTimeField("dipindahkan")
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("catatan", blank=True)
    pdf = models.FileField("PDF", upload_to="archive/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = "daftar arsip usul pindah"
        verbose_name_plural = "daftar arsip usul pindah"
        ordering = ["-transferred_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DisposalStatus(models.TextChoices):
    PROPOSED = "awaiting", "Diusulkan"
    APPROVED = "executed", "Disetujui, dimusnahkan"
    REJECTED = "declined", "Ditolak"


class Disposal(models.Model):
    """A disposal proposal (*usul musnah*) for the Kepala Balai; once approved, its berita
    acara pemusnahan (numbered PDF) records what was destroyed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        "status", max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED
    )
    proposed_at = models.DateTimeField("diusulkan")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("catatan usul", blank=True)
    decided_at = models.DateTimeField("diputuskan", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reason = models.TextField("alasan keputusan", blank=True)
    ba_number = models.CharField("nomor berita acara", max_length=100, blank=True)
    ba_pdf = models.FileField("berita acara (PDF)", upload_to="archive/", blank=True)
    ba_sha256 = models.CharField("SHA-256 berita acara", max_length=64, blank=True)

    class Meta:
        verbose_name = "usul musnah"
        verbose_name_plural = "usul musnah"
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.ba_number or f"Usul musnah {self.proposed_at:%Y-%m-%d}"


class Appraisal(models.TextChoices):
    """The decision on a file whose disposition is *dinilai kembali*."""

    PERMANENT = "permanen", "Simpan permanen"
    DISPOSE = "musnah", "Usulkan musnah"


class ArchiveRecord(models.Model):
    """Where one appeal's file stands in its retention: transferred, appraised, proposed,
    destroyed. Created by the first retention action on it."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="archive_record")
    record_type = models.CharField("jenis arsip", max_length=100)
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="records", null=True, blank=True
    )
    appraisal = models.CharField(
        "hasil penilaian kembali", max_length=10, choices=Appraisal.choices, blank=True
    )
    appraisal_reason = models.TextField("alasan penilaian", blank=True)
    appraised_at = models.DateTimeField("dinilai", null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    disposal = models.ForeignKey(
        Disposal, on_delete=models.PROTECT, related_name="records", null=True, blank=True
    )
    destroyed_at = models.DateTimeField("dimusnahkan", null=True, blank=True)

    class Meta:
        verbose_name = "arsip berkas banding"
        verbose_name_plural = "arsip berkas banding"

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
    kind = models.CharField("jenis", max_length=20)  # "dokumen" or "surat"
    name = models.CharField("nama berkas", max_length=255)
    stored_name = models.CharField("nama tersimpan", max_length=255)
    size = models.PositiveBigIntegerField("ukuran (bita)")
    sha256 = models.CharField("SHA-256 tercatat", max_length=64)
    sha256_at_removal = models.CharField("SHA-256 saat dimusnahkan", max_length=64)
    destroyed_at = models.DateTimeField("dimusnahkan")
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "berkas dimusnahkan"
        verbose_name_plural = "berkas dimusnahkan"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
