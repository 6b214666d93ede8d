"""Which language a customer reads: the account's stored choice (`User.language`), changed
only by `user_language_set`, which writes its audit event. Staff work in Indonesian whatever
they choose; the portal's middleware (banding.portal.language) and the e-mails apply this."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import Language, User
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Invalid

INDONESIAN = Language.INDONESIAN.value
CODES = frozenset(Language.values)


def known(code: str | None) -> str | None:
    """`code` when it is one of the offered languages (a region is dropped: en-GB is en)."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in CODES else None


def refuse_unknown(code: str | None) -> str:
    """The offered language `code` names, or Invalid (nothing is written)."""
    language = known(code) if code and len(code) <= 10 else None
    if language is None or language != (code or "").strip().lower():
        message = N_("Bahasa tidak dikenal; pilihan: id (Bahasa Indonesia) atau en (English).")
        raise Invalid(message, code="unknown_language", fields={"language": [message]})
    return language


def user_language_set(*, user: User, language: str) -> User:
    """Store the language `user` reads the portal, its e-mails and the API's errors in."""
    language = refuse_unknown(language)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.language == language:
            return locked
        before = locked.language
        locked.language = language
        locked.save(update_fields=["language"])
        record(
            action=Action.ACCOUNT_LANGUAGE_CHANGED,
            actor=locked,
            summary=f"Bahasa portal diganti menjadi {Language(language).label}",
            data={"from": before, "to": language},
        )
    user.language = language
    return locked


def mail_language(user: User | None, *, customer: bool) -> str:
    """The language of an e-mail: the customer's choice for a customer's kind of mail,
    Indonesian for staff mail and when no choice is stored."""
    if not customer or user is None:
        return INDONESIAN
    return known(user.language) or INDONESIAN
