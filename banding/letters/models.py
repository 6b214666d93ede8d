"""Official letters of an appeal: drafts, issued (numbered, signed, stored) versions and the
letterhead they are printed on."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.appeals.models import Appeal, Step
from banding.appeals.uploads import JPEG, PNG, sniff
from banding.letters.kinds import Kind


def _image_only(upload: File[bytes]) -> None:
    # Checked by content, not by name: the logo is embedded in every letter.
    if sniff(upload) not in {PNG, JPEG}:
        raise ValidationError(gettext("Logo harus berkas gambar PNG atau JPEG."))


class Letterhead(models.Model):
    """The kop surat. One row is used (the first); an administrator edits it in the admin."""

    ministry = models.CharField(
        _("kementerian"), max_length=200, default="KEMENTERIAN PERINDUSTRIAN"
    )
    agency = models.CharField(
        _("badan"),
        max_length=200,
        blank=True,
        default="BADAN STANDARDISASI DAN KEBIJAKAN JASA INDUSTRI",
    )
    institute = models.CharField(
        _("balai"),
        max_length=250,
        default=(
            "BALAI BESAR STANDARDISASI DAN PELAYANAN JASA INDUSTRI KIMIA, FARMASI DAN KEMASAN"
        ),
    )
    address = models.CharField(
        _("alamat"), max_length=300, default="Jl. Ir. H. Juanda No. 11, Bogor 16122"
    )
    phone = models.CharField(_("telepon"), max_length=100, blank=True, default="(0251) 8324068")
    email = models.EmailField(_("email"), blank=True, default="bbkk@kemenperin.go.id")
    website = models.CharField(_("situs web"), max_length=100, blank=True)
    logo = models.FileField(
        _("logo (PNG/JPEG)"), upload_to="letterhead/", blank=True, validators=[_image_only]
    )
    city = models.CharField(_("kota (tempat surat)"), max_length=100, default="Bogor")

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")

    def __str__(self) -> str:
        return self.institute

    @classmethod
    def current(cls) -> Letterhead:
        """The configured letterhead, or the defaults if an administrator has set none."""
        return cls.objects.order_by("pk").first() or cls()


class LetterSequence(models.Model):
    """The last number given to a letter kind in a year; locked while a number is taken, so
    numbers are unique and gapless (a rolled-back issue rolls its increment back too)."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("urutan nomor surat")
        verbose_name_plural = _("urutan nomor surat")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="letter_sequence_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ISSUED = "issued", _("Terbit")
    SUPERSEDED = "superseded", _("Digantikan")
    WITHDRAWN = "withdrawn", _("Dicabut")


class Letter(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The (appeal, kind) index begins with it.
    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="letters", db_index=False
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    step = models.PositiveSmallIntegerField(_("langkah"))
    # The occurrence of the step whose output the letter is: its facts are that occurrence's
    # record, and a step returned (10 -> 9) opens a new occurrence with letters of its own.
    occurrence = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("langkah (kejadian)"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    # The parts people write (addressee, subject, reasons...), keyed as in kinds.SPECS.
    fields = models.JSONField(_("isian"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    number = models.CharField(_("nomor"), max_length=100, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("menggantikan"),
    )
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)

    pdf = models.FileField("PDF", upload_to="letters/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    verification_code = models.CharField(
        _("kode verifikasi"), max_length=32, unique=True, null=True, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)
    issued_at = models.DateTimeField(_("terbit"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanda tangan"),
    )
    signed_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    # Signed for the official whose letter it is ("a.n. Kepala Balai"), and the signature
    # block as printed: the record of in whose name and capacity it was signed.
    on_behalf = models.BooleanField(_("atas nama (a.n.)"), default=False)
    signed_as = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)

    withdrawn_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # A correction of a letter of a closed (frozen) appeal, authorised by the head.
    amendment_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("koreksi diizinkan oleh"),
    )
    amendment_authorised_at = models.DateTimeField(_("koreksi diizinkan"), null=True, blank=True)

    class Meta:
        ordering = ["step", "kind", "version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="letter_kind_year_sequence"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="letter_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["appeal", "kind"]),
            # Drafts waiting for a signature (Tugas saya): few among every letter ever issued.
            models.Index(
                fields=["kind", "appeal"],
                condition=models.Q(status="draft"),
                name="letter_drafts",
            ),
        ]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")

    def __str__(self) -> str:
        return self.number or f"Draf {self.get_kind_display()} ({self.appeal})"

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.number.replace('/', '-')}.pdf"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def in_force(self) -> bool:
        """Issued and neither superseded by a correction nor withdrawn."""
        return self.status == LetterStatus.ISSUED
