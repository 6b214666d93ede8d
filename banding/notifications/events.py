"""What the appeal services tell the notification layer, inside their transaction.

`step_opened` is called whenever an SOP step opens (the people who play its actor are told it
is their turn); `milestone_reached` whenever a step completes with an outcome the customer sees
(banding.sop.definition). Both write Notification rows and queue their e-mails in the
caller's transaction, so a committed action always yields them and an aborted one none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals.actors import Players
from banding.formats import format_instant
from banding.letters.outcome import outcome_of
from banding.notifications.links import portal_url, receipt_url
from banding.notifications.models import Kind
from banding.notifications.outbox import collected, enqueue_all, new_mail
from banding.notifications.services import Notice, notify_all
from banding.sop import definition as sop
from banding.sop.definition import Actor, Stage

if TYPE_CHECKING:
    from banding.appeals.models import Appeal, Step
    from banding.notifications.models import Mail
    from banding.sop.definition import Milestone


def step_opened(*, appeal: Appeal, step: Step) -> None:
    """Tell the people who act on `step` that it is their turn (in-app and e-mail). The
    customer's own step (PEL) is not announced here: the customer hears at milestones."""
    tell(opened=[(appeal, step)])


def milestone_reached(*, appeal: Appeal, milestone: Milestone, step: Step | None = None) -> None:
    """Tell the customer: every active account of the appeal's organisation (in-app and
    e-mail), and the appeal's contact e-mail when no such account has that address. `step`
    is the occurrence whose completion reached the milestone, when the caller holds it."""
    # The step occurrence whose completion reached the milestone: one notice per occurrence.
    reached_by = step or (
        appeal.steps.filter(number=milestone.step, outcome=milestone.outcome)
        .order_by("-completed_at", "-pk")
        .first()
    )
    tell(reached=[(appeal, milestone, reached_by)])


def tell(
    *,
    opened: Sequence[tuple[Appeal, Step]] = (),
    reached: Sequence[tuple[Appeal, Milestone, Step | None]] = (),
) -> None:
    """`step_opened` and `milestone_reached` for several appeals at once (an intake tells
    both, a batch intake for each appeal), each milestone with the step occurrence that
    reached it: the people of every actor read in one query, every organisation's accounts
    in one, the notices written together and the mails together."""
    notices = _turns(opened)
    contacts: list[Mail] = []
    if reached:
        milestone_notices, contacts = _milestones(reached)
        notices += milestone_notices
    with collected():
        notify_all(notices)
        enqueue_all(contacts)


def _turns(opened: Sequence[tuple[Appeal, Step]]) -> list[Notice]:
    opened = [(appeal, step) for appeal, step in opened if step.actor != Actor.PEL]
    if not opened:
        return []
    players = Players([appeal for appeal, _ in opened])  # one query
    notices = []
    for appeal, step in opened:
        s = sop.step(step.number)
        due = (
            N_(", tenggat %(due)s") % {"due": format_instant(step.due_at, pukul=True)}
            if step.due_at
            else ""
        )
        notices.append(
            Notice(
                recipients=players.of(step.actor, appeal),
                kind=Kind.STEP_ASSIGNED,
                appeal=appeal,
                step=step,
                message=(
                    N_(
                        "Giliran Anda: langkah %(number)s (%(title)s) banding "
                        "%(appeal_number)s%(due)s."
                    )
                    % {
                        "number": s.number,
                        "title": s.title,
                        "appeal_number": appeal.number,
                        "due": due,
                    }
                ),
                mail_context={"step": s.number, "step_title": s.title},
            )
        )
    return notices


def _milestones(
    reached: Sequence[tuple[Appeal, Milestone, Step | None]],
) -> tuple[list[Notice], list[Mail]]:
    """The customers' notices, and the mails to contact addresses no account of theirs has."""
    accounts: dict[int, list[tuple[int, str]]] = {}
    for organization_id, pk, email in User.objects.filter(
        organization_id__in={appeal.organization_id for appeal, _, _ in reached},
        is_active=True,
        groups__isnull=True,
    ).values_list("organization_id", "pk", "email"):
        accounts.setdefault(organization_id, []).append((pk, email))
    notices, contacts = [], []
    for appeal, milestone, step in reached:
        told = accounts.get(appeal.organization_id, [])
        # Stored in Indonesian; Notification.text says it again in the reader's language.
        message = N_("Banding %(number)s — %(stage)s: %(told)s") % {
            "number": appeal.number,
            "stage": milestone.label,
            "told": milestone.told,
        }
        ended = outcome_of(appeal) if milestone.stage in sop.closing_stages() else None
        context = {
            "stage": milestone.stage.value,
            "stage_label": milestone.label,
            "told": milestone.told,
            # How it ended, in words, as the issued letters state it.
            "outcome": {
                "sentence": ended.sentence,
                "words": ended.words,  # the sentence said again in the recipient's language
                "reasons": ended.reasons,
                "remedy": ended.remedy,
                "next": ended.next,
                "letters": [f"{x.get_kind_display()} {x.number}" for x in ended.letters],
            }
            if ended
            else None,
            "receipt_link": receipt_url(appeal) if milestone.stage == Stage.DITERIMA else "",
            "survey_link": (
                f"{portal_url(appeal)}#survei" if milestone.stage in sop.closing_stages() else ""
            ),
        }
        notices.append(
            Notice(
                recipients=[pk for pk, _ in told],
                kind=Kind.MILESTONE,
                appeal=appeal,
                step=step,
                message=message,
                mail_context=context,
            )
        )
        contact = appeal.contact_email.strip()
        if contact and contact.lower() not in {email.strip().lower() for _, email in told}:
            contacts.append(
                new_mail(
                    kind=Kind.MILESTONE.value,
                    to_address=contact,
                    appeal=appeal,
                    context={"message": message, "link": portal_url(appeal), **context},
                )
            )
    return notices, contacts
