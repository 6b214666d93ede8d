"""Start-up checks of the digest settings (banding.notifications.digests): a window that is
not a positive number of minutes, or a head's digest time that is not a time within office
hours, is refused by every command that runs the system checks (`banding check`, `migrate`,
`serve`, `worker`, `sla`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from banding.notifications.digests import digest_window, head_time
from banding.workdays.calendar import DEFAULT_OFFICE_HOURS, parse_office_hours

BAD_WINDOW = "banding.E101"
BAD_HEAD_TIME = "banding.E102"


@register()
def digest_settings_check(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    try:
        digest_window()
    except ImproperlyConfigured as error:
        found.append(
            Error(str(error), hint="Contoh: BANDING_DIGEST_WINDOW_MINUTES=60.", id=BAD_WINDOW)
        )
    try:
        # The office hours from the settings alone (no database: the checks run before it).
        head_time(
            parse_office_hours(getattr(settings, "BANDING_OFFICE_HOURS", DEFAULT_OFFICE_HOURS))
        )
    except ImproperlyConfigured as error:
        found.append(
            Error(
                str(error),
                hint='Contoh: BANDING_DIGEST_HEAD_TIME="08:00" (WIB, dalam jam kantor).',
                id=BAD_HEAD_TIME,
            )
        )
    return found
