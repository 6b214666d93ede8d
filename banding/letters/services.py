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

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from banding.accounts import throttle
from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import access
from banding.appeals.models import Appeal, PanelRole, Step
from banding.appeals.uploads import files_removed_on_error
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.letters import numbering, render
from banding.letters.kinds import SPECS, KindSpec, spec
from banding.letters.models import Letter, LetterStatus
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor

SIGNING = "signing"  # the throttle's scope of wrong passwords given to sign


def _spec(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise Invalid(f"Jenis surat tidak dikenal: {kind!r}.", fields={"kind": ["Tidak dikenal."]})
    return spec(kind)


# --- who -----------------------------------------------------------------------------------


def may_draft(user: User, appeal: Appeal, kind: KindSpec) -> bool:
    """The actor of the step that produces the letter, or PJTK staff (who prepare letters)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return has_role(user, Role.PJTK_STAFF) or access.plays(user, appeal, kind.step.actor)


def _drafters(kind: KindSpec) -> str:
    staff = ACTOR_LABELS[Actor.STF]
    actor = kind.step.actor_label
    return staff if actor == staff else f"{actor} atau {staff}"


def _plays(user: User, appeal: Appeal, actor: Actor) -> bool:
    if actor == Actor.TPB:
        # The panel's letters are signed by its chair (seats prefetched by the page: no query).
        return any(
            s.user_id == user.pk and s.role == PanelRole.CHAIR for s in appeal.panel_seats.all()
        )
    return access.plays(user, appeal, actor)


def capacity(user: User, appeal: Appeal, kind: KindSpec) -> bool | None:
    """How `user` may sign `kind`: False as the official whose letter it is, True on their
    behalf (a.n.), None not at all."""
    signer = kind.signer
    if _plays(user, appeal, signer.actor):
        return False
    if signer.on_behalf is not None and _plays(user, appeal, signer.on_behalf):
        return True
    return None


def may_sign(user: User, appeal: Appeal, kind: KindSpec) -> bool:
    return capacity(user, appeal, kind) is not None


def signed_as(kind: KindSpec, on_behalf: bool) -> str:
    """The capacity line of the signature block."""
    signer = kind.signer
    if on_behalf and signer.on_behalf is not None:
        return f"a.n. {signer.label}\n{ACTOR_LABELS[signer.on_behalf]}"
    return signer.label


# --- where ---------------------------------------------------------------------------------


def _open_step(appeal: Appeal) -> Step | None:
    return appeal.steps.filter(completed_at__isnull=True).first()


def _require_at_step(appeal: Appeal, kind: KindSpec) -> Step:
    """The open occurrence at which `kind` may be drafted or issued now, or the refusal that
    says why not: a closed appeal, another step, a record that is not there or does not ask
    for this letter."""
    if not appeal.is_open:
        raise Conflict(
            f"Banding {appeal.number} sudah {appeal.get_status_display().lower()}; berkasnya "
            "dibekukan sehingga surat tidak dapat dibuat, diubah atau diterbitkan lagi "
            "(koreksi hanya dengan izin Kepala Balai).",
            code="appeal_closed",
        )
    if appeal.current_step not in kind.steps:
        at = " atau ".join(str(n) for n in kind.steps)
        current = sop.step(appeal.current_step)
        raise Conflict(
            f"{kind.label} dibuat pada langkah {at} ({kind.step.title}); banding "
            f"{appeal.number} sedang berada di langkah {current.number} ({current.title}).",
            code="wrong_step",
        )
    step = _open_step(appeal)
    s = sop.step(step.number)
    if s.record_first and kind.step.number == s.number:
        if not step.recorded_outcome:
            raise Conflict(
                f"Catat dahulu hasil langkah {s.number} ({s.title}); {kind.label} dibuat dari "
                "catatan itu.",
                code="record_missing",
            )
        if kind.kind.value not in {o.key for o in s.required(step.recorded_outcome)}:
            label = s.outcome(step.recorded_outcome).label
            raise Conflict(
                f"Hasil langkah {s.number} yang dicatat ({label}) tidak memerlukan {kind.label}.",
                code="contradicts_record",
            )
    return step


def _require_writable(letter: Letter, kind: KindSpec) -> None:
    """A draft may be changed or issued at its own step and occurrence; a correction of an
    issued letter whenever the appeal is open, or after closure with the head's leave."""
    appeal = letter.appeal
    if letter.supersedes_id:
        if not appeal.is_open and letter.amendment_authorised_by_id is None:
            raise Conflict(
                f"Banding {appeal.number} sudah ditutup; koreksi surat memerlukan izin Kepala "
                "Balai.",
                code="appeal_closed",
            )
        return
    step = _require_at_step(appeal, kind)
    if letter.occurrence_id != step.pk:
        raise Conflict(
            f"Draf {kind.label} ini dibuat untuk langkah {letter.step} yang sudah selesai atau "
            "dikembalikan; hapus draf ini dan buat draf baru dari catatan sekarang.",
            code="stale_draft",
        )


def _clean_fields(kind: KindSpec, fields: dict | None) -> dict[str, str]:
    names = {p.name for p in kind.parts}
    unknown = sorted(set(fields or {}) - names)
    if unknown:
        raise Invalid(
            f"Bagian surat yang tidak dapat diisi: {', '.join(unknown)}. Fakta surat (keputusan, "
            "alasan, susunan panel, daftar hadir) diambil dari catatan langkahnya.",
            fields={"fields": [f"Tidak dikenal: {', '.join(unknown)}."]},
        )
    return {k: str(v or "").strip() for k, v in (fields or {}).items()}


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("appeal").get(pk=letter.pk)


def _require_draft(letter: Letter) -> None:
    if not letter.is_draft:
        raise Conflict(
            f"Surat {letter.number} sudah {letter.get_status_display().lower()} dan tidak dapat "
            "diubah; buat koreksi (versi baru) bila perlu.",
            code="letter_issued",
        )


# --- actions -------------------------------------------------------------------------------


def letter_draft(*, appeal: Appeal, user: User, kind: str, fields: dict | None = None) -> Letter:
    """A draft of `kind` for the step the appeal stands at, its written parts pre-filled;
    `fields` overrides them."""
    k = _spec(kind)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not may_draft(user, appeal, k):
            raise Forbidden(
                f"{k.label} disiapkan oleh {_drafters(k)}; Anda tidak berperan itu.",
                code="not_your_role",
            )
        step = _require_at_step(appeal, k)
        if k.single:
            existing = step.letters.filter(kind=kind).exclude(status=LetterStatus.WITHDRAWN)
            existing = existing.order_by("-pk").first()
            if existing is not None:
                what = "drafnya" if existing.is_draft else f"surat {existing.number}"
                raise Conflict(
                    f"{k.label} untuk langkah ini sudah ada ({what}); lanjutkan yang itu.",
                    code="letter_exists",
                )
        values = {**render.defaults(appeal, kind), **_clean_fields(k, fields)}
        letter = Letter.objects.create(
            appeal=appeal,
            kind=kind,
            step=k.step.number,
            occurrence=step,
            fields=values,
            created_by=user,
        )
        record(
            action="letter.drafted",
            summary=f"Draf {k.label} dibuat",
            actor=user,
            appeal=appeal,
            step=step.number,
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
        _require_writable(letter, k)
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


def _require_password(user: User, password: str | None) -> None:
    """The signer confirms with their own password. As many wrong ones in a row as the login
    allows (AXES_FAILURE_LIMIT) lock signing for the login's cool-off time, so a session or an
    API token in other hands cannot try passwords here."""
    limit, cooloff = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    if throttle.failures(SIGNING, user.pk) >= limit:
        minutes = int(cooloff.total_seconds() // 60)
        raise Forbidden(
            f"Terlalu banyak kata sandi yang salah; penandatanganan Anda dikunci {minutes} "
            "menit. Surat tidak diterbitkan.",
            code="reauthentication_locked",
        )
    if not password or not user.check_password(password):
        throttle.failed(SIGNING, user.pk, window=cooloff)
        raise Invalid(
            "Kata sandi tidak cocok; surat tidak diterbitkan. Masukkan kata sandi Anda untuk "
            "menandatangani.",
            code="reauthentication_failed",
            fields={"password": ["Kata sandi tidak cocok."]},
        )
    throttle.forgive(SIGNING, user.pk)


def _require_not_involved(appeal: Appeal, user: User, kind: KindSpec) -> None:
    """The letters that propose, appoint or decide are not signed by a person involved in
    the original activity (ISO/IEC 17025 7.9.6)."""
    if kind.impartial and appeal.involved_persons.filter(pk=user.pk).exists():
        raise Forbidden(
            f"Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat "
            f"menandatangani {kind.label} banding ini (ISO/IEC 17025 7.9.6).",
            code="involved_person",
        )


def letter_issue(*, letter: Letter, user: User, password: str | None) -> Letter:
    """The signer issues the draft, confirming with their password: number, signature, PDF
    and SHA-256, stored once. A new version also marks the version it corrects superseded."""
    k = _spec(letter.kind)
    with files_removed_on_error() as written, transaction.atomic():
        letter = _locked(letter)
        _require_draft(letter)
        appeal = letter.appeal
        on_behalf = capacity(user, appeal, k)
        if on_behalf is None:
            raise Forbidden(
                f"{k.label} ditandatangani oleh {k.signer.describe()}; Anda tidak berperan itu.",
                code="not_your_role",
            )
        _require_not_involved(appeal, user, k)
        _require_writable(letter, k)
        merged = {**render.defaults(appeal, letter.kind), **letter.fields}
        missing = _missing(k, merged)
        if missing:
            raise Invalid(
                "Lengkapi dahulu bagian surat: " + ", ".join(missing) + ".",
                code="letter_incomplete",
                fields={"fields": missing},
            )
        _require_password(user, password)
        now = timezone.now()
        letter.fields = merged
        letter.sequence, letter.number = numbering.take(letter.kind, timezone.localdate(now))
        letter.year = timezone.localdate(now).year
        letter.status = LetterStatus.ISSUED
        letter.verification_code = secrets.token_urlsafe(12)
        letter.issued_at = letter.signed_at = now
        letter.issued_by = letter.signer = user
        letter.on_behalf = on_behalf
        letter.signed_as = signed_as(k, on_behalf)
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
        capacity_line = letter.signed_as.replace("\n", ", ")
        record(
            action="letter.issued",
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


def letter_supersede(
    *, letter: Letter, user: User, reason: str, fields: dict | None = None
) -> Letter:
    """A correction of an issued letter: a new draft version with the reason. The old one stays
    valid until the new one is issued, then it is marked superseded; both are kept. After the
    appeal is closed only the Kepala Balai authorises a correction (the file is frozen)."""
    k = _spec(letter.kind)
    reason = (reason or "").strip()
    with transaction.atomic():
        old = _locked(letter)
        if old.status != LetterStatus.ISSUED:
            raise Conflict(
                "Hanya surat yang sudah terbit dan masih berlaku yang dapat dikoreksi.",
                code="letter_not_issued",
            )
        closed = not old.appeal.is_open
        if closed:
            if not (user.is_active and has_role(user, Role.HEAD)):
                raise Forbidden(
                    f"Banding {old.appeal.number} sudah ditutup; koreksi suratnya hanya dapat "
                    "diizinkan oleh Kepala Balai.",
                    code="not_your_role",
                )
        elif not (may_draft(user, old.appeal, k) or may_sign(user, old.appeal, k)):
            raise Forbidden(
                f"Koreksi {k.label} disiapkan oleh {_drafters(k)}.",
                code="not_your_role",
            )
        if not reason:
            raise Invalid("Alasan koreksi wajib diisi.", fields={"reason": ["Wajib diisi."]})
        if Letter.objects.filter(supersedes=old).exists():
            raise Conflict(
                f"Koreksi surat {old.number} sudah dibuat; lanjutkan draf koreksi itu.",
                code="correction_exists",
            )
        now = timezone.now()
        new = Letter.objects.create(
            appeal=old.appeal,
            kind=old.kind,
            step=old.step,
            occurrence_id=old.occurrence_id,
            fields={**old.fields, **_clean_fields(k, fields)},
            version=old.version + 1,
            supersedes=old,
            correction_reason=reason,
            created_by=user,
            amendment_authorised_by=user if closed else None,
            amendment_authorised_at=now if closed else None,
        )
        record(
            action="letter.amendment_authorised" if closed else "letter.correction_drafted",
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


def _withdraw(letter: Letter, user: User, reason: str, now) -> None:
    letter.status = LetterStatus.WITHDRAWN
    letter.withdrawn_at = now
    letter.withdrawn_by = user
    letter.withdrawal_reason = reason
    letter.updated_at = now
    letter.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    record(
        action="letter.withdrawn",
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
            _discard(letter, user, reason)
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
            f"{names} sudah terbit dari hasil langkah {step.number} yang dicatat; cabut dahulu "
            "surat itu untuk mengubah hasilnya.",
            code="output_issued",
        )
    kept = {o.key for o in s.required(outcome)}
    for letter in letters:
        if letter.status == LetterStatus.DRAFT and letter.kind not in kept:
            letter.appeal = appeal
            _discard(letter, user, f"hasil langkah {step.number} berubah")


def letter_withdraw(*, letter: Letter, user: User, reason: str) -> Letter:
    """An issued letter of the step the appeal stands at, withdrawn (dicabut) by whoever may
    sign it or the Kepala Balai, with the reason: so that the record it was made from can be
    corrected. Letters of steps already completed are corrected, not withdrawn."""
    k = _spec(letter.kind)
    reason = (reason or "").strip()
    with transaction.atomic():
        letter = _locked(letter)
        appeal = letter.appeal
        if not (may_sign(user, appeal, k) or (user.is_active and has_role(user, Role.HEAD))):
            raise Forbidden(
                f"{k.label} dicabut oleh penanda tangannya atau Kepala Balai.",
                code="not_your_role",
            )
        if letter.status != LetterStatus.ISSUED:
            raise Conflict(
                "Hanya surat yang sudah terbit dan masih berlaku yang dapat dicabut.",
                code="letter_not_issued",
            )
        step = _open_step(appeal) if appeal.is_open else None
        if step is None or letter.occurrence_id != step.pk:
            raise Conflict(
                f"Surat {letter.number} adalah output langkah yang sudah selesai; surat itu "
                "dikoreksi dengan versi baru, tidak dicabut.",
                code="wrong_step",
            )
        if not reason:
            raise Invalid("Alasan pencabutan wajib diisi.", fields={"reason": ["Wajib diisi."]})
        _withdraw(letter, user, reason, timezone.now())
    return letter


def _discard(letter: Letter, user: User, why: str = "") -> None:
    record(
        action="letter.discarded",
        summary=f"Draf {letter.get_kind_display()} dihapus" + (f": {why}" if why else ""),
        actor=user,
        appeal=letter.appeal,
        step=letter.step,
        data={"letter": str(letter.public_id), "kind": letter.kind},
    )
    letter.delete()


def letter_discard(*, letter: Letter, user: User) -> None:
    """A draft that will not be issued is deleted; issued letters never are."""
    k = _spec(letter.kind)
    with transaction.atomic():
        letter = _locked(letter)
        _require_draft(letter)
        if not may_draft(user, letter.appeal, k):
            raise Forbidden(f"Draf {k.label} dihapus oleh penyusunnya.", code="not_your_role")
        _discard(letter, user)


def letter_by_code(code: str) -> Letter:
    letter = (
        Letter.objects.select_related("appeal", "signer", "superseded_by")
        .filter(verification_code=code)
        .exclude(status=LetterStatus.DRAFT)
        .first()
    )
    if letter is None:
        raise NotFound("Kode verifikasi tidak dikenal.")
    return letter
