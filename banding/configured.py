"""Reading a BANDING_* setting that must make sense, so that a bad value stops the start-up
(the system checks call these) with a message naming the variable, not a deadline computed
from nonsense later. One reader per kind of value."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def whole_number(name: str, unit: str, *, at_least: int = 1) -> int:
    """The setting `name` as a whole number of `unit` (words: "menit", "hari kerja"), at least
    `at_least`; ImproperlyConfigured otherwise (not a whole number, too small)."""
    raw = getattr(settings, name)
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} harus bilangan bulat {unit}, bukan {raw!r}.") from None
    if value < at_least:
        raise ImproperlyConfigured(f"{name} harus paling sedikit {at_least} {unit}, bukan {value}.")
    return value
