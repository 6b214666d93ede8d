"""What the appeal services tell the notification layer, inside their transaction.

`step_opened` is called whenever an SOP step opens (the people who play its actor are told it
is their turn); `milestone_reached` whenever a step completes with an outcome the customer sees
(banding.appeals.milestones). Both write Notification rows and queue their e-mails in the
caller's transaction, so a committed action always yields them and an aborted one none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from banding.appeals.milestones import Milestone
    from banding.appeals.models import Appeal, Step


def step_opened(*, appeal: Appeal, step: Step) -> None:
    """Tell the people who act on `step` that it is their turn (in-app and e-mail)."""
    # Filled in by the e-mail work of issue 5 (see the session brief).


def milestone_reached(*, appeal: Appeal, milestone: Milestone) -> None:
    """Tell the customer (its organisation's accounts and the appeal's contact e-mail)."""
    # Filled in by the e-mail work of issue 5 (see the session brief).
