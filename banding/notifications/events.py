"""What the appeal services tell the notification layer, inside their transaction.

`step_opened` is called whenever an SOP step opens (the people who play its actor are told it
is their turn); `milestone_reached` whenever a step completes with an outcome the customer sees
(banding.appeals.milestones). Both write Notification rows and queue their e-mails in the
caller's transaction, so a committed action always yields them and an aborted one none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from banding.accounts.models import User
from banding.appeals.actors import Players
from banding.appeals.deadlines import format_instant
from banding.appeals.milestones import Stage
from banding.notifications.links import portal_url, receipt_url
from banding.notifications.models import Kind
from banding.notifications.outbox import mail_enqueue
from banding.notifications.services import notify
from banding.sop import definition as sop
from banding.sop.definition import Actor

if TYPE_CHECKING:
    from banding.appeals.milestones import Milestone
    from banding.appeals.models import Appeal, Step

# Stages after which the appeal is finished for the customer: the mail asks for the survey.
FINAL_STAGES = frozenset({Stage.SELESAI, Stage.DITOLAK})


def step_opened(*, appeal: Appeal, step: Step) -> None:
    """Tell the people who act on `step` that it is their turn (in-app and e-mail). The
    customer's own step (PEL) is not announced here: the customer hears at milestones."""
    if step.actor == Actor.PEL:
        return
    s = sop.step(step.number)
    recipients = Players([appeal]).of(step.actor, appeal)  # one query
    due = f", tenggat {format_instant(step.due_at, pukul=True)}" if step.due_at else ""
    notify(
        recipients=recipients,
        kind=Kind.STEP_ASSIGNED,
        appeal=appeal,
        step=step,
        message=f"Giliran Anda: langkah {s.number} ({s.title}) banding {appeal.number}{due}.",
        mail_context={"step": s.number, "step_title": s.title},
    )


def milestone_reached(*, appeal: Appeal, milestone: Milestone, step: Step | None = None) -> None:
    """Tell the customer: every active account of the appeal's organisation (in-app and
    e-mail), and the appeal's contact e-mail when no such account has that address. `step`
    is the occurrence whose completion reached the milestone, when the caller holds it."""
    accounts = list(
        User.objects.filter(
            organization_id=appeal.organization_id, is_active=True, groups__isnull=True
        ).values_list("pk", "email")
    )
    # The step occurrence whose completion reached the milestone: one notice per occurrence.
    reached_by = step or (
        appeal.steps.filter(number=milestone.step, outcome=milestone.outcome)
        .order_by("-completed_at", "-pk")
        .first()
    )
    message = f"Banding {appeal.number} — {milestone.label}: {milestone.told}"
    context = {
        "stage": milestone.stage.value,
        "stage_label": milestone.label,
        "told": milestone.told,
        "receipt_link": receipt_url(appeal) if milestone.stage == Stage.DITERIMA else "",
        "survey_link": f"{portal_url(appeal)}#survei" if milestone.stage in FINAL_STAGES else "",
    }
    notify(
        recipients=[pk for pk, _ in accounts],
        kind=Kind.MILESTONE,
        appeal=appeal,
        step=reached_by,
        message=message,
        mail_context=context,
    )
    contact = appeal.contact_email.strip()
    if contact and contact.lower() not in {email.strip().lower() for _, email in accounts}:
        mail_enqueue(
            kind=Kind.MILESTONE.value,
            to_address=contact,
            appeal=appeal,
            context={"message": message, "link": portal_url(appeal), **context},
        )
