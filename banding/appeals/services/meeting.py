"""Step 9's meeting as the panel's: its attendance per seat, the quorum, when it may have
taken place, and the members' dissenting opinions. panel_decide (services.decision) and
panel_dissent use these checks; the attendance list and minutes are made from their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.appeals.models import Appeal, PanelRole, PanelSeat
from banding.appeals.services.shared import clean, not_in_future, require
from banding.errors import Invalid
from banding.formats import format_wib


def seats(appeal: Appeal) -> list[PanelSeat]:
    """The seats that count (not vacated by a declared conflict), the chair first."""
    return list(appeal.panel_seats.seated().select_related("user").order_by("role", "id"))


def appointed_at(seats: Sequence[PanelSeat]) -> datetime | None:
    """When the panel as it sits was complete: its latest seat's appointment."""
    return max((s.appointed_at for s in seats), default=None)


def check_time(seats: Sequence[PanelSeat], meeting_at: datetime) -> None:
    """Not before the panel (as it sits) was appointed, and not in the future."""
    appointed = appointed_at(seats)
    # To the minute: the form's time has no seconds, and a meeting in the minute of the
    # appointment is after it.
    if appointed is not None and meeting_at < appointed.replace(second=0, microsecond=0):
        message = _(
            "Waktu rapat tidak boleh sebelum Tim Panel Banding ditunjuk (%(appointed)s)."
        ) % {"appointed": format_wib(appointed)}
        raise Invalid(message, code="meeting_before_panel", fields={"meeting_at": [message]})
    not_in_future(meeting_at, "meeting_at", _("Waktu rapat"))


def _role(seat: PanelSeat) -> str:
    # Kept as written (Indonesian) in the meeting's record.
    return N_("Ketua") if seat.role == PanelRole.CHAIR else N_("Anggota")


def attendance_rows(seats: Sequence[PanelSeat], attendance: Sequence[dict]) -> list[dict]:
    """One row per seat, in seat order: the seat's number, its member, role and presence.
    Refused: a person without a seat on this panel, or a seat named twice; a seat not named
    was absent."""
    by_id = {str(s.user.public_id): s for s in seats}
    present: dict[str, bool] = {}
    for entry in attendance:
        member = clean(str(entry.get("member") or ""))
        if member not in by_id:
            message = N_("Daftar hadir hanya memuat anggota Tim Panel Banding banding ini.")
            raise Invalid(message, code="not_on_panel", fields={"attendance": [message]})
        if member in present:
            message = _("%(name)s tercantum lebih dari sekali.") % {
                "name": by_id[member].user.display_name
            }
            raise Invalid(message, code="duplicate_seat", fields={"attendance": [message]})
        present[member] = bool(entry.get("present"))
    return [
        {
            "seat": number,
            "member": str(s.user.public_id),
            "name": s.user.display_name,
            "role": _role(s),
            "chair": s.role == PanelRole.CHAIR,
            "present": present.get(str(s.user.public_id), False),
        }
        for number, s in enumerate(seats, start=1)
    ]


def required(count: int) -> int:
    """Seats present that make the quorum: BANDING_PANEL_QUORUM, or a majority."""
    setting = settings.BANDING_PANEL_QUORUM
    return min(count, setting) if setting else count // 2 + 1


def quorum_of(rows: Sequence[dict]) -> dict:
    return {
        "seats": len(rows),
        "present": sum(1 for r in rows if r["present"]),
        "required": required(len(rows)),
    }


def require_quorum(rows: Sequence[dict]) -> None:
    """The chair present, and as many seats as the quorum asks."""
    q = quorum_of(rows)
    if not any(r["chair"] and r["present"] for r in rows):
        message = N_("Rapat panel tidak kuorum: ketua panel harus hadir.")
        raise Invalid(message, code="no_quorum", fields={"attendance": [message]})
    if q["present"] < q["required"]:
        message = _(
            "Rapat panel tidak kuorum: hadir %(present)s dari %(seats)s anggota, "
            "paling sedikit %(required)s termasuk ketua."
        ) % {"present": q["present"], "seats": q["seats"], "required": q["required"]}
        raise Invalid(message, code="no_quorum", fields={"attendance": [message]})


def guest_rows(guests: Sequence[dict]) -> list[dict]:
    """Others who attended (a secretary, a technical expert): by name and role; they do
    not count for the quorum."""
    rows = [{"name": clean(g.get("name")), "role": clean(g.get("role"))} for g in guests]
    return [r for r in rows if r["name"]]


def dissent_rows(
    rows: Sequence[dict], dissent: Sequence[dict], *, field: str = "dissent"
) -> list[dict]:
    """Dissenting opinions, each of a member present at the meeting, one per member."""
    by_id = {r["member"]: r for r in rows}
    out: list[dict] = []
    for entry in dissent:
        opinion = clean(entry.get("opinion"))
        if not opinion:
            continue
        row = by_id.get(clean(str(entry.get("member") or "")))
        if row is None or not row["present"]:
            message = N_("Pendapat berbeda hanya dari anggota Tim Panel Banding yang hadir.")
            raise Invalid(message, code="dissent_not_present", fields={field: [message]})
        require(
            all(d["member"] != row["member"] for d in out),
            _("Pendapat berbeda %(name)s tercantum lebih dari sekali.") % {"name": row["name"]},
            field=field,
        )
        out.append({"member": row["member"], "name": row["name"], "opinion": opinion})
    return out
