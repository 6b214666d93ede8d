"""The letter actions: draft, edit a draft, preview, issue (the signer numbers, signs and stores
it in one action) and supersede. Each is keyword-only and atomic and writes its audit event in
the same transaction. An issued letter is never changed: a correction is a new version.

Issue and sign are one action of the signer (docs/letters.md): the drafter prepares the draft;
the signer confirms it, which numbers the letter, records the signature and stores the PDF and
its SHA-256 once. So there is never an issued-but-unsigned letter to print by mistake.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import access
from banding.appeals.errors import Conflict, Forbidden, Invalid, NotFound
from banding.appeals.models import Appeal, PanelRole
from banding.appeals.uploads import files_removed_on_error
from banding.audit.log import record
from banding.letters import numbering, render
from banding.letters.kinds import SPECS, KindSpec, spec
from banding.letters.models import Letter, LetterStatus
from banding.sop.definition import ACTOR_LABELS, Actor


def _spec(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise Invalid(f"Jenis surat tidak dikenal: {kind!r}.", fields={"kind": ["Tidak dikenal."]})
    return spec(kind)


def may_draft(user: User, appeal: Appeal, kind: KindSpec) -> bool:
    """The actor of the step that produces the letter, or PJTK staff (who prepare letters)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return has_role(user, Role.PJTK_STAFF) or access.plays(user, appeal, kind.step.actor)


def _drafters(kind: KindSpec) -> str:
    staff = ACTOR_LABELS[Actor.STF]
    actor = kind.step.actor_label
    return staff if actor == staff else f"{actor} atau {staff}"


def may_sign(user: User, appeal: Appeal, kind: KindSpec) -> bool:
    """The signer of the kind; for the panel's letters, its chair."""
    if kind.signer == Actor.TPB:
        return appeal.panel_seats.filter(user=user, role=PanelRole.CHAIR).exists()
    return access.plays(user, appeal, kind.signer)


def _reached(appeal: Appeal, kind: KindSpec) -> bool:
    """A letter is drafted once the appeal has reached the step that produces it."""
    return appeal.steps.filter(number=kind.step.number).exists()


def _clean_fields(kind: KindSpec, fields: dict | None) -> dict[str, str]:
    names = {p.name for p in kind.parts}
    unknown = sorted(set(fields or {}) - names)
    if unknown:
        raise Invalid(
            f"Bagian surat yang tidak dapat diisi: {', '.join(unknown)}.",
            fields={"fields": [f"Tidak dikenal: {', '.join(unknown)}."]},
        )
    return {k: str(v or "").strip() for k, v in (fields or {}).items()}


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("appeal").get(pk=letter.pk)


def _require_draft(letter: Letter) -> None:
    if not letter.is_draft:
        raise Conflict(
            f"Surat {letter.number} sudah terbit dan tidak dapat diubah; buat koreksi "
            "(versi baru) bila perlu.",
            code="letter_issued",
        )


def _require_open(appeal: Appeal) -> None:
    """A closed appeal's file is frozen (the archive): no letter is drafted, changed or issued
    any more. Letters that close a step are issued before that step is recorded."""
    if not appeal.is_open:
        raise Conflict(
            f"Banding {appeal.number} sudah {appeal.get_status_display().lower()}; berkasnya "
            "dibekukan sehingga surat tidak dapat dibuat, diubah atau diterbitkan lagi.",
            code="appeal_closed",
        )


def letter_draft(*, appeal: Appeal, user: User, kind: str, fields: dict | None = None) -> Letter:
    """A draft of `kind` for the appeal, pre-filled from the case; `fields` overrides parts."""
    k = _spec(kind)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not may_draft(user, appeal, k):
            raise Forbidden(
                f"{k.label} disiapkan oleh {_drafters(k)}; Anda tidak berperan itu.",
                code="not_your_role",
            )
        _require_open(appeal)
        if not _reached(appeal, k):
            raise Conflict(
                f"{k.label} dibuat pada langkah {k.step.number} ({k.step.title}); banding "
                f"{appeal.number} belum sampai ke langkah itu.",
                code="wrong_step",
            )
        values = {**render.defaults(appeal, kind), **_clean_fields(k, fields)}
        letter = Letter.objects.create(
            appeal=appeal, kind=kind, step=k.step.number, fields=values, created_by=user
        )
        record(
            action="letter.drafted",
            summary=f"Draf {k.label} dibuat",
            actor=user,
            appeal=appeal,
            step=k.step.number,
            data={"letter": str(letter.public_id), "kind": kind},
        )
    return letter


def letter_update(*, letter: Letter, user: User, fields: dict) -> Letter:
    """Edit the written parts of a draft."""
    k = _spec(letter.kind)
    with transaction.atomic():
        letter = _locked(letter)
        _require_draft(letter)
        if not (may_draft(user, letter.appeal, k) or may_sign(user, letter.appeal, k)):
            raise Forbidden(
                f"Draf {k.label} diubah oleh penyusun atau penanda tangannya.",
                code="not_your_role",
            )
        _require_open(letter.appeal)
        letter.fields = {**letter.fields, **_clean_fields(k, fields)}
        letter.updated_at = timezone.now()
        letter.save(update_fields=["fields", "updated_at"])
        record(
            action="letter.updated",
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
    _require_draft(letter)
    return render.render_pdf(letter)


def _missing(kind: KindSpec, fields: dict) -> list[str]:
    return [p.label for p in kind.parts if p.required and not str(fields.get(p.name, "")).strip()]


def letter_issue(*, letter: Letter, user: User) -> Letter:
    """The signer issues the draft: number, signature, PDF and SHA-256, stored once. A new
    version also marks the version it corrects as superseded."""
    k = _spec(letter.kind)
    with files_removed_on_error() as written, transaction.atomic():
        letter = _locked(letter)
        _require_draft(letter)
        appeal = letter.appeal
        if not may_sign(user, appeal, k):
            who = "Ketua " + ACTOR_LABELS[k.signer] if k.signer == Actor.TPB else None
            raise Forbidden(
                f"{k.label} ditandatangani oleh {who or ACTOR_LABELS[k.signer]}; "
                "Anda tidak berperan itu.",
                code="not_your_role",
            )
        _require_open(appeal)
        missing = _missing(k, {**render.defaults(appeal, letter.kind), **letter.fields})
        if missing:
            raise Invalid(
                "Lengkapi dahulu bagian surat: " + ", ".join(missing) + ".",
                code="letter_incomplete",
                fields={"fields": missing},
            )
        now = timezone.now()
        letter.fields = {**render.defaults(appeal, letter.kind), **letter.fields}
        letter.sequence, letter.number = numbering.take(letter.kind, timezone.localdate(now))
        letter.year = timezone.localdate(now).year
        letter.status = LetterStatus.ISSUED
        letter.verification_code = secrets.token_urlsafe(12)
        letter.issued_at = letter.signed_at = now
        letter.issued_by = letter.signer = user
        content = render.render_pdf(letter)
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
            action="letter.issued",
            summary=f"{k.label} {letter.number} terbit, ditandatangani secara elektronik oleh "
            f"{user.display_name}",
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
            },
            public=k.to_customer,
        )
    return letter


def letter_supersede(
    *, letter: Letter, user: User, reason: str, fields: dict | None = None
) -> Letter:
    """A correction of an issued letter: a new draft version with the reason. The old one stays
    valid until the new one is issued, then it is marked superseded; both are kept."""
    k = _spec(letter.kind)
    reason = (reason or "").strip()
    with transaction.atomic():
        old = _locked(letter)
        if old.status != LetterStatus.ISSUED:
            raise Conflict(
                "Hanya surat yang sudah terbit dan masih berlaku yang dapat dikoreksi.",
                code="letter_not_issued",
            )
        if not (may_draft(user, old.appeal, k) or may_sign(user, old.appeal, k)):
            raise Forbidden(
                f"Koreksi {k.label} disiapkan oleh {_drafters(k)}.",
                code="not_your_role",
            )
        _require_open(old.appeal)
        if not reason:
            raise Invalid("Alasan koreksi wajib diisi.", fields={"reason": ["Wajib diisi."]})
        if Letter.objects.filter(supersedes=old).exists():
            raise Conflict(
                f"Koreksi surat {old.number} sudah dibuat; lanjutkan draf koreksi itu.",
                code="correction_exists",
            )
        new = Letter.objects.create(
            appeal=old.appeal,
            kind=old.kind,
            step=old.step,
            fields={**old.fields, **_clean_fields(k, fields)},
            version=old.version + 1,
            supersedes=old,
            correction_reason=reason,
            created_by=user,
        )
        record(
            action="letter.correction_drafted",
            summary=f"Koreksi {k.label} {old.number} disiapkan: {reason}",
            actor=user,
            appeal=old.appeal,
            step=old.step,
            data={"letter": str(new.public_id), "supersedes": str(old.public_id), "reason": reason},
        )
    return new


def letter_discard(*, letter: Letter, user: User) -> None:
    """A draft that will not be issued is deleted; issued letters never are."""
    k = _spec(letter.kind)
    with transaction.atomic():
        letter = _locked(letter)
        _require_draft(letter)
        if not may_draft(user, letter.appeal, k):
            raise Forbidden(f"Draf {k.label} dihapus oleh penyusunnya.", code="not_your_role")
        record(
            action="letter.discarded",
            summary=f"Draf {k.label} dihapus",
            actor=user,
            appeal=letter.appeal,
            step=letter.step,
            data={"letter": str(letter.public_id)},
        )
        letter.delete()


def letter_by_code(code: str) -> Letter:
    letter = (
        Letter.objects.select_related("appeal")
        .filter(verification_code=code)
        .exclude(status=LetterStatus.DRAFT)
        .first()
    )
    if letter is None:
        raise NotFound("Kode verifikasi tidak dikenal.")
    return letter
