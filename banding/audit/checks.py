"""Start-up checks of the audit log's keys (banding.audit.keys): without its MAC key or its
checkpoint signing key, a production server (DEBUG off) refuses to start — every command that
runs the system checks (`serve`, `worker`, `migrate`, `check`) stops with the variable to set.
With DEBUG on, missing key files are made under var/keys/ on first use (as `banding demo`
does)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from banding.audit import keys

NO_MAC_KEY = "banding.E120"
NO_SIGNING_KEY = "banding.E121"


@register()
def audit_keys_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    errors: list[CheckMessage] = []
    try:
        keys.keyring()
    except keys.MissingKey as error:
        errors.append(
            Error(
                str(error),
                hint=(
                    f"Atur {keys.ENV_KEY} (rahasia `id:base64`) atau {keys.ENV_KEY_FILE}; "
                    "`banding audit keygen` membuat berkasnya (docs/archive.md)."
                ),
                id=NO_MAC_KEY,
            )
        )
    try:
        keys.signing_key()
    except keys.MissingKey as error:
        errors.append(
            Error(
                str(error),
                hint=(
                    f"Atur {keys.ENV_SIGNING_FILE} (kunci Ed25519, PEM); `banding audit keygen` "
                    "membuatnya (docs/archive.md)."
                ),
                id=NO_SIGNING_KEY,
            )
        )
    return errors
