"""Start-up check of the escalation ladder's setting (banding.appeals.sla): a delay before the
Kepala Balai's escalation that is not a whole positive number of working days is refused by
every command that runs the system checks (`banding check`, `migrate`, `serve`, `worker`,
`sla`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from banding.appeals.sla import head_escalation_delay

BAD_HEAD_DELAY = "banding.E110"


@register()
def escalation_settings_check(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        head_escalation_delay()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Contoh: BANDING_ESCALATION_HEAD_DELAY_DAYS=1 (hari kerja).",
                id=BAD_HEAD_DELAY,
            )
        ]
    return []
