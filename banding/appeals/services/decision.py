"""Step 9 (the panel meeting and its decision) and step 10 (approved by the head, or
returned to the panel).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals import access, hooks, involvement
from banding.appeals.models import (
    Appeal,
    Decision,
)
from banding.appeals.services import considered, meeting
from banding.appeals.services.recorded import register, settle
from banding.appeals.services.shared import (
    clean,
    complete,
    locked,
    open_occurrence,
    require,
    require_declared,
)
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden
from banding.sop.definition import Result


def panel_decide(
    *,
    appeal: Appeal,
    user: User,
    meeting_at: datetime,
    place: str,
    attendance: Sequence[dict],
    minutes: str,
    reasons: str,
    decision: str,
    remedy: str = "",
    guests: Sequence[dict] = (),
    dissent: Sequence[dict] = (),
    similar_considered: Sequence[str] = (),
    similar_confirmed: bool = False,
) -> Appeal:
    """Step 9: the meeting, its attendance and minutes, and the decision with its reasons,
    recorded by a seated member who declared; the attendance list and minutes are made from
    that record and signed by the chair, then the step completes and the decision goes to
    the head.

    `attendance` names the panel's seats (`{"member": user public id, "present": bool}`;
    a seat not named was absent); the meeting decides only with a quorum of them present
    (meeting.quorum). `guests` (`{"name", "role"}`) attended without a seat and do not count.
    `dissent` (`{"member", "opinion"}`) is a present member's dissenting opinion. The
    similar earlier appeals shown and those considered (`similar_considered`, confirmed by
    `similar_confirmed` while any is shown) are part of the record."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 9)
        require_declared(appeal, user)
        seats = meeting.seats(appeal)
        meeting.check_time(seats, meeting_at)
        require(bool(clean(place)), N_("Tempat rapat wajib diisi."), field="place")
        rows = meeting.attendance_rows(seats, attendance)
        meeting.require_quorum(rows)
        require(bool(clean(minutes)), N_("Notulen rapat wajib diisi."), field="minutes")
        require(
            decision in Decision.values,
            N_("Pilih keputusan: diterima, diterima sebagian atau ditolak."),
            field="decision",
        )
        reasons = clean(reasons)
        require(
            bool(reasons), N_("Pertimbangan atau alasan keputusan wajib diisi."), field="reasons"
        )
        remedy = clean(remedy)
        require(
            decision == Decision.DISMISSED or bool(remedy),
            N_("Tuliskan tindakan perbaikan atau pemulihan yang diputuskan."),
            field="remedy",
        )
        data = {
            "meeting_at": meeting_at,
            "place": clean(place),
            "attendance": rows,
            "guests": meeting.guest_rows(guests),
            "quorum": meeting.quorum_of(rows),
            "minutes": clean(minutes),
            "decision": decision,
            "reasons": reasons,
            "remedy": remedy,
            "dissent": meeting.dissent_rows(rows, dissent),
            "similar": considered.review(
                appeal, considered=similar_considered, confirmed=similar_confirmed
            ),
        }
        settle(appeal, user=user, number=9, outcome=Result.DECIDED, data=data)
    return appeal


def panel_dissent(*, appeal: Appeal, user: User, opinion: str) -> Appeal:
    """Step 9, while the meeting is recorded and its letters are not yet issued: a member
    who was present adds (or replaces) their own dissenting opinion to the record; the
    minutes are drafted again from it. Refused once a letter of the record is issued
    (withdraw it first)."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 9)
        require_declared(appeal, user)
        step = open_occurrence(appeal, 9)
        if not step.recorded_outcome:
            raise Conflict(
                N_(
                    "Catat dahulu hasil rapat panel; pendapat berbeda ditambahkan pada catatan itu."
                ),
                code="record_missing",
            )
        opinion = clean(opinion)
        require(bool(opinion), N_("Pendapat berbeda wajib diisi."), field="opinion")
        data = dict(step.recorded_data)
        rows = data["attendance"]
        own = [{"member": str(user.public_id), "opinion": opinion}]
        others = [
            {"member": d["member"], "opinion": d["opinion"]}
            for d in data.get("dissent", [])
            if d["member"] != str(user.public_id)
        ]
        data["dissent"] = meeting.dissent_rows(rows, [*others, *own], field="opinion")
        hooks.record_changed(appeal=appeal, step=step, user=user, outcome=step.recorded_outcome)
        step.recorded_data = data
        step.save(update_fields=["recorded_data"])
        record(
            action=Action.PANEL_DISSENTED,
            summary=f"{user.display_name} mencatat pendapat berbeda atas keputusan rapat panel",
            actor=user,
            appeal=appeal,
            step=9,
            data={"opinion": opinion},
        )
    return appeal


def _decided(data: dict) -> str:
    return f"Rapat panel memutuskan: {Decision(data['decision']).label}"


def _apply_decision(appeal: Appeal, data: dict) -> None:
    appeal.decision = data["decision"]
    appeal.decision_remedy = data["remedy"]


def _require_not_involved(appeal: Appeal, user: User) -> None:
    if user.pk in involvement.involved(appeal):
        raise Forbidden(
            N_(
                "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menyetujui "
                "keputusan banding ini (ISO/IEC 17025 7.9.6)."
            ),
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
        require(bool(disposition), N_("Isi disposisi wajib diisi."), field="disposition")
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
        require(bool(reasons), N_("Alasan pengembalian wajib diisi."), field="reasons")
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
