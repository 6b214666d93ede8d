"""Step 9 (the panel meeting and its decision) and step 10 (approved by the head, or
returned to the panel).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from banding.accounts.models import User
from banding.appeals import access, hooks, involvement
from banding.appeals.models import (
    Appeal,
    Decision,
)
from banding.appeals.services.recorded import register, settle
from banding.appeals.services.shared import (
    clean,
    complete,
    locked,
    not_in_future,
    open_occurrence,
    require,
    require_declared,
)
from banding.errors import Forbidden
from banding.sop.definition import Result


def panel_decide(
    *,
    appeal: Appeal,
    user: User,
    meeting_at: datetime,
    place: str,
    attendance: Sequence[dict],
    minutes: str,
    decision: str,
    remedy: str = "",
) -> Appeal:
    """Step 9: the meeting, its attendance and minutes, and the decision, recorded; the
    attendance list and minutes are made from that record and signed by the chair, then the
    step completes and the decision goes to the head."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 9)
        require_declared(appeal, user)
        not_in_future(meeting_at, "meeting_at", "Waktu rapat")
        require(bool(clean(place)), "Tempat rapat wajib diisi.", field="place")
        rows = [
            {
                "name": clean(r.get("name")),
                "role": clean(r.get("role")),
                "present": bool(r.get("present")),
            }
            for r in attendance
            if clean(r.get("name"))
        ]
        require(
            any(r["present"] for r in rows),
            "Daftar hadir memuat sedikitnya satu peserta yang hadir.",
            field="attendance",
        )
        require(bool(clean(minutes)), "Notulen rapat wajib diisi.", field="minutes")
        require(
            decision in Decision.values,
            "Pilih keputusan: diterima, diterima sebagian atau ditolak.",
            field="decision",
        )
        remedy = clean(remedy)
        require(
            decision == Decision.DISMISSED or bool(remedy),
            "Tuliskan tindakan perbaikan atau pemulihan yang diputuskan.",
            field="remedy",
        )
        data = {
            "meeting_at": meeting_at,
            "place": clean(place),
            "attendance": rows,
            "minutes": clean(minutes),
            "decision": decision,
            "remedy": remedy,
        }
        settle(appeal, user=user, number=9, outcome=Result.DECIDED, data=data)
    return appeal


def _decided(data: dict) -> str:
    return f"Rapat panel memutuskan: {Decision(data['decision']).label}"


def _apply_decision(appeal: Appeal, data: dict) -> None:
    appeal.decision = data["decision"]
    appeal.decision_remedy = data["remedy"]


def _require_not_involved(appeal: Appeal, user: User) -> None:
    if user.pk in involvement.involved(appeal):
        raise Forbidden(
            "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menyetujui "
            "keputusan banding ini (ISO/IEC 17025 7.9.6).",
            code="involved_person",
        )


def decision_approve(*, appeal: Appeal, user: User, disposition: str) -> Appeal:
    """Step 10: the head, having signed the decision letter, approves and dispositions it to
    the ketua tim PJTK and the technical team."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 10)
        _require_not_involved(appeal, user)
        disposition = clean(disposition)
        require(bool(disposition), "Isi disposisi wajib diisi.", field="disposition")
        appeal.decision_approved_at = timezone.now()
        complete(
            appeal,
            user=user,
            number=10,
            outcome=Result.APPROVED,
            data={"disposition": disposition, "to": ["Ketua Tim PJTK", "Bagian/Tim Teknis"]},
            summary="Keputusan disetujui Kepala Balai dan didisposisikan",
        )
    return appeal


def decision_return(*, appeal: Appeal, user: User, reasons: str) -> Appeal:
    """Step 10, the other way: back to the panel (a new occurrence of step 9). The decision
    letter of the returned decision is withdrawn (dicabut) and its draft discarded: the next
    decision gets a letter of its own."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 10)
        _require_not_involved(appeal, user)
        reasons = clean(reasons)
        require(bool(reasons), "Alasan pengembalian wajib diisi.", field="reasons")
        data = {"reasons": reasons, "returned_decision": appeal.decision}
        hooks.decision_returned(
            appeal=appeal,
            step=open_occurrence(appeal, 10),
            user=user,
            reason=f"Keputusan dikembalikan kepada Tim Panel Banding: {reasons}",
            data=data,
        )
        appeal.decision = ""
        appeal.decision_remedy = ""
        complete(
            appeal,
            user=user,
            number=10,
            outcome=Result.RETURNED,
            data=data,
            summary="Keputusan dikembalikan kepada Tim Panel",
        )
    return appeal


register(9, summary=_decided, apply=_apply_decision)
