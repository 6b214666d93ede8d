"""The appeal's public timeline in the customer's words. Only audit events marked public are
read (banding.letters.visibility.events does that for a customer); an SOP step's event is
told as its milestone or a plain sentence, never with the staff's working detail (names of
the proposed panel, the team the nota dinas went to)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.utils.translation import gettext

from banding.audit.models import Event
from banding.audit.timeline import fold
from banding.formats import format_date
from banding.sop.definition import Stage, reached_by, told_of


@dataclass(frozen=True)
class Entry:
    at: datetime
    title: str
    text: str
    # The e-mails sent to the customer because of this entry's action, folded under it.
    deliveries: tuple[Entry, ...] = ()


def _number(event: Event) -> str:
    return str((event.data or {}).get("number", ""))


def entry(event: Event) -> Entry:
    action = event.action
    if action == "appeal.submitted":
        return Entry(
            event.created_at,
            gettext("Diajukan"),
            gettext("Permohonan banding diajukan melalui portal dan diberi nomor %(number)s.")
            % {"number": _number(event)},
        )
    if action == "appeal.registered":
        return Entry(
            event.created_at,
            gettext("Diterima"),
            gettext("Permohonan banding diterima dan dicatat dengan nomor %(number)s.")
            % {"number": _number(event)},
        )
    if action == "appeal.withdrawn":
        return _withdrawn(event)
    if action == "appeal.closed_duplicate":
        return Entry(
            event.created_at,
            gettext(Stage.DUPLIKAT.label),
            gettext(
                "Permohonan banding ini ditutup karena sama dengan permohonan banding %(original)s."
            )
            % {"original": (event.data or {}).get("original_number", "")},
        )
    if action.startswith("step."):
        _, number, outcome = [*action.split(".", 2), "", ""][:3]
        milestone = reached_by(int(number), outcome) if number.isdigit() else None
        if milestone is not None:
            return Entry(event.created_at, gettext(milestone.label), gettext(milestone.told))
        told = told_of(int(number), outcome) if number.isdigit() else ""
        if told:
            return Entry(event.created_at, gettext("Proses"), gettext(told))
    # Letters to the customer, e-mails sent to them, invitations: written for them already.
    # Their summaries are stored in Indonesian, with names and numbers in them.
    return Entry(event.created_at, gettext("Informasi"), event.summary)


def _withdrawn(event: Event) -> Entry:
    data = event.data or {}
    if data.get("by") == "letter":
        text = gettext("Pencabutan banding dengan surat tanggal %(date)s diterima dan dicatat.") % {
            "date": format_date(date.fromisoformat(data["letter_date"]))
        }
    else:
        text = gettext("Permohonan banding dicabut melalui portal.")
    if data.get("reason"):
        text += " " + gettext("Alasan: %(reason)s") % {"reason": data["reason"]}
    return Entry(event.created_at, gettext(Stage.DICABUT.label), text)


def customer_timeline(events: Iterable[Event]) -> list[Entry]:
    """The public events as entries, each e-mail sent folded under the entry before it."""
    return [
        replace(entry(f.event), deliveries=tuple(entry(d) for d in f.deliveries))
        for f in fold(e for e in events if e.public)
    ]
