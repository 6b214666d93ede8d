"""Who may see an appeal and who may act on its current step: derived from the SOP's actor
of each step and who plays it (banding.appeals.actors, the one definition of that rule)."""

from django.contrib.auth.models import AnonymousUser

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, is_customer, is_internal
from banding.appeals import actors
from banding.appeals.models import Appeal, Status
from banding.errors import Conflict, Forbidden
from banding.sop import definition as sop
from banding.sop.definition import Actor


def can_view(user: User | AnonymousUser, appeal: Appeal) -> bool:
    if is_internal(user):
        return True
    return is_customer(user) and appeal.organization_id == user.organization_id


def plays(user: User | AnonymousUser, appeal: Appeal, actor: Actor) -> bool:
    """Whether the user plays `actor` for this appeal: the rule of banding.appeals.actors."""
    return actors.plays(user, appeal, actor)


def actor_refusal(actor: Actor, step_number: int) -> str:
    s = sop.step(step_number)
    who = s.actor_label
    if actor == Actor.TEK:
        who = "anggota Bagian/Tim Teknis yang dituju banding ini"
    elif actor == Actor.TPB:
        who = "anggota Tim Panel Banding yang ditunjuk untuk banding ini"
    return f"Langkah {s.number} ({s.title}) dikerjakan oleh {who}; Anda tidak berperan itu."


def require_turn(user: User | AnonymousUser, appeal: Appeal, step_number: int) -> None:
    """Refuse unless `user` plays the actor of step `step_number` and the appeal stands at it."""
    s = sop.step(step_number)
    if not plays(user, appeal, s.actor):
        raise Forbidden(actor_refusal(s.actor, step_number), code="not_your_role")
    require_state(appeal, step_number)


def require_state(appeal: Appeal, step_number: int) -> None:
    s = sop.step(step_number)
    if appeal.status != Status.OPEN:
        raise Conflict(
            f"Banding {appeal.number} sudah {appeal.get_status_display().lower()}; "
            f"langkah {s.number} ({s.title}) tidak dapat dikerjakan lagi.",
            code="appeal_closed",
        )
    if appeal.current_step != step_number:
        current = sop.step(appeal.open_step_number)  # open: checked above
        raise Conflict(
            f"Banding {appeal.number} sedang berada di langkah {current.number} "
            f"({current.title}), bukan langkah {s.number} ({s.title}).",
            code="wrong_step",
        )


def may_register(user: User | AnonymousUser) -> bool:
    # Same rule as plays(): a deactivated account acts on nothing, whichever adapter calls.
    return user.is_authenticated and user.is_active and has_role(user, Role.PJTK_STAFF)
