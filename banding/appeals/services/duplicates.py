"""The duplicate warning at intake (staff, the portal, the API): an open appeal of the same
organisation with the same complaint reference (trimmed, case-insensitive) is shown, and the
intake is refused until the user confirms it is a new appeal; the confirmation is recorded in
the intake's audit event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from banding.appeals.models import Appeal, Status
from banding.appeals.services.shared import clean
from banding.errors import Conflict


class DuplicateSuspected(Conflict):
    """An open appeal of the same organisation names the same complaint: the intake waits
    for the user to confirm that this is a new appeal (`confirm_new`). The API answers it
    with the matching appeals."""

    code = "duplicate_suspected"

    def __init__(
        self, message: str, *, matches: Sequence[Appeal], fields: dict | None = None
    ) -> None:
        super().__init__(message, fields=fields or {"confirm_new": [message]})
        self.matches = list(matches)

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "duplicates": [
                {
                    "public_id": str(a.public_id),
                    "number": a.number,
                    "received_at": a.received_at.isoformat(),
                    "status": a.status,
                    "status_label": a.get_status_display(),
                    "current_step": a.current_step,
                }
                for a in self.matches
            ],
        }


DUPLICATES_SHOWN = 5


def open_duplicates(organization_id: int | None, complaint_reference: str) -> list[Appeal]:
    """The organisation's open appeals of this complaint reference, trimmed and compared
    case-insensitively (by the database's UPPER, which the index appeal_reference_status
    holds), oldest first."""
    return open_duplicates_of([(organization_id, complaint_reference)])[0]


def open_duplicates_of(wanted: Sequence[tuple[int | None, str]]) -> list[list[Appeal]]:
    """`open_duplicates` for several (organisation, complaint reference) pairs in one query
    (a batch intake): the matches of each pair, in the order given."""
    pairs = [(org, clean(ref)) for org, ref in wanted]
    asked = [(org, ref) for org, ref in pairs if org is not None and ref]
    if not asked:
        return [[] for _pair in pairs]
    condition = Q()
    for org, ref in asked:
        condition |= Q(organization_id=org, reference=Upper(Value(ref)))
    found: list[Appeal] = list(
        Appeal.objects.alias(reference=Upper("complaint_reference"))
        .filter(condition, status=Status.OPEN)
        .order_by("received_at", "pk")
    )
    return [
        [
            a
            for a in found
            if org is not None
            and ref
            and a.organization_id == org
            and clean(a.complaint_reference).upper() == ref.upper()
        ][:DUPLICATES_SHOWN]
        for org, ref in pairs
    ]


def check_duplicates(
    matches: Sequence[Appeal], complaint_reference: str, *, confirm_new: bool
) -> list[str]:
    """Refuse (DuplicateSuspected) an intake whose complaint an open appeal of the same
    organisation already carries (`matches`: open_duplicates), unless the user confirmed it
    is a new appeal; the numbers confirmed over, for the intake's audit event."""
    if matches and not confirm_new:
        raise DuplicateSuspected(
            _(
                "Sudah ada banding yang masih berjalan untuk nomor keluhan %(reference)s: "
                '%(numbers)s. Bila ini memang banding baru, centang "Ini banding baru" lalu '
                "kirim lagi."
            )
            % {
                "reference": clean(complaint_reference),
                "numbers": ", ".join(a.number for a in matches),
            },
            matches=matches,
        )
    return [a.number for a in matches]


def confirmed_summary(confirmed: list[str]) -> str:
    if not confirmed:
        return ""
    return f"; dikonfirmasi sebagai banding baru di samping {', '.join(confirmed)}"


def confirmed_data(confirmed: list[str]) -> dict[str, Any]:
    """The intake's audit data: the open appeals of the same complaint it was confirmed
    as new beside (nothing when there were none)."""
    return {"confirmed_new_beside": confirmed} if confirmed else {}
