"""The seated panel: each member's declaration of conflict of interest (either answer), and the
head's replacement of a seat a declared conflict vacated, with its surat tugas update."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, may_sit_on_panel
from banding.appeals import actors, hooks, involvement
from banding.appeals.models import Appeal, PanelRole, PanelSeat, Status
from banding.appeals.notices import Kind, notify
from banding.appeals.services.shared import check_lengths, clean, locked, require
from banding.appeals.vacancy import panel_state
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid
from banding.sop.definition import Actor

NOT_MEMBER = N_("Hanya anggota Tim Panel Banding banding ini yang membuat pernyataan.")
HEAD_ONLY = N_(
    "Pengganti anggota Tim Panel Banding ditunjuk oleh Kepala Balai; Anda tidak berperan itu."
)


def _open(appeal: Appeal) -> None:
    if appeal.status != Status.OPEN:
        raise Conflict(
            _("Banding %(number)s sudah selesai.") % {"number": appeal.number}, code="appeal_closed"
        )


def panel_declare(
    *, appeal: Appeal, user: User, conflict: bool = False, description: str = ""
) -> PanelSeat:
    """A seated member declares, before acting, either "tidak ada konflik" or "ada konflik"
    with its description. A declared conflict vacates the seat (kept on the record) and tells
    the Kepala Balai, who appoints a replacement; until then the panel cannot act."""
    description = clean(description)
    with transaction.atomic():
        appeal = locked(appeal)
        seat = appeal.panel_seats.filter(user=user).first()
        if seat is None:
            raise Forbidden(NOT_MEMBER, code="not_your_role")
        _open(appeal)
        if seat.declared_at is not None:
            raise Conflict(
                N_("Anda sudah menyatakan ada benturan kepentingan; kursi Anda dikosongkan.")
                if seat.conflict
                else N_("Anda sudah menyatakan bebas benturan kepentingan."),
                code="already_declared",
            )
        if conflict:
            require(
                bool(description),
                N_("Uraikan benturan kepentingan yang Anda nyatakan."),
                field="description",
                code="description_required",
            )
            check_lengths(PanelSeat, {"conflict_description": description}, field="description")
        now = timezone.now()
        seat.declared_at = now
        seat.conflict = conflict
        seat.conflict_description = description if conflict else ""
        seat.vacated_at = now if conflict else None
        seat.save(update_fields=["declared_at", "conflict", "conflict_description", "vacated_at"])
        if not conflict:
            record(
                action=Action.PANEL_DECLARED,
                actor=user,
                appeal=appeal,
                step=appeal.current_step,
                summary=f"{user.display_name} menyatakan bebas benturan kepentingan",
            )
            return seat
        record(
            action=Action.PANEL_CONFLICT_DECLARED,
            actor=user,
            appeal=appeal,
            step=appeal.current_step,
            summary=(
                f"{user.display_name} menyatakan ada benturan kepentingan; kursinya "
                f"({seat.get_role_display()}) dikosongkan: {description}"
            ),
            data={"user": str(user.public_id), "role": seat.role, "description": description},
        )
        heads = actors.Players([appeal]).of(Actor.KAB, appeal)
        notify(
            recipients=heads,
            kind=Kind.PANEL_VACANCY,
            appeal=appeal,
            step=appeal.steps.filter(completed_at__isnull=True).first(),
            message=(
                N_(
                    "Banding %(number)s: %(name)s (%(role)s Tim Panel Banding) "
                    "menyatakan ada benturan kepentingan. Kursinya dikosongkan; tunjuk "
                    "penggantinya dan terbitkan surat tugas yang diperbarui."
                )
                % {
                    "number": appeal.number,
                    "name": user.display_name,
                    "role": seat.get_role_display(),
                }
            ),
            mail_context={"member": user.display_name, "description": description},
        )
    return seat


def replacement_refusal(appeal: Appeal, person: User, seats: list[PanelSeat]) -> str:
    """Why `person` may not replace a vacated seat of this panel ("" when they may): the
    same words the replacement form lists beside those it does not offer."""
    seat = next((s for s in seats if s.user_id == person.pk), None)
    if seat is not None and seat.conflict:
        return _("menyatakan benturan kepentingan pada banding ini")
    if seat is not None:
        return _("sudah duduk di Tim Panel Banding banding ini")
    if not may_sit_on_panel(person):
        return _("bukan pegawai yang dapat duduk di panel")
    return ""


def panel_replace(
    *, appeal: Appeal, user: User, vacated: User, member: User, chair: User | None = None
) -> PanelSeat:
    """The Kepala Balai appoints `member` to the seat `vacated` left by a declared conflict.
    The chair is kept unless the chair's seat was vacated, when `chair` (a seated member or
    the replacement) is required. The replacement is recorded, a correction of the surat tugas
    naming the panel as it now sits is drafted for the head to issue, and the panel acts again
    once it is issued and the replacement has declared."""
    with transaction.atomic():
        appeal = locked(appeal)
        if not (user.is_active and has_role(user, Role.HEAD)):
            raise Forbidden(HEAD_ONLY, code="not_your_role")
        _open(appeal)
        seats = list(appeal.panel_seats.select_related("user").order_by("pk"))
        state = panel_state(appeal, seats)
        old = next((s for s in state.vacant if s.user_id == vacated.pk), None)
        if old is None:
            raise Invalid(
                _("%(name)s tidak memegang kursi Tim Panel Banding yang kosong pada banding ini.")
                % {"name": vacated.display_name},
                code="no_vacancy",
                fields={
                    "vacated": [N_("Pilih kursi yang dikosongkan karena benturan kepentingan.")]
                },
            )
        why = replacement_refusal(appeal, member, seats)
        if why:
            message = _("%(name)s %(why)s sehingga tidak dapat ditunjuk sebagai pengganti.") % {
                "name": member.display_name,
                "why": why,
            }
            raise Invalid(message, code="not_eligible", fields={"member": [message]})
        involved = involvement.involved(appeal)
        if member.pk in involved:
            raise Invalid(
                _(
                    "%(name)s %(involved)s sehingga tidak dapat duduk di Tim Panel "
                    "Banding (ISO/IEC 17025 7.9.6)."
                )
                % {"name": member.display_name, "involved": involved[member.pk]},
                code="involved_person",
                fields={"member": [N_("Pihak yang terlibat tidak dapat ditunjuk.")]},
            )
        seated = [s for s in seats if s.vacated_at is None]
        current_chair = next((s for s in seated if s.role == PanelRole.CHAIR), None)
        members = [s.user for s in seated] + [member]
        if chair is None and old.role != PanelRole.CHAIR and current_chair is not None:
            chair = current_chair.user
        require(
            chair is not None and chair in members,
            N_("Ketua panel harus salah satu anggota."),
            field="chair",
        )
        assert chair is not None  # refused above
        now = timezone.now()
        if current_chair is not None and current_chair.user != chair:
            current_chair.role = PanelRole.MEMBER
            current_chair.save(update_fields=["role"])
        for s in seated:
            if s.user == chair and s.role != PanelRole.CHAIR:
                s.role = PanelRole.CHAIR
                s.save(update_fields=["role"])
        seat = PanelSeat.objects.create(
            appeal=appeal,
            user=member,
            appointed_at=now,
            role=PanelRole.CHAIR if member == chair else PanelRole.MEMBER,
            replaces=old,
        )
        reason = (
            f"{member.display_name} menggantikan {old.user.display_name} di Tim Panel Banding "
            f"(benturan kepentingan yang dinyatakan {old.user.display_name})"
        )
        into: dict = {}
        hooks.panel_replaced(appeal=appeal, user=user, reason=reason, into=into)
        record(
            action=Action.PANEL_REPLACED,
            actor=user,
            appeal=appeal,
            step=appeal.current_step,
            summary=f"Kepala Balai menunjuk pengganti: {reason}; ketua {chair.display_name}",
            data={
                "vacated": str(old.user.public_id),
                "member": str(member.public_id),
                "chair": str(chair.public_id),
                "letter": into.get("letter"),
            },
        )
    return seat
