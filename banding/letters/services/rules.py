"""Who may draft and sign a letter of a kind, where (at which step occurrence) it may be drafted
and issued, and the checks the letter actions share (banding.letters.services)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import access
from banding.appeals.models import Appeal, PanelRole, Step
from banding.errors import Conflict, Invalid
from banding.letters.kinds import SPECS, KindSpec, spec
from banding.letters.models import Letter
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor


def known_spec(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise Invalid(
            _("Jenis surat tidak dikenal: %(kind)r.") % {"kind": kind},
            fields={"kind": [N_("Tidak dikenal.")]},
        )
    return spec(kind)


# --- who -----------------------------------------------------------------------------------


def may_draft(user: User, appeal: Appeal, kind: KindSpec) -> bool:
    """The actor of the step that produces the letter, or PJTK staff (who prepare letters)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return has_role(user, Role.PJTK_STAFF) or access.plays(user, appeal, kind.step.actor)


def drafters(kind: KindSpec) -> str:
    staff = ACTOR_LABELS[Actor.STF]
    actor = kind.step.actor_label
    return staff if actor == staff else f"{actor} atau {staff}"


def _plays(user: User, appeal: Appeal, actor: Actor) -> bool:
    if actor == Actor.TPB:
        # The panel's letters are signed by its chair (seats prefetched by the page: no query).
        return any(
            s.user_id == user.pk and s.role == PanelRole.CHAIR and s.vacated_at is None
            for s in appeal.panel_seats.all()
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


def open_step(appeal: Appeal) -> Step | None:
    return appeal.steps.filter(completed_at__isnull=True).first()


def require_at_step(appeal: Appeal, kind: KindSpec) -> Step:
    """The open occurrence at which `kind` may be drafted or issued now, or the refusal that
    says why not: a closed appeal, another step, a record that is not there or does not ask
    for this letter."""
    if not appeal.is_open:
        raise Conflict(
            _(
                "Banding %(number)s sudah %(status)s; berkasnya dibekukan sehingga surat tidak "
                "dapat dibuat, diubah atau diterbitkan lagi (koreksi hanya dengan izin Kepala "
                "Balai)."
            )
            % {"number": appeal.number, "status": appeal.get_status_display().lower()},
            code="appeal_closed",
        )
    if appeal.current_step not in kind.steps:
        at = " atau ".join(str(n) for n in kind.steps)
        current = sop.step(appeal.open_step_number)
        raise Conflict(
            _(
                "%(label)s dibuat pada langkah %(at)s (%(title)s); banding %(number)s sedang "
                "berada di langkah %(current_number)s (%(current_title)s)."
            )
            % {
                "label": kind.label,
                "at": at,
                "title": kind.step.title,
                "number": appeal.number,
                "current_number": current.number,
                "current_title": current.title,
            },
            code="wrong_step",
        )
    step = open_step(appeal)
    # An open appeal always has its open occurrence (the step it stands at).
    assert step is not None, f"{appeal.number}: open appeal without an open step"
    s = sop.step(step.number)
    if s.record_first and kind.step.number == s.number:
        if not step.recorded_outcome:
            raise Conflict(
                _(
                    "Catat dahulu hasil langkah %(number)s (%(title)s); %(label)s dibuat dari "
                    "catatan itu."
                )
                % {"number": s.number, "title": s.title, "label": kind.label},
                code="record_missing",
            )
        if kind.kind.value not in {o.key for o in s.required(step.recorded_outcome)}:
            label = s.outcome(step.recorded_outcome).label
            raise Conflict(
                _(
                    "Hasil langkah %(number)s yang dicatat (%(label)s) tidak memerlukan "
                    "%(kind_label)s."
                )
                % {"number": s.number, "label": label, "kind_label": kind.label},
                code="contradicts_record",
            )
    return step


def require_writable(letter: Letter, kind: KindSpec) -> None:
    """A draft may be changed or issued at its own step and occurrence; a correction of an
    issued letter whenever the appeal is open, or after closure with the head's leave."""
    appeal = letter.appeal
    if letter.supersedes_id:
        if not appeal.is_open and letter.amendment_authorised_by_id is None:
            raise Conflict(
                _("Banding %(number)s sudah ditutup; koreksi surat memerlukan izin Kepala Balai.")
                % {"number": appeal.number},
                code="appeal_closed",
            )
        return
    step = require_at_step(appeal, kind)
    if letter.occurrence_id != step.pk:
        raise Conflict(
            _(
                "Draf %(label)s ini dibuat untuk langkah %(step)s yang sudah selesai atau "
                "dikembalikan; hapus draf ini dan buat draf baru dari catatan sekarang."
            )
            % {"label": kind.label, "step": letter.step},
            code="stale_draft",
        )


def clean_fields(kind: KindSpec, fields: dict | None) -> dict[str, str]:
    names = {p.name for p in kind.parts}
    unknown = sorted(set(fields or {}) - names)
    if unknown:
        raise Invalid(
            _(
                "Bagian surat yang tidak dapat diisi: %(names)s. Fakta surat (keputusan, "
                "alasan, susunan panel, daftar hadir) diambil dari catatan langkahnya."
            )
            % {"names": ", ".join(unknown)},
            fields={"fields": [_("Tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}]},
        )
    return {k: str(v or "").strip() for k, v in (fields or {}).items()}


def locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("appeal").get(pk=letter.pk)


def require_draft(letter: Letter) -> None:
    if not letter.is_draft:
        raise Conflict(
            _(
                "Surat %(number)s sudah %(status)s dan tidak dapat diubah; buat koreksi (versi "
                "baru) bila perlu."
            )
            % {"number": letter.number, "status": letter.get_status_display().lower()},
            code="letter_issued",
        )
