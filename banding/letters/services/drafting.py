"""Drafting a letter: a draft pre-filled for the step the appeal stands at, edited, previewed
(marked DRAF) or discarded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden
from banding.letters import render
from banding.letters.models import Letter, LetterStatus
from banding.letters.services.rules import (
    clean_fields,
    drafters,
    known_spec,
    locked,
    may_draft,
    may_sign,
    require_at_step,
    require_draft,
    require_writable,
)


def letter_draft(*, appeal: Appeal, user: User, kind: str, fields: dict | None = None) -> Letter:
    """A draft of `kind` for the step the appeal stands at, its written parts pre-filled;
    `fields` overrides them."""
    k = known_spec(kind)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not may_draft(user, appeal, k):
            raise Forbidden(
                _("%(label)s disiapkan oleh %(drafters)s; Anda tidak berperan itu.")
                % {"label": k.label, "drafters": drafters(k)},
                code="not_your_role",
            )
        step = require_at_step(appeal, k)
        if k.single:
            existing = (
                step.letters.filter(kind=kind)
                .exclude(status=LetterStatus.WITHDRAWN)
                .order_by("-pk")
                .first()
            )
            if existing is not None:
                what = "drafnya" if existing.is_draft else f"surat {existing.number}"
                raise Conflict(
                    _("%(label)s untuk langkah ini sudah ada (%(what)s); lanjutkan yang itu.")
                    % {"label": k.label, "what": what},
                    code="letter_exists",
                )
        values = {**render.defaults(appeal, kind), **clean_fields(k, fields)}
        letter = Letter.objects.create(
            appeal=appeal,
            kind=kind,
            step=k.step.number,
            occurrence=step,
            fields=values,
            created_by=user,
        )
        record(
            action=Action.LETTER_DRAFTED,
            summary=f"Draf {k.label} dibuat",
            actor=user,
            appeal=appeal,
            step=step.number,
            data={"letter": str(letter.public_id), "kind": kind},
        )
    return letter


def letter_update(*, letter: Letter, user: User, fields: dict) -> Letter:
    """Edit the written parts of a draft."""
    k = known_spec(letter.kind)
    with transaction.atomic():
        letter = locked(letter)
        require_draft(letter)
        if not (may_draft(user, letter.appeal, k) or may_sign(user, letter.appeal, k)):
            raise Forbidden(
                _("Draf %(label)s diubah oleh penyusun atau penanda tangannya.")
                % {"label": k.label},
                code="not_your_role",
            )
        require_writable(letter, k)
        letter.fields = {**letter.fields, **clean_fields(k, fields)}
        letter.updated_at = timezone.now()
        letter.save(update_fields=["fields", "updated_at"])
        record(
            action=Action.LETTER_UPDATED,
            summary=f"Draf {k.label} diubah",
            actor=user,
            appeal=letter.appeal,
            step=letter.step,
            data={"letter": str(letter.public_id), "parts": sorted(fields)},
        )
    return letter


def letter_preview(*, letter: Letter) -> bytes:
    """A draft as PDF, marked DRAF, without number, signature or QR code. An issued letter
    is never re-rendered: its stored PDF is the letter."""
    require_draft(letter)
    return render.render_pdf(letter)


def discard_draft(letter: Letter, user: User, why: str = "") -> None:
    record(
        action=Action.LETTER_DISCARDED,
        summary=f"Draf {letter.get_kind_display()} dihapus" + (f": {why}" if why else ""),
        actor=user,
        appeal=letter.appeal,
        step=letter.step,
        data={"letter": str(letter.public_id), "kind": letter.kind},
    )
    letter.delete()


def letter_discard(*, letter: Letter, user: User) -> None:
    """A draft that will not be issued is deleted; issued letters never are."""
    k = known_spec(letter.kind)
    with transaction.atomic():
        letter = locked(letter)
        require_draft(letter)
        if not may_draft(user, letter.appeal, k):
            raise Forbidden(
                _("Draf %(label)s dihapus oleh penyusunnya.") % {"label": k.label},
                code="not_your_role",
            )
        discard_draft(letter, user)
