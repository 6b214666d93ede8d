import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CustomerOrganization(models.Model):
    """A customer (pelanggan): the company or body that appeals."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama organisasi"), max_length=200, unique=True)
    address = models.TextField(_("alamat"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi pelanggan")
        verbose_name_plural = _("organisasi pelanggan")

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    """The languages a customer may read the portal, its e-mails and API errors in (staff work
    in Indonesian only). Blank on an account: not chosen, the browser's choice applies."""

    # Each language by its own name, as settings.LANGUAGES: shown as written in every language,
    # so not marked (Django's Indonesian catalog would make "English" read "Inggris").
    INDONESIAN = "id", "Bahasa Indonesia"  # i18n: as written
    ENGLISH = "en", "English"  # i18n: as written


class User(AbstractUser):
    """Staff of the institute, or a customer's contact (then `organization` is set)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    organization = models.ForeignKey(
        CustomerOrganization,
        verbose_name=_("organisasi pelanggan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    language = models.CharField(
        _("bahasa portal"), max_length=5, choices=Language.choices, blank=True, default=""
    )
    # banding.accounts.roles.roles_of keeps the user's role names here for the request;
    # unset until it is first asked.
    _banding_roles: frozenset[str]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class TechnicalTeam(models.Model):
    """A Bagian/Tim Teknis (pengujian, kalibrasi, sertifikasi, ...)."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=150, unique=True)
    members = models.ManyToManyField(User, related_name="technical_teams", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tim teknis")
        verbose_name_plural = _("tim teknis")

    def __str__(self) -> str:
        return self.name


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "sbd_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu konfirmasi")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    REJECTED = "rejected", _("Ditolak")


class CustomerRegistration(models.Model):
    """A customer's self-registration (banding.accounts.onboarding). The account stays without
    an organisation, so every access check keeps it out, until staff confirm it: e-mail
    verified first, then confirmed (the organisation created or matched) or rejected."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="registration", verbose_name=_("akun")
    )
    organization_name = models.CharField(_("nama organisasi (diisi pendaftar)"), max_length=200)
    # The existing organisation whose name matched at registration; once confirmed, the one
    # the account was linked to (created or chosen by staff).
    organization = models.ForeignKey(
        CustomerOrganization,
        verbose_name=_("organisasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    created_at = models.DateTimeField(_("mendaftar"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("surel diverifikasi"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The staff page: verified registrations still waiting, oldest first.
            models.Index(fields=["status", "email_verified_at"], name="registration_waiting"),
        ]
        verbose_name = _("pendaftaran pelanggan")
        verbose_name_plural = _("pendaftaran pelanggan")

    def __str__(self) -> str:
        return f"{self.user.email} — {self.organization_name} ({self.get_status_display()})"

    @property
    def is_new_organization(self) -> bool:
        return self.organization_id is None
