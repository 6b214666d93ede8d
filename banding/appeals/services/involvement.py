"""Involvement after step 2: the Ketua Tim PJTK records why the members of the technical
team whose work is appealed are not to be treated as involved (appeals.involvement)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import involvement
from banding.appeals.models import Appeal, Status
from banding.appeals.services.shared import check_lengths, clean, locked, require
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden


def team_exempt(*, appeal: Appeal, user: User, reason: str) -> Appeal:
    """The Ketua Tim PJTK states why the appealed team's members are not involved (e.g. the
    work was done by one named analyst, recorded at step 2): they may then sit on the panel.
    Only before the panel is seated, once, and not by a person who is involved."""
    with transaction.atomic():
        appeal = locked(appeal)
        if not has_role(user, Role.PJTK_LEAD):
            raise Forbidden(
                N_(
                    "Hanya Ketua Tim PJTK yang mencatat alasan anggota tim teknis tidak dianggap "
                    "terlibat."
                ),
                code="not_your_role",
            )
        if appeal.status != Status.OPEN:
            raise Conflict(
                _("Banding %(number)s sudah selesai.") % {"number": appeal.number},
                code="appeal_closed",
            )
        if appeal.appealed_team_id is None:
            raise Conflict(
                N_("Banding ini tidak mencatat tim teknis yang hasil kerjanya dibanding."),
                code="no_appealed_team",
            )
        if appeal.team_exempt_reason:
            raise Conflict(
                N_("Alasan anggota tim teknis tidak dianggap terlibat sudah dicatat."),
                code="already_exempted",
            )
        if appeal.panel_seats.exists():
            raise Conflict(
                N_("Tim Panel Banding sudah ditunjuk; keterlibatan tidak dapat diubah lagi."),
                code="panel_seated",
            )
        if user.pk in involvement.involved(appeal):
            raise Forbidden(
                N_("Anda sendiri tercatat terlibat dalam kegiatan yang dibanding."),
                code="involved_person",
            )
        text = clean(reason)
        require(bool(text), N_("Alasan wajib diisi."), field="reason")
        check_lengths(Appeal, {"team_exempt_reason": text}, field="reason")
        appeal.team_exempt_reason, appeal.team_exempt_by = text, user
        appeal.team_exempt_at = timezone.now()
        appeal.save(update_fields=["team_exempt_reason", "team_exempt_by", "team_exempt_at"])
        record(
            action=Action.INVOLVEMENT_EXEMPTED,
            actor=user,
            appeal=appeal,
            step=appeal.current_step,
            summary="Ketua Tim PJTK mencatat alasan anggota tim teknis yang hasil kerjanya "
            "dibanding tidak dianggap terlibat",
            data={"reason": text},
        )
    return appeal
