"""Who may see which letters of an appeal."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from banding.accounts.roles import is_customer, is_internal
from banding.appeals import access
from banding.appeals.errors import NotFound
from banding.appeals.models import Appeal
from banding.letters.kinds import CUSTOMER_KINDS
from banding.letters.models import Letter, LetterStatus


def letters_of(appeal: Appeal, user) -> QuerySet[Letter]:
    """The appeal's letters this user may see: all of them for staff; for the customer only
    the issued (or superseded) letters addressed to them. One query."""
    qs = Letter.objects.filter(appeal=appeal).select_related("signer", "created_by")
    if is_internal(user):
        return qs
    if is_customer(user) and access.can_view(user, appeal):
        return qs.filter(kind__in=CUSTOMER_KINDS).exclude(status=LetterStatus.DRAFT)
    return qs.none()


def letter_for(user, appeal: Appeal, letter_id) -> Letter:
    letter = letters_of(appeal, user).filter(public_id=letter_id).first()
    if letter is None:
        raise NotFound("Surat tidak ditemukan.")
    return letter


def card(appeal: Appeal, user, *, reached: Collection[int] | None = None) -> dict:
    """The "Surat" card of the appeal page: its letters (one query) and the kinds this user may
    draft now — those of the current step, and of steps already reached that have no letter
    of that kind yet (the receipt after registration, the minutes after the meeting).
    `reached`: the numbers of the steps the appeal has reached, when the caller has its steps
    loaded already (saves a query)."""
    from banding.letters.kinds import SPECS
    from banding.letters.services import may_draft

    letters = list(letters_of(appeal, user))
    if not is_internal(user) or not appeal.is_open:
        # A closed appeal takes no new letter (letter_draft refuses it): offer none.
        return {"letters": letters, "letter_offers": []}
    if reached is None:
        reached = set(appeal.steps.values_list("number", flat=True))
    have = {letter.kind for letter in letters if letter.status != LetterStatus.SUPERSEDED}
    offers = [
        k
        for k in SPECS.values()
        if k.step.number in reached
        and (k.step.number == appeal.current_step or k.kind not in have)
        and may_draft(user, appeal, k)
    ]
    return {"letters": letters, "letter_offers": offers}
