"""Similar earlier appeals considered (ISO/IEC 17021-1 9.8): the verifier at step 3 and the
panel at step 9 see the closed appeals most like this one (banding.appeals.similar) and
confirm which they took into account. The list shown and the ones considered become part of
the step's record, so of its letters, the evidence pack and the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_noop as N_

from banding.appeals import similar
from banding.appeals.models import Appeal
from banding.appeals.services.shared import require
from banding.errors import Invalid

UNCONFIRMED = N_(
    "Nyatakan bahwa banding serupa sebelumnya sudah dipertimbangkan (centang yang dipertimbangkan)."
)
NOT_SHOWN = N_("Banding serupa yang dipilih tidak ada dalam daftar banding serupa banding ini.")


def shown(appeal: Appeal) -> list[dict]:
    """The similar appeals as the record keeps them: what the similar card shows to everyone
    who may see it (number, outcome, why alike), never more of their file."""
    return [
        {
            "id": str(s.appeal.public_id),
            "number": s.appeal.number,
            "outcome": s.outcome,
            "reasons": list(s.reasons),
        }
        for s in similar.similar_to(appeal)
    ]


def review(appeal: Appeal, *, considered: Iterable[str], confirmed: bool) -> dict:
    """The similar appeals shown now and the ones the actor confirms having considered (a
    subset, by public id): refused while the list is not empty and not confirmed."""
    items = shown(appeal)
    ids = [i["id"] for i in items]
    chosen = list(dict.fromkeys(str(c).strip() for c in considered if str(c).strip()))
    unknown = [c for c in chosen if c not in ids]
    if unknown:
        raise Invalid(NOT_SHOWN, code="similar_unknown", fields={"similar_considered": [NOT_SHOWN]})
    require(
        not items or confirmed, UNCONFIRMED, field="similar_confirmed", code="similar_unconfirmed"
    )
    return {
        "shown": items,
        "considered": [i for i in ids if i in chosen],
        "confirmed": bool(items) and confirmed,
    }


def considered_items(data: dict) -> list[dict]:
    """The similar appeals a record says were considered, with what was shown of them."""
    record = data.get("similar") or {}
    chosen = set(record.get("considered", []))
    return [i for i in record.get("shown", []) if i["id"] in chosen]
