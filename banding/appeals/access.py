"""Who may see an appeal and who may act on its current step: derived from the SOP's actor
of each step and who plays it (banding.appeals.actors, the one definition of that rule).

Need to know (ISO/IEC 17025 4.2): institute staff open an appeal only when they have a part in
it (actors.part_of: the actor of any of its steps, a member of its technical team, a seat on
its panel, a step they acted on, its registration) or a role that oversees every appeal
(OVERSEEING_ROLES). Staff PJTK, Ketua Tim PJTK and Kepala Balai are actors of steps of every
appeal (2, 4, 12 and the registration of what arrives at step 1; 3, 11; 6, 10), so they keep
seeing all of them, Staff PJTK included (they run intake, registration and delivery for
every appeal); a technical user sees the appeals of their teams, of their panels (from the
appointment at step 6: a proposal at step 5 gives no access) and of steps they acted on.
can_view is the rule for one appeal, viewable the same rule as a filter on a query of
appeals; the pages, downloads, the register, its search and export, and the API all read one
or the other."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, is_customer, is_internal
from banding.appeals import actors
from banding.appeals.models import Appeal, Status
from banding.errors import Conflict, Forbidden
from banding.sop import definition as sop
from banding.sop.definition import Actor

# Roles that oversee every appeal whatever their part in it.
OVERSEEING_ROLES = (Role.PJTK_LEAD, Role.HEAD, Role.AUDITOR, Role.ADMIN)
NOT_INVOLVED = N_(
    "Anda tidak terlibat dalam banding ini: berkasnya hanya dapat dibuka oleh pelaksana "
    "langkah-langkahnya (Staff PJTK, Ketua Tim PJTK, Kepala Balai), anggota Tim Teknis yang "
    "dituju, Tim Panel Banding-nya, serta auditor dan administrator (prinsip perlu tahu, "
    "kerahasiaan ISO/IEC 17025 4.2). Minta Ketua Tim PJTK bila Anda memerlukannya."
)
PART = "viewer_has_part"  # the annotation of with_part()


def can_view(user: User | AnonymousUser, appeal: Appeal) -> bool:
    """Whether the user may open this appeal: a customer its organisation's, staff by need
    to know (see the module's docstring). Reads the annotation of with_part() when the
    appeal has it, else the rules (at most one query)."""
    if is_customer(user):
        return appeal.organization_id == user.organization_id
    if not is_internal(user):
        return False
    if has_role(user, *OVERSEEING_ROLES):
        return True
    if hasattr(appeal, PART):
        return bool(getattr(appeal, PART))
    return actors.has_part(user, appeal)


def viewable(user: User | AnonymousUser) -> Q | None:
    """can_view as a filter on a query of appeals: Q() for every appeal, None for none."""
    if is_customer(user):
        return Q(organization_id=user.organization_id)
    if not is_internal(user) or not isinstance(user, User):
        return None
    if has_role(user, *OVERSEEING_ROLES):
        return Q()
    return actors.part_of(user)


def with_part(user: User | AnonymousUser) -> dict[str, ExpressionWrapper]:
    """An annotation for a query of appeals that lets can_view answer without a query of its
    own (empty when the answer needs no database)."""
    condition = viewable(user)
    if not condition:  # every appeal, or none: can_view answers from the roles
        return {}
    return {PART: ExpressionWrapper(condition, output_field=BooleanField())}


def require_view(user: User | AnonymousUser, appeal: Appeal) -> None:
    """Refuse a member of staff who has no part in the appeal (403, saying why)."""
    if not can_view(user, appeal):
        raise Forbidden(NOT_INVOLVED, code="not_involved")


def plays(user: User | AnonymousUser, appeal: Appeal, actor: Actor) -> bool:
    """Whether the user plays `actor` for this appeal: the rule of banding.appeals.actors."""
    return actors.plays(user, appeal, actor)


def actor_refusal(actor: Actor, step_number: int) -> str:
    s = sop.step(step_number)
    who = s.actor_label
    if actor == Actor.TEK:
        who = _("anggota Bagian/Tim Teknis yang dituju banding ini")
    elif actor == Actor.TPB:
        who = _("anggota Tim Panel Banding yang ditunjuk untuk banding ini")
    return _("Langkah %(step)s (%(title)s) dikerjakan oleh %(who)s; Anda tidak berperan itu.") % {
        "step": s.number,
        "title": s.title,
        "who": who,
    }


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
            _(
                "Banding %(number)s sudah %(status)s; langkah %(step)s (%(title)s) "
                "tidak dapat dikerjakan lagi."
            )
            % {
                "number": appeal.number,
                "status": appeal.get_status_display().lower(),
                "step": s.number,
                "title": s.title,
            },
            code="appeal_closed",
        )
    if appeal.current_step != step_number:
        current = sop.step(appeal.open_step_number)  # open: checked above
        raise Conflict(
            _(
                "Banding %(number)s sedang berada di langkah %(step)s (%(title)s), "
                "bukan langkah %(s_step)s (%(s_title)s)."
            )
            % {
                "number": appeal.number,
                "step": current.number,
                "title": current.title,
                "s_step": s.number,
                "s_title": s.title,
            },
            code="wrong_step",
        )


def may_register(user: User | AnonymousUser) -> bool:
    # Same rule as plays(): a deactivated account acts on nothing, whichever adapter calls.
    return user.is_authenticated and user.is_active and has_role(user, Role.PJTK_STAFF)
