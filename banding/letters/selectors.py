"""Who may see which letters of an appeal."""

from __future__ import annotations

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
