"""Who may do what with corrective actions, in one place (the services, pages and API ask
here):

- add: once the panel's decision is recorded (step 9 complete) and accepts the appeal wholly
  or in part, the panel's chair while the appeal is at step 9 or 10, and the Ketua Tim PJTK
  from then on, also after the appeal is closed;
- complete: the action's owner, while it is open;
- check effectiveness: the Ketua Tim PJTK, once the owner has completed it;
- read: whoever may open the appeal (banding.appeals.access), and the owner their own;
  the list of every action: the Ketua Tim PJTK, Kepala Balai, auditors and administrators.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role, is_internal
from banding.appeals import access
from banding.appeals.models import Appeal, Decision, PanelRole, PanelSeat, Status
from banding.corrective.models import CorrectiveAction
from banding.corrective.models import Status as ActionStatus
from banding.errors import Conflict, Forbidden

OVERSEEING_ROLES = (Role.PJTK_LEAD, Role.HEAD, Role.AUDITOR, Role.ADMIN)
CHAIR_STEPS = (9, 10)
REMEDY_DECISIONS = (Decision.ACCEPTED, Decision.PARTLY)

NOT_DECIDED = N_(
    "Tindakan perbaikan ditambahkan setelah keputusan Tim Panel Banding (langkah 9) yang "
    "menerima banding seluruhnya atau sebagian dicatat."
)
MAY_NOT_ADD = N_(
    "Tindakan perbaikan ditambahkan oleh ketua Tim Panel Banding (selama banding di langkah "
    "9 atau 10) atau oleh Ketua Tim PJTK."
)
NOT_OWNER = N_("Tindakan perbaikan ini diselesaikan oleh penanggung jawabnya.")
NOT_LEAD = N_("Verifikasi keefektifan tindakan perbaikan dicatat oleh Ketua Tim PJTK.")
MAY_NOT_READ = N_(
    "Tindakan perbaikan ini hanya dapat dibuka oleh pihak yang terlibat dalam bandingnya."
)


def active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def decided(appeal: Appeal) -> bool:
    """The panel's decision is recorded and asks for a remedy (accepted wholly or in part)."""
    return appeal.decision in REMEDY_DECISIONS


def is_lead(user: User | AnonymousUser) -> bool:
    return active(user) and has_role(user, Role.PJTK_LEAD)


def is_chair(user: User | AnonymousUser, appeal: Appeal) -> bool:
    if not active(user):
        return False
    return (
        PanelSeat.objects.seated()
        .filter(appeal=appeal, user_id=user.pk, role=PanelRole.CHAIR)
        .exists()
    )


def chair_may_add(appeal: Appeal) -> bool:
    return appeal.status == Status.OPEN and appeal.current_step in CHAIR_STEPS


def may_add(user: User | AnonymousUser, appeal: Appeal) -> bool:
    if not decided(appeal):
        return False
    if is_lead(user):
        return True
    return chair_may_add(appeal) and is_chair(user, appeal)


def require_add(user: User | AnonymousUser, appeal: Appeal) -> None:
    """Refuse unless the user may add an action to the appeal now (role first, then state)."""
    if not (is_lead(user) or is_chair(user, appeal)):
        raise Forbidden(MAY_NOT_ADD, code="not_your_role")
    if not decided(appeal):
        raise Conflict(NOT_DECIDED, code="not_decided")
    if not is_lead(user) and not chair_may_add(appeal):
        raise Forbidden(MAY_NOT_ADD, code="not_your_role")


def require_complete(user: User | AnonymousUser, action: CorrectiveAction) -> None:
    if not active(user) or action.owner_id != user.pk:
        raise Forbidden(NOT_OWNER, code="not_owner")
    if action.status != ActionStatus.OPEN:
        raise Conflict(
            _("Tindakan perbaikan ini sudah %(status)s.")
            % {"status": action.get_status_display().lower()},
            code="not_open",
        )


def require_check(user: User | AnonymousUser, action: CorrectiveAction) -> None:
    if not is_lead(user):
        raise Forbidden(NOT_LEAD, code="not_your_role")
    if action.status == ActionStatus.OPEN:
        raise Conflict(
            N_(
                "Keefektifan diverifikasi setelah penanggung jawab menyelesaikan tindakan "
                "perbaikan ini."
            ),
            code="not_completed",
        )
    if action.status != ActionStatus.DONE:
        raise Conflict(
            N_("Keefektifan tindakan perbaikan ini sudah diverifikasi."), code="already_checked"
        )


def oversees(user: User | AnonymousUser) -> bool:
    """Reads every corrective action (the list page, the API's list without an appeal)."""
    return active(user) and has_role(user, *OVERSEEING_ROLES)


def may_read(user: User | AnonymousUser, action: CorrectiveAction) -> bool:
    if not active(user) or not is_internal(user):
        return False
    return action.owner_id == user.pk or oversees(user) or access.can_view(user, action.appeal)
