"""The letter actions: draft, edit a draft, preview, issue (the signer numbers, signs and stores
it in one action), correct, withdraw. Each is keyword-only and atomic and writes its audit event
in the same transaction. An issued letter is never changed: a correction is a new version.

Letters follow the steps (docs/letters.md): a letter is drafted and issued only while the appeal
stands at the step that makes it, for that occurrence of the step, and — for a step whose
letters are made from its own record (sop Step.record_first) — only once that record exists and
requires it. Its facts are printed from the record, not typed. Issue and sign are one action of
the signer, who confirms it with their password: the letter is numbered, its PDF stored once and
its SHA-256 written in the audit event. A closed appeal's file is frozen; only a correction the
Kepala Balai authorises is made after closure.
"""

from banding.letters.services.appointment import appointment_in_force, appointment_update
from banding.letters.services.corrections import (
    letter_supersede,
    letter_withdraw,
    reconcile_with_record,
    withdraw_returned,
)
from banding.letters.services.drafting import (
    letter_discard,
    letter_draft,
    letter_preview,
    letter_update,
)
from banding.letters.services.issuing import SIGNING, letter_by_code, letter_issue
from banding.letters.services.rules import capacity, may_draft, may_sign, signed_as

__all__ = [
    "SIGNING",
    "appointment_in_force",
    "appointment_update",
    "capacity",
    "letter_by_code",
    "letter_discard",
    "letter_draft",
    "letter_issue",
    "letter_preview",
    "letter_supersede",
    "letter_update",
    "letter_withdraw",
    "may_draft",
    "may_sign",
    "reconcile_with_record",
    "signed_as",
    "withdraw_returned",
]
