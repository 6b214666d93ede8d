"""Reads of the portal: a customer's organisation's appeals and what its appeal page shows.
Each is a fixed number of queries whatever the number of appeals, steps or events."""

from __future__ import annotations

from django.db.models import QuerySet

from banding.accounts.models import User
from banding.accounts.roles import is_customer
from banding.appeals.models import Appeal
from banding.letters import visibility
from banding.portal.timeline import customer_timeline


def appeals_of(user: User) -> QuerySet[Appeal]:
    """The appeals of the customer's organisation, newest first (the (organization,
    -created_at) index); none for anyone else, staff included."""
    if not is_customer(user):
        return Appeal.objects.none()
    return Appeal.objects.filter(organization_id=user.organization_id).order_by(
        "-created_at", "-id"
    )


def appeal_page(appeal: Appeal, user: User) -> dict:
    """What the customer's appeal page lists: its step occurrences (for the milestones), the
    documents it sent, the letters addressed to it and the public timeline: what
    banding.letters.visibility lets it see (no internal document, draft or internal letter,
    non-public event)."""
    return {
        "steps": list(appeal.steps.all()),
        "documents": visibility.documents(appeal, user),
        "letters": list(visibility.letters(appeal, user)),
        "timeline": customer_timeline(visibility.events(appeal, user)),
    }
