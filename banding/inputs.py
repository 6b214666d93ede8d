"""What every input must be, wherever it comes from: the one check of text (no control
characters) and the one plausible range of dates. A file name needs neither: Django removes
its non-printable characters and cuts it to 255 (a multipart part header longer than 1 KB,
e.g. a 1,000-character file name, makes the body unreadable: a 400). The API applies them to
every request (banding.api.checks), the forms to every field (forms.base.BootstrapForm),
the pages to their query parameters (banding.platform.inputs). Foundation layer: nothing
here knows an appeal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

# C0 controls but tab, line feed and carriage return; DEL; the surrogate halves (a JSON
# "\ud800" decodes to one, which no database stores as text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

CONTROL_CHARACTERS = N_(
    "Tidak boleh berisi karakter kendali (mis. NUL) atau karakter Unicode yang tidak sah."
)

# Plausible dates: nothing SiBanding records happened before 2000, and nothing is planned
# more than this many years ahead.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 5
DATE_OUT_OF_RANGE = N_(
    "Tanggal di luar rentang yang masuk akal (sejak 1 Januari 2000 sampai 5 tahun ke depan)."
)


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def latest_date() -> date:
    today = timezone.localdate()
    leap_day = (today.month, today.day) == (2, 29)
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if leap_day else today.day)


def date_in_range(value: date | datetime) -> bool:
    try:
        if isinstance(value, datetime):
            day = value.date() if timezone.is_naive(value) else timezone.localtime(value).date()
        else:
            day = value
    except OverflowError:  # an aware 9999-12-31T23:00-12:00 has no local time
        return False
    return EARLIEST_DATE <= day <= latest_date()


def refuse_control_characters(value: Any) -> None:
    """Django validator: a text (or a list of texts) with a control character is refused."""
    for text in _texts(value):
        if has_control_characters(text):
            raise ValidationError(_(CONTROL_CHARACTERS), code="control_characters")


def refuse_implausible_date(value: Any) -> None:
    """Django validator: a date or date-time outside the plausible range is refused."""
    if isinstance(value, (date, datetime)) and not date_in_range(value):
        raise ValidationError(_(DATE_OUT_OF_RANGE), code="date_out_of_range")


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def control_character_places(value: Any, place: str = "") -> Iterator[str]:
    """The places (`a.0.b`) of a decoded JSON value or form data whose text, or key, has a
    control character."""
    if isinstance(value, str):
        if has_control_characters(value):
            yield place or "__all__"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{place}.{key}" if place else str(key)
            if has_control_characters(str(key)):
                yield place or "__all__"  # the key itself is not repeated
            else:
                yield from control_character_places(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from control_character_places(item, f"{place}.{index}" if place else str(index))
