"""Letter numbers: a pattern per kind (settings.BANDING_LETTER_NUMBERING) and a gapless
sequence per kind per calendar year."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from banding.letters.models import LetterSequence


def format_number(kind: str, seq: int, day: date) -> str:
    try:
        pattern = settings.BANDING_LETTER_NUMBERING[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"BANDING_LETTER_NUMBERING tidak memuat pola nomor untuk surat {kind!r}."
        ) from None
    try:
        return pattern.format(seq=seq, month=day.month, year=day.year)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Pola nomor surat {kind!r} tidak valid ({pattern!r}): gunakan {{seq}}, {{month}} "
            "dan {year}."
        ) from exc


def take(kind: str, day: date) -> tuple[int, str]:
    """The next number of `kind` in `day`'s year. Must run inside the issuing transaction: the
    sequence row stays locked until it commits, so concurrent issuers queue here and a
    rolled-back issue gives its number back."""
    LetterSequence.objects.bulk_create(
        [LetterSequence(kind=kind, year=day.year)], ignore_conflicts=True
    )
    seq = LetterSequence.objects.select_for_update().get(kind=kind, year=day.year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last, format_number(kind, seq.last, day)
