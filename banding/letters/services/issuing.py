"""Issuing a letter: the signer numbers, signs and stores it in one action, confirmed with their
password; an issued letter is found by its verification code."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding import formats
from banding.accounts import throttle
from banding.accounts.models import User
from banding.appeals import involvement
from banding.appeals.models import Appeal
from banding.appeals.uploads import files_removed_on_error
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Forbidden, Invalid, NotFound
from banding.letters import numbering, render
from banding.letters.kinds import KindSpec
from banding.letters.models import Letter, LetterStatus
from banding.letters.services.rules import (
    capacity,
    known_spec,
    locked,
    require_draft,
    require_writable,
    signed_as,
)
from banding.letters.signing import certificates, pades

SIGNING = "signing"  # the throttle's scope of wrong passwords given to sign


def _missing(kind: KindSpec, fields: dict) -> list[str]:
    return [
        str(p.label) for p in kind.parts if p.required and not str(fields.get(p.name, "")).strip()
    ]


def _require_password(user: User, password: str | None) -> None:
    """The signer confirms with their own password. As many wrong ones in a row as the login
    allows (AXES_FAILURE_LIMIT) lock signing for the login's cool-off time, so a session or an
    API token in other hands cannot try passwords here."""
    limit, cooloff = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    if throttle.failures(SIGNING, user.pk) >= limit:
        minutes = int(cooloff.total_seconds() // 60)
        raise Forbidden(
            _(
                "Terlalu banyak kata sandi yang salah; penandatanganan Anda dikunci "
                "%(minutes)s menit. Surat tidak diterbitkan."
            )
            % {"minutes": minutes},
            code="reauthentication_locked",
        )
    if not password or not user.check_password(password):
        throttle.failed(SIGNING, user.pk, window=cooloff)
        raise Invalid(
            N_(
                "Kata sandi tidak cocok; surat tidak diterbitkan. Masukkan kata sandi Anda "
                "untuk menandatangani."
            ),
            code="reauthentication_failed",
            fields={"password": [N_("Kata sandi tidak cocok.")]},
        )
    throttle.forgive(SIGNING, user.pk)


def _require_not_involved(appeal: Appeal, user: User, kind: KindSpec) -> None:
    """The letters that propose, appoint or decide are not signed by a person involved in
    the original activity (ISO/IEC 17025 7.9.6)."""
    if kind.impartial and user.pk in involvement.involved(appeal):
        raise Forbidden(
            _(
                "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat "
                "menandatangani %(label)s banding ini (ISO/IEC 17025 7.9.6)."
            )
            % {"label": kind.label},
            code="involved_person",
        )


def letter_issue(*, letter: Letter, user: User, password: str | None) -> Letter:
    """The signer issues the draft, confirming with their password: number, PAdES signature
    with their certificate (banding.letters.signing), PDF and SHA-256, stored once. A new
    version also marks the version it corrects superseded."""
    k = known_spec(letter.kind)
    with files_removed_on_error() as written, transaction.atomic():
        letter = locked(letter)
        require_draft(letter)
        appeal = letter.appeal
        on_behalf = capacity(user, appeal, k)
        if on_behalf is None:
            raise Forbidden(
                _("%(label)s ditandatangani oleh %(signer)s; Anda tidak berperan itu.")
                % {"label": k.label, "signer": k.signer.describe()},
                code="not_your_role",
            )
        _require_not_involved(appeal, user, k)
        require_writable(letter, k)
        merged = {**render.defaults(appeal, letter.kind), **letter.fields}
        missing = _missing(k, merged)
        if missing:
            raise Invalid(
                _("Lengkapi dahulu bagian surat: %(missing)s.") % {"missing": ", ".join(missing)},
                code="letter_incomplete",
                fields={"fields": missing},
            )
        _require_password(user, password)
        now = timezone.now()
        # The certificate is opened before a number is taken: a missing, unreadable or expired
        # one refuses the letter with nothing numbered or stored.
        credential = certificates.credential_for(user.username, at=now)
        letter.fields = merged
        letter.sequence, letter.number = numbering.take(letter.kind, timezone.localdate(now))
        letter.year = timezone.localdate(now).year
        letter.status = LetterStatus.ISSUED
        letter.verification_code = secrets.token_urlsafe(12)
        letter.issued_at = letter.signed_at = now
        letter.issued_by = letter.signer = user
        letter.on_behalf = on_behalf
        letter.signed_as = signed_as(k, on_behalf)
        capacity_line = letter.signed_as.replace("\n", ", ")
        content = pades.sign(
            render.render_pdf(letter),
            credential,
            capacity=capacity_line,
            when=formats.format_wib(now),
            reason=f"{k.label} {letter.number}",
        )
        letter.sha256 = hashlib.sha256(content).hexdigest()
        name = default_storage.save(
            f"letters/{appeal.public_id}/{letter.public_id}.pdf", ContentFile(content)
        )
        written.append(name)
        letter.pdf.name = name
        letter.updated_at = now
        letter.save()
        if letter.supersedes_id:
            Letter.objects.filter(pk=letter.supersedes_id).update(
                status=LetterStatus.SUPERSEDED, updated_at=now
            )
        record(
            action=Action.LETTER_ISSUED,
            summary=f"{k.label} {letter.number} terbit, ditandatangani secara elektronik oleh "
            f"{user.display_name} ({capacity_line})",
            actor=user,
            appeal=appeal,
            step=letter.step,
            data={
                "letter": str(letter.public_id),
                "kind": letter.kind,
                "number": letter.number,
                "sha256": letter.sha256,
                "version": letter.version,
                "supersedes": str(letter.supersedes.public_id) if letter.supersedes else None,
                "signed_as": letter.signed_as,
                "on_behalf": on_behalf,
                "reauthenticated": True,
            },
            # The customer hears of a letter when the SOP delivers it (its step completes);
            # a correction of one already delivered, at once.
            public=k.to_customer and (k.delivered_by is None or bool(letter.supersedes_id)),
        )
    return letter


def letter_by_code(code: str) -> Letter:
    letter = (
        Letter.objects.select_related("appeal", "signer", "superseded_by")
        .filter(verification_code=code)
        .exclude(status=LetterStatus.DRAFT)
        .first()
    )
    if letter is None:
        raise NotFound(N_("Kode verifikasi tidak dikenal."))
    return letter
