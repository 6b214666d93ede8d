"""The audit log's keys, kept outside the database.

- The MAC keys (HMAC-SHA256) chain the events: a keyring of key id → secret, from
  BANDING_AUDIT_KEY (an environment secret) or else the file BANDING_AUDIT_KEY_FILE. One entry
  per line (or separated by commas in the environment): `id:secret`, the secret in base64, at
  least 32 bytes; `#` starts a comment. The LAST entry signs new events; every entry verifies
  (rotation: append a new key, keep the old ones). Each event stores the id of its key.
- The checkpoint signing key (Ed25519), the PEM file BANDING_AUDIT_SIGNING_KEY_FILE; its public
  key is what auditors keep (`banding audit public-key`).

Both are read once per process and kept in memory (record() must not read a file per event).
With DEBUG on, and for `banding demo`, missing key files are made on first use under var/;
otherwise a missing key is an error of the system checks (banding.audit.checks)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MIN_SECRET_BYTES = 32
ENV_KEY = "BANDING_AUDIT_KEY"
ENV_KEY_FILE = "BANDING_AUDIT_KEY_FILE"
ENV_SIGNING_FILE = "BANDING_AUDIT_SIGNING_KEY_FILE"


class MissingKey(ImproperlyConfigured):
    """A key the audit log needs is not configured (or cannot be read)."""


@dataclass(frozen=True)
class Keyring:
    """The MAC keys: `signing` (the id that signs new events) and every key by id."""

    keys: dict[str, bytes]
    signing: str

    @property
    def signing_key(self) -> bytes:
        return self.keys[self.signing]


def parse_keyring(text: str, source: str) -> Keyring:
    keys: dict[str, bytes] = {}
    last = ""
    for raw in re.split(r"[\n,]", text):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key_id, sep, secret = line.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not KEY_ID.match(key_id):
            raise MissingKey(
                f"{source}: setiap kunci ditulis `id:rahasia` (id: huruf, angka, _ . -, "
                f"maks. 32); baris {line[:20]!r}… tidak."
            )
        try:
            value = base64.b64decode(secret, validate=True)
        except (binascii.Error, ValueError) as error:
            raise MissingKey(f"{source}: rahasia kunci {key_id} bukan base64 ({error}).") from None
        if len(value) < MIN_SECRET_BYTES:
            raise MissingKey(
                f"{source}: rahasia kunci {key_id} hanya {len(value)} bita; minimal "
                f"{MIN_SECRET_BYTES}."
            )
        if key_id in keys and keys[key_id] != value:
            raise MissingKey(f"{source}: id kunci {key_id} dipakai dua kali dengan rahasia lain.")
        keys[key_id] = value
        last = key_id
    if not keys:
        raise MissingKey(f"{source}: tidak berisi satu kunci pun.")
    return Keyring(keys, last)


def new_key_line(key_id: str | None = None) -> str:
    key_id = key_id or f"k{timezone.now():%Y%m%d}-{secrets.token_hex(2)}"
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(MIN_SECRET_BYTES)).decode()}\n"


def key_file() -> Path:
    return Path(settings.BANDING_AUDIT_KEY_FILE)


def signing_key_file() -> Path:
    return Path(settings.BANDING_AUDIT_SIGNING_KEY_FILE)


def _write_secret(path: Path, content: bytes, *, append: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "ab" if append else "wb") as f:
        f.write(content)


def create_keys() -> list[Path]:
    """Make the key files that do not exist yet (the MAC keyring unless the environment holds
    it, and the signing key); return those made. For `banding demo`, DEBUG and `banding audit
    keygen`."""
    made = []
    if not settings.BANDING_AUDIT_KEY and not key_file().exists():
        try:
            _write_secret(key_file(), new_key_line().encode())
            made.append(key_file())
        except FileExistsError:  # another process made it first
            pass
    if not signing_key_file().exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            _write_secret(signing_key_file(), pem)
            made.append(signing_key_file())
        except FileExistsError:
            pass
    forget()
    return made


def rotate_key() -> str:
    """Append a new MAC key to the key file (it signs from now on; the old ones still verify);
    return its id. The environment's keyring is rotated by the operator (docs/archive.md)."""
    if settings.BANDING_AUDIT_KEY:
        raise MissingKey(
            f"{ENV_KEY} diatur di lingkungan: tambahkan kunci baru di akhirnya (docs/archive.md)."
        )
    ring = keyring() if key_file().exists() else None
    line = new_key_line()
    while ring is not None and line.split(":", 1)[0] in ring.keys:  # pragma: no cover
        line = new_key_line()
    existing = key_file().read_text() if key_file().exists() else ""
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    _write_secret(key_file(), (prefix + line).encode(), append=True)
    forget()
    return line.split(":", 1)[0]


def _auto_create() -> bool:
    return bool(settings.DEBUG)


@cache
def keyring() -> Keyring:
    """The MAC keyring, read once per process."""
    if settings.BANDING_AUDIT_KEY:
        return parse_keyring(settings.BANDING_AUDIT_KEY, ENV_KEY)
    path = key_file()
    if not path.exists() and _auto_create():
        create_keys()
    try:
        text = path.read_text()
    except OSError as error:
        raise MissingKey(
            f"Kunci log audit tidak ada: atur {ENV_KEY} atau {ENV_KEY_FILE} (kini {path}; "
            f"{error.strerror}). Buat dengan `banding audit keygen` (docs/archive.md)."
        ) from None
    return parse_keyring(text, str(path))


@cache
def signing_key() -> Ed25519PrivateKey:
    path = signing_key_file()
    if not path.exists() and _auto_create():
        create_keys()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise MissingKey(
            f"Kunci tanda tangan titik periksa log audit tidak ada: atur {ENV_SIGNING_FILE} "
            f"(kini {path}; {error.strerror}). Buat dengan `banding audit keygen`."
        ) from None
    except ValueError as error:
        raise MissingKey(f"{ENV_SIGNING_FILE} ({path}): bukan kunci PEM ({error}).") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise MissingKey(f"{ENV_SIGNING_FILE} ({path}): bukan kunci Ed25519.")
    return key


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_pem(key: Ed25519PublicKey | None = None) -> str:
    key = key or public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def fingerprint(key: Ed25519PublicKey | None = None) -> str:
    """SHA-256 of the raw public key, in hex groups of four: what an auditor compares."""
    key = key or public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as error:
        raise MissingKey(f"{path}: tidak dapat dibaca ({error.strerror}).") from None
    except ValueError as error:
        raise MissingKey(f"{path}: bukan kunci publik PEM ({error}).") from None
    if not isinstance(key, Ed25519PublicKey):
        raise MissingKey(f"{path}: bukan kunci publik Ed25519.")
    return key


def forget() -> None:
    """Drop the keys kept in memory (after a rotation, or a test's change of settings)."""
    keyring.cache_clear()
    signing_key.cache_clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("BANDING_AUDIT_") or setting in {"DEBUG", "VAR_DIR"}:
        forget()
