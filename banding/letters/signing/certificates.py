"""A signer's certificate: their PKCS#12 file and its password, found as banding.letters.signing
.config describes (never in the database), opened when they sign and refused when missing,
unreadable (a wrong password, a damaged file) or outside its validity; and the overview of
every signer's certificate for the administrator."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding import formats
from banding.accounts.models import User
from banding.accounts.roles import Role
from banding.errors import Conflict, said
from banding.letters.signing.config import password_path, password_variable, pkcs12_path

logger = logging.getLogger(__name__)

# The administrator is warned this long before a certificate expires.
EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True)
class Credential:
    """What signs: the private key with its certificate and the chain the PKCS#12 file holds."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def subject(self) -> str:
        return readable_name(self.certificate.subject)

    @property
    def common_name(self) -> str:
        return _common_name(self.certificate)


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


_LABELS = {
    x509.NameOID.COMMON_NAME: "CN",
    x509.NameOID.TITLE: "title",
    x509.NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    x509.NameOID.ORGANIZATION_NAME: "O",
    x509.NameOID.LOCALITY_NAME: "L",
    x509.NameOID.STATE_OR_PROVINCE_NAME: "ST",
    x509.NameOID.COUNTRY_NAME: "C",
    x509.NameOID.EMAIL_ADDRESS: "E",
    x509.NameOID.SERIAL_NUMBER: "serialNumber",
}


def readable_name(name: x509.Name) -> str:
    """A certificate's name, the person first: "CN=…, title=…, O=…, C=…"."""
    return ", ".join(
        f"{_LABELS.get(a.oid, a.oid.dotted_string)}={a.value!s}"
        for rdn in reversed(list(name.rdns))
        for a in rdn
    )


def folder() -> Path:
    return Path(settings.BANDING_SIGNING["DIR"])


def _password(username: str) -> bytes | None:
    value = os.environ.get(password_variable(username))
    if value is None:
        secret = password_path(folder(), username)
        if not secret.exists():
            return None
        lines = secret.read_text(encoding="utf-8").splitlines()
        value = lines[0] if lines else ""
    return value.encode() or None


def _missing() -> Conflict:
    return Conflict(
        N_(
            "Sertifikat tanda tangan elektronik Anda belum dipasang; surat tidak diterbitkan. "
            "Mintalah administrator memasang sertifikat Anda (berkas PKCS#12)."
        ),
        code="certificate_missing",
    )


def _unreadable() -> Conflict:
    return Conflict(
        N_(
            "Sertifikat tanda tangan elektronik Anda tidak dapat dibuka (kata sandi sertifikat "
            "salah atau berkas rusak); surat tidak diterbitkan. Hubungi administrator."
        ),
        code="certificate_unreadable",
    )


def open_pkcs12(username: str) -> Credential:
    """`username`'s PKCS#12 file, opened with its password; Conflict when there is no file or
    it cannot be opened."""
    path = pkcs12_path(folder(), username)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise _missing() from None
    except OSError:
        raise _unreadable() from None
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(content, _password(username))
    except (ValueError, TypeError):
        raise _unreadable() from None
    if key is None or certificate is None:
        raise _unreadable()
    return Credential(key=key, certificate=certificate, chain=tuple(extra))


def require_valid(credential: Credential, at: datetime) -> None:
    """A certificate signs only within its validity."""
    certificate = credential.certificate
    if at > certificate.not_valid_after_utc:
        raise Conflict(
            _(
                "Sertifikat tanda tangan elektronik Anda kedaluwarsa sejak %(date)s; surat "
                "tidak diterbitkan. Mintalah sertifikat baru kepada administrator."
            )
            % {"date": formats.format_instant(certificate.not_valid_after_utc)},
            code="certificate_expired",
        )
    if at < certificate.not_valid_before_utc:
        raise Conflict(
            _(
                "Sertifikat tanda tangan elektronik Anda baru berlaku mulai %(date)s; surat "
                "tidak diterbitkan."
            )
            % {"date": formats.format_instant(certificate.not_valid_before_utc)},
            code="certificate_not_yet_valid",
        )


def credential_for(username: str, *, at: datetime) -> Credential:
    """The credential `username` signs with at `at`: present, readable and valid, else
    Conflict with a message for the signer."""
    credential = open_pkcs12(username)
    require_valid(credential, at)
    return credential


def load_trust_roots(path: Path) -> list[asn1_x509.Certificate]:
    """The certificates of a PEM file; ValueError (with a message) when it holds none."""
    content = path.read_bytes()
    try:
        loaded = x509.load_pem_x509_certificates(content)
    except ValueError:
        raise ValueError(f"{path}: bukan berkas sertifikat PEM.") from None
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in loaded]


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates a letter's signature must chain to (BANDING_SIGNING["TRUST_ROOTS"]);
    [] when the file is absent or unreadable (logged: then no signature is trusted)."""
    path = Path(settings.BANDING_SIGNING["TRUST_ROOTS"])
    try:
        return load_trust_roots(path)
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        logger.error("BANDING_SIGNING_TRUST_ROOTS %s cannot be read", path, exc_info=True)
        return []


def trust_root_overview() -> list[tuple[str, datetime, datetime]]:
    """(subject, valid from, valid until) of each trust root, for the administrator."""
    path = Path(settings.BANDING_SIGNING["TRUST_ROOTS"])
    try:
        found = x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError):
        return []
    return [
        (readable_name(c.subject), c.not_valid_before_utc, c.not_valid_after_utc) for c in found
    ]


# --- the administrator's overview ----------------------------------------------------------


@dataclass(frozen=True)
class CertificateInfo:
    username: str
    subject: str = ""
    issuer: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None
    problem: str = ""  # why it cannot sign, when it cannot
    expiring: bool = False  # valid, but expires within EXPIRY_WARNING

    @property
    def usable(self) -> bool:
        return not self.problem


# Who signs letters (banding.letters.kinds): the SOP's actors' roles.
SIGNING_ROLES = (Role.PJTK_STAFF, Role.PJTK_LEAD, Role.TECHNICAL, Role.HEAD)


def signers() -> list[User]:
    """The institute's active accounts that may sign a letter (by role), by name: one query."""
    return list(
        User.objects.filter(
            is_active=True, organization__isnull=True, groups__name__in=SIGNING_ROLES
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def overview(*, at: datetime) -> list[tuple[User, CertificateInfo]]:
    """Every signer with what their certificate is (the administrator's page)."""
    return [(user, describe(user.username, at=at)) for user in signers()]


def describe(username: str, *, at: datetime) -> CertificateInfo:
    """What the administrator sees of `username`'s certificate."""
    try:
        credential = open_pkcs12(username)
    except Conflict as error:
        return CertificateInfo(username=username, problem=said(error.message))
    certificate = credential.certificate
    problem = ""
    try:
        require_valid(credential, at)
    except Conflict as error:
        problem = said(error.message)
    return CertificateInfo(
        username=username,
        subject=readable_name(certificate.subject),
        issuer=readable_name(certificate.issuer),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        problem=problem,
        expiring=not problem and certificate.not_valid_after_utc - at <= EXPIRY_WARNING,
    )
