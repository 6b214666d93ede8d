"""Step 3 (completeness and relevance) and step 4 (the rejection of an appeal found not
relevant, delivered to the customer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import TechnicalTeam, User
from banding.appeals import access
from banding.appeals.models import (
    Appeal,
    Channel,
)
from banding.appeals.services import considered
from banding.appeals.services.recorded import register, settle
from banding.appeals.services.shared import (
    INTAKE_CHANNELS,
    clean,
    complete,
    locked,
    not_in_future,
    require,
)
from banding.sop import definition as sop
from banding.sop.definition import Result


def appeal_verify(
    *,
    appeal: Appeal,
    user: User,
    checklist: dict[str, bool],
    relevant: bool,
    reasons: str = "",
    technical_team: TechnicalTeam | None = None,
    similar_considered: Sequence[str] = (),
    similar_confirmed: bool = False,
) -> Appeal:
    """Step 3: completeness and relevance. Relevant: recorded, the nota dinas to the technical
    team is made from it and issued, then the step completes (step_complete) and step 5
    opens. Not relevant: the step completes at once and the rejection letter follows at
    step 4. The similar earlier appeals shown, and those the verifier confirms having
    considered (`similar_considered`, public ids; `similar_confirmed` required while any is
    shown), are part of the record."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 3)
        items = sop.step(3).checklist
        answers = {item: bool(checklist.get(item)) for item in items}
        missing = [item for item, ok in answers.items() if not ok]
        reasons = clean(reasons)
        if relevant:
            require(
                technical_team is not None,
                N_("Pilih Bagian/Tim Teknis tujuan nota dinas."),
                field="technical_team",
            )
            require(
                not missing,
                _(
                    "Banding yang belum lengkap tidak dapat dinyatakan relevan; "
                    "belum lengkap: %(missing)s."
                )
                % {"missing": ", ".join(missing)},
                field="checklist",
            )
        else:
            require(
                bool(reasons), N_("Alasan wajib diisi bila banding tidak relevan."), field="reasons"
            )
        team = technical_team if relevant else None  # required above when relevant
        review = considered.review(
            appeal, considered=similar_considered, confirmed=similar_confirmed
        )
        data = {
            "checklist": answers,
            "relevant": relevant,
            "reasons": reasons,
            "technical_team": team.code if team is not None else None,
            "technical_team_name": team.name if team is not None else None,
            "similar": review,
        }
        outcome = Result.RELEVANT if relevant else Result.NOT_RELEVANT
        settle(appeal, user=user, number=3, outcome=outcome, data=data)
    return appeal


def _verified(data: dict) -> str:
    if data["relevant"]:
        return (
            f"Diverifikasi relevan; nota dinas kepada {data['technical_team_name']}, "
            "diketahui Kepala Balai"
        )
    return "Diverifikasi tidak relevan"


def _apply_verification(appeal: Appeal, data: dict) -> None:
    appeal.relevant = data["relevant"]
    appeal.relevance_reasons = data["reasons"]
    appeal.technical_team = (
        TechnicalTeam.objects.get(code=data["technical_team"]) if data["relevant"] else None
    )


def appeal_reject(*, appeal: Appeal, user: User, delivered_at: datetime, channel: str) -> Appeal:
    """Step 4: the rejection letter, issued with the reasons recorded at step 3, is delivered
    to the customer; the appeal closes."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 4)
        require(
            channel in INTAKE_CHANNELS, N_("Saluran pengiriman tidak dikenal."), field="channel"
        )
        not_in_future(delivered_at, "delivered_at", _("Tanggal dikirim"))
        appeal.delivered_at = delivered_at
        appeal.delivery_channel = channel
        data = {
            "reasons": appeal.relevance_reasons,
            "delivered_at": delivered_at,
            "channel": channel,
        }
        complete(
            appeal,
            user=user,
            number=4,
            outcome=Result.REJECTED,
            data=data,
            summary=f"Surat penolakan dikirim kepada pelanggan ({Channel(channel).label})",
        )
    return appeal


register(3, summary=_verified, apply=_apply_verification)
