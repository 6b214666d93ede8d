"""The demo's certificate authority: `banding demo` (and the tests) make a local DEMO CA and one
certificate per signer, as PKCS#12 files with their passwords in secret files beside them, in
the folder real certificates go to (BANDING_SIGNING["DIR"], docs/letters.md). Everything here is
marked DEMO: a letter it signs is trusted only where the demo's trust root is.

EC P-256 keys: made in a millisecond, so the tests make theirs freely."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from banding.letters.signing.config import password_path, pkcs12_path

CA_NAME = "SiBanding DEMO CA (bukan untuk surat resmi)"
ORGANIZATION = "DEMO SiBanding - tidak sah"
CA_KEY = "demo-ca-key.pem"
TRUST_ROOTS = "trust-roots.pem"
# The demo's history is walked on working days up to weeks back: its certificates already hold.
BACKDATE = timedelta(days=90)
CA_LIFETIME = timedelta(days=3650)
SIGNER_LIFETIME = timedelta(days=730)


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _name(common_name: str, **extra: str) -> x509.Name:
    # The most general first, the person last, as certificates have it.
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
    ]
    if extra.get("title"):
        attributes.append(x509.NameAttribute(NameOID.TITLE, extra["title"]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def new_authority(
    *, name: str = CA_NAME, not_before: datetime | None = None, lifetime: timedelta = CA_LIFETIME
) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or datetime.now(UTC) - BACKDATE
    subject = _name(name)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + lifetime)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key=key, certificate=certificate)


def issue(
    authority: Authority,
    *,
    common_name: str,
    title: str = "",
    not_before: datetime | None = None,
    lifetime: timedelta = SIGNER_LIFETIME,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A signing key and its certificate from `authority`."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or datetime.now(UTC) - BACKDATE
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, title=title))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + lifetime)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return key, certificate


def pkcs12_bytes(
    authority: Authority,
    key: ec.EllipticCurvePrivateKey,
    certificate: x509.Certificate,
    password: str,
    *,
    username: str,
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        username.encode(),
        key,
        certificate,
        [authority.certificate],
        serialization.BestAvailableEncryption(password.encode()),
    )


def _write_secret(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as f:
        f.write(content)


def authority_in(folder: Path) -> tuple[Authority, bool]:
    """The demo CA of `folder`, made (key and trust root written) on first use; True if made."""
    key_file, roots = folder / CA_KEY, folder / TRUST_ROOTS
    if key_file.exists() and roots.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey), f"{key_file}: not an EC key"
        return Authority(
            key=key, certificate=x509.load_pem_x509_certificate(roots.read_bytes())
        ), False
    authority = new_authority()
    _write_secret(
        key_file,
        authority.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    roots.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    return authority, True


def install(
    folder: Path,
    authority: Authority,
    *,
    username: str,
    common_name: str,
    title: str = "",
    password: str | None = None,
    not_before: datetime | None = None,
    lifetime: timedelta = SIGNER_LIFETIME,
) -> Path:
    """A certificate for `username` from `authority`, written as `<username>.p12` with its
    password in `<username>.password` (a new random one unless given)."""
    password = password or secrets.token_urlsafe(16)
    key, certificate = issue(
        authority, common_name=common_name, title=title, not_before=not_before, lifetime=lifetime
    )
    path = pkcs12_path(folder, username)
    _write_secret(path, pkcs12_bytes(authority, key, certificate, password, username=username))
    _write_secret(password_path(folder, username), password.encode() + b"\n")
    return path


def seed_certificates(folder: Path, signers: list[tuple[str, str, str]]) -> list[str]:
    """The demo CA and a certificate for each (username, name, position) that has none;
    returns the usernames given one."""
    authority, _made = authority_in(folder)
    given = []
    for username, name, position in signers:
        if pkcs12_path(folder, username).exists():
            continue
        install(folder, authority, username=username, common_name=name, title=position)
        given.append(username)
    return given
