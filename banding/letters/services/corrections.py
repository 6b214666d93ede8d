"""Corrections of issued letters: a new version (superseding the old one once issued), a
withdrawal (dicabut) at the letter's own step, and the letters that follow their record when the
record changes or the decision is returned (banding.appeals.hooks, connected in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals.models import Appeal, Step
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters.models import Letter, LetterStatus
from banding.letters.services.drafting import discard_draft
from banding.letters.services.rules import (
    clean_fields,
    drafters,
    known_spec,
    locked,
    may_draft,
    may_sign,
    open_step,
)
from banding.sop import definition as sop


def letter_supersede(
    *, letter: Letter, user: User, reason: str, fields: dict | None = None
) -> Letter:
    """A correction of an issued letter: a new draft version with the reason. The old one stays
    valid until the new one is issued, then it is marked superseded; both are kept. After the
    appeal is closed only the Kepala Balai authorises a correction (the file is frozen)."""
    k = known_spec(letter.kind)
    reason = (reason or "").strip()
    with transaction.atomic():
        old = locked(letter)
        if old.status != LetterStatus.ISSUED:
            raise Conflict(
                N_("Hanya surat yang sudah terbit dan masih berlaku yang dapat dikoreksi."),
                code="letter_not_issued",
            )
        closed = not old.appeal.is_open
        if closed:
            if not (user.is_active and has_role(user, Role.HEAD)):
                raise Forbidden(
                    _(
                        "Banding %(number)s sudah ditutup; koreksi suratnya hanya dapat "
                        "diizinkan oleh Kepala Balai."
                    )
                    % {"number": old.appeal.number},
                    code="not_your_role",
                )
        elif not (may_draft(user, old.appeal, k) or may_sign(user, old.appeal, k)):
            raise Forbidden(
                _("Koreksi %(label)s disiapkan oleh %(drafters)s.")
                % {"label": k.label, "drafters": drafters(k)},
                code="not_your_role",
            )
        if not reason:
            raise Invalid(
                N_("Alasan koreksi wajib diisi."), fields={"reason": [N_("Wajib diisi.")]}
            )
        if Letter.objects.filter(supersedes=old).exists():
            raise Conflict(
                _("Koreksi surat %(number)s sudah dibuat; lanjutkan draf koreksi itu.")
                % {"number": old.number},
                code="correction_exists",
            )
        now = timezone.now()
        new = Letter.objects.create(
            appeal=old.appeal,
            kind=old.kind,
            step=old.step,
            occurrence_id=old.occurrence_id,
            fields={**old.fields, **clean_fields(k, fields)},
            version=old.version + 1,
            supersedes=old,
            correction_reason=reason,
            created_by=user,
            amendment_authorised_by=user if closed else None,
            amendment_authorised_at=now if closed else None,
        )
        action = Action.LETTER_AMENDMENT_AUTHORISED if closed else Action.LETTER_CORRECTION_DRAFTED
        record(
            action=action,
            summary=(
                f"Koreksi {k.label} {old.number} diizinkan Kepala Balai setelah banding ditutup: "
                if closed
                else f"Koreksi {k.label} {old.number} disiapkan: "
            )
            + reason,
            actor=user,
            appeal=old.appeal,
            step=old.step,
            data={"letter": str(new.public_id), "supersedes": str(old.public_id), "reason": reason},
        )
    return new


def _withdraw(letter: Letter, user: User, reason: str, now: datetime) -> None:
    letter.status = LetterStatus.WITHDRAWN
    letter.withdrawn_at = now
    letter.withdrawn_by = user
    letter.withdrawal_reason = reason
    letter.updated_at = now
    letter.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    record(
        action=Action.LETTER_WITHDRAWN,
        summary=f"{letter.get_kind_display()} {letter.number} dicabut: {reason}",
        actor=user,
        appeal=letter.appeal,
        step=letter.step,
        data={"letter": str(letter.public_id), "number": letter.number, "reason": reason},
    )


def withdraw_returned(*, appeal: Appeal, step: Step, user: User, reason: str, data: dict) -> None:
    """The letters of an occurrence whose decision is returned (step 10 -> 9,
    banding.appeals.hooks.decision_returned): the issued ones withdrawn (dicabut) with the
    reason, the drafts discarded, inside the caller's transaction; the withdrawn letters'
    public ids go into the returning step's `data["withdrawn"]`."""
    now = timezone.now()
    withdrawn = []
    for letter in step.letters.select_for_update().order_by("pk"):
        letter.appeal = appeal
        if letter.status == LetterStatus.ISSUED:
            _withdraw(letter, user, reason, now)
            withdrawn.append(str(letter.public_id))
        elif letter.status == LetterStatus.DRAFT:
            discard_draft(letter, user, reason)
    data["withdrawn"] = withdrawn


def reconcile_with_record(*, appeal: Appeal, step: Step, user: User, outcome: str) -> None:
    """Before a record-first step's record changes (or the step completes with another
    outcome): a letter made from the record states it, so once one of this occurrence is
    issued the record stands (the letter is withdrawn first to change it); drafts the new
    outcome no longer requires are discarded, the others follow the new record. Letters that
    do not depend on the record (a receipt drafted meanwhile) are left alone. Inside the
    caller's transaction."""
    s = sop.step(step.number)
    made_from_record = {r.output.key for r in s.outputs}
    letters = [
        x for x in step.letters.exclude(status=LetterStatus.WITHDRAWN) if x.kind in made_from_record
    ]
    issued = [x for x in letters if x.status != LetterStatus.DRAFT]
    if step.recorded_outcome and issued:
        names = ", ".join(f"{x.get_kind_display()} {x.number}" for x in issued)
        raise Conflict(
            _(
                "%(names)s sudah terbit dari hasil langkah %(number)s yang dicatat; cabut "
                "dahulu surat itu untuk mengubah hasilnya."
            )
            % {"names": names, "number": step.number},
            code="output_issued",
        )
    kept = {o.key for o in s.required(outcome)}
    for letter in letters:
        if letter.status == LetterStatus.DRAFT and letter.kind not in kept:
            letter.appeal = appeal
            discard_draft(letter, user, f"hasil langkah {step.number} berubah")


def letter_withdraw(*, letter: Letter, user: User, reason: str) -> Letter:
    """An issued letter of the step the appeal stands at, withdrawn (dicabut) by whoever may
    sign it or the Kepala Balai, with the reason: so that the record it was made from can be
    corrected. Letters of steps already completed are corrected, not withdrawn."""
    k = known_spec(letter.kind)
    reason = (reason or "").strip()
    with transaction.atomic():
        letter = locked(letter)
        appeal = letter.appeal
        if not (may_sign(user, appeal, k) or (user.is_active and has_role(user, Role.HEAD))):
            raise Forbidden(
                _("%(label)s dicabut oleh penanda tangannya atau Kepala Balai.")
                % {"label": k.label},
                code="not_your_role",
            )
        if letter.status != LetterStatus.ISSUED:
            raise Conflict(
                N_("Hanya surat yang sudah terbit dan masih berlaku yang dapat dicabut."),
                code="letter_not_issued",
            )
        step = open_step(appeal) if appeal.is_open else None
        if step is None or letter.occurrence_id != step.pk:
            raise Conflict(
                _(
                    "Surat %(number)s adalah output langkah yang sudah selesai; surat itu "
                    "dikoreksi dengan versi baru, tidak dicabut."
                )
                % {"number": letter.number},
                code="wrong_step",
            )
        if not reason:
            raise Invalid(
                N_("Alasan pencabutan wajib diisi."), fields={"reason": [N_("Wajib diisi.")]}
            )
        _withdraw(letter, user, reason, timezone.now())
    return letter
