"""What a customer may see of an appeal: the one place that decides it, for the portal, the
API and whatever else shows an appeal to its customer. Staff (any institute role) see
everything; a customer, of its own organisation's appeals only:

- letters: those addressed to it that the SOP has delivered (a kind that reaches it when
  issued; the others once the step that delivers them has completed: the rejection letter
  at step 4, the decision and the delivery letter at step 12), in force or replaced by a
  correction; never a draft, a withdrawn or an internal letter;
- documents: what it sent (appeals.models.CUSTOMER_VISIBLE_KINDS), never the staff's;
- events: those marked public, told in its words by the portal;
- steps and milestones: every step occurrence, shown as the milestones of the SOP
  (banding.appeals.progress);
- the decision and the outcome: only once delivered to it (letters.outcome.outcome_of);
- never the staff named in the original complaint, the panel's working notes, the current
  step's record or its outputs (working_detail).

It lives with the letters, the highest of the things a customer is shown, so that it can
decide about every one of them.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import is_customer, is_internal
from banding.appeals import access
from banding.appeals.models import Appeal, Document, Step
from banding.audit.models import Event
from banding.errors import NotFound
from banding.letters.kinds import SPECS
from banding.letters.models import Letter, LetterStatus
from banding.letters.outcome import DeliveredOutcome

# What a customer may open of a letter addressed to it: in force, or replaced by a correction
# (kept as history, marked so); never a withdrawn one, which the SOP never delivered.
CUSTOMER_STATUSES = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)


def working_detail(user: User) -> bool:
    """Whether the user sees the institute's working detail of an appeal (the persons
    involved, the panel's notes, the current step's record and outputs, every document,
    letter and event): staff do, a customer never."""
    return is_internal(user)


def delivered() -> Q:
    """Letters to the customer that the SOP has delivered: those of a kind that reaches them
    when issued, and the others once the step that delivers them has completed (the
    rejection letter at step 4, the decision and the delivery letter at step 12)."""
    condition = Q(kind__in=[k for k, s in SPECS.items() if s.to_customer and not s.delivered_by])
    for number in {s.delivered_by for s in SPECS.values() if s.to_customer and s.delivered_by}:
        kinds = [k for k, s in SPECS.items() if s.to_customer and s.delivered_by == number]
        done = Step.objects.filter(
            appeal=OuterRef("appeal"), number=number, completed_at__isnull=False
        )
        condition |= Q(kind__in=kinds) & Q(Exists(done))
    return condition


def letters(appeal: Appeal, user: User) -> QuerySet[Letter]:
    """The appeal's letters this user may see: all of them for staff; for the customer only
    the letters addressed to it that the SOP has delivered to it. One query."""
    qs = Letter.objects.filter(appeal=appeal).select_related("signer", "created_by")
    if working_detail(user):
        return qs
    if is_customer(user) and access.can_view(user, appeal):
        return qs.filter(delivered(), status__in=CUSTOMER_STATUSES)
    return qs.none()


def documents(appeal: Appeal, user: User) -> list[Document]:
    """The appeal's documents this user may see, oldest first: all for staff, what the
    customer sent for the customer. One query."""
    docs = list(appeal.documents.select_related("uploaded_by").order_by("uploaded_at", "id"))
    if working_detail(user):
        return docs
    return [d for d in docs if d.customer_visible]


def document_for(user: User, appeal: Appeal, public_id: UUID | str) -> Document:
    for doc in documents(appeal, user):
        if str(doc.public_id) == str(public_id):
            return doc
    raise NotFound(N_("Dokumen tidak ditemukan."))


def events(appeal: Appeal, user: User) -> QuerySet[Event]:
    """The appeal's audit events this user may see, oldest first: the public ones for a
    customer."""
    qs = Event.objects.filter(appeal=appeal).select_related("actor")
    if not working_detail(user):
        qs = qs.filter(public=True)
    return qs.order_by("created_at", "id")


def decision_shown(appeal: Appeal, user: User, ended: DeliveredOutcome | None) -> bool:
    """Whether the panel's decision is shown: to staff once taken, to the customer only once
    delivered to it (`ended`: letters.outcome.outcome_of, the appeal closed at step 12)."""
    return bool(appeal.decision) and (working_detail(user) or ended is not None)
