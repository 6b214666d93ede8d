"""Where the signers' certificates are (docs/letters.md, "Tanda tangan elektronik"): read from
the environment by banding/settings.py (BANDING_SIGNING) and used by the signing modules at run
time. Nothing of a certificate or its password is kept in the database.

- BANDING_SIGNING_DIR (default var/signing/): one PKCS#12 file per signer, `<username>.p12`;
- the PKCS#12 password: the environment variable BANDING_SIGNING_PASSWORD_<USERNAME> (the
  username in capitals, every character other than a letter or digit as `_`), else the secret
  file `<username>.password` beside the PKCS#12 file (its first line);
- BANDING_SIGNING_TRUST_ROOTS (default `<dir>/trust-roots.pem`): the certificates of the
  authorities a letter's signature must chain to (PEM, one or more), for the verification page
  and `banding letters verify`;
- BANDING_SIGNING_TSA_URL: an RFC 3161 time-stamping server; when set every signature carries
  its timestamp (none by default).

This module imports nothing of Django: settings.py calls it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict


class SigningSetting(TypedDict):
    DIR: Path
    TRUST_ROOTS: Path
    TSA_URL: str


def signing_setting(environ: Mapping[str, str], var_dir: Path) -> SigningSetting:
    folder = Path(environ.get("BANDING_SIGNING_DIR") or var_dir / "signing")
    return {
        "DIR": folder,
        "TRUST_ROOTS": Path(
            environ.get("BANDING_SIGNING_TRUST_ROOTS") or folder / "trust-roots.pem"
        ),
        "TSA_URL": environ.get("BANDING_SIGNING_TSA_URL", "").strip(),
    }


def password_variable(username: str) -> str:
    """The environment variable that may hold `username`'s PKCS#12 password."""
    return "BANDING_SIGNING_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", username.upper())


def pkcs12_path(folder: Path, username: str) -> Path:
    return folder / f"{username}.p12"


def password_path(folder: Path, username: str) -> Path:
    return folder / f"{username}.password"
