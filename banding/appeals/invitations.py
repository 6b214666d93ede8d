"""The panel's invitation to the customer (the note on SOP step 7): "Tim Panel Banding dapat
berkoordinasi dan/atau mengundang Pelanggan untuk menjelaskan permasalahan".

Two services, each atomic with its audit event and its notices, like every SOP action:
`invitation_send` by a declared member of the appeal's panel while the appeal stands at step
7 or 9, and `invitation_answer` by the customer, once. Both are public events: the customer
sees them on its timeline. Reads for the pages and the API are at the bottom.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import is_customer
from banding.appeals import access
from banding.appeals.models import (
    Appeal,
    Document,
    DocumentKind,
    InvitationMode,
    InvitationResponse,
    PanelInvitation,
    Status,
    Step,
)
from banding.appeals.notices import Kind, mail_contact, notify
from banding.appeals.services.shared import (
    WrittenFile,
    fresh,
    locked,
    require_declared,
    store_document,
    write_file,
)
from banding.appeals.uploads import check_upload, files_removed_on_error
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.formats import format_instant
from banding.sop import definition as sop
from banding.sop.definition import Actor

# The note is on step 7; the panel may still need the customer at its meeting (step 9).
INVITING_STEPS = (7, 9)
MEETING_ANSWERS = (InvitationResponse.ATTEND, InvitationResponse.DECLINE)

NOT_PANEL = N_(
    "Pelanggan diundang oleh anggota Tim Panel Banding yang ditunjuk untuk banding ini; "
    "Anda tidak berperan itu."
)
NOT_CUSTOMER = N_("Undangan Tim Panel Banding dijawab oleh pelanggan yang mengajukan banding ini.")
NOT_FOUND = N_("Undangan tidak ditemukan.")


def _text(value: str | None) -> str:
    return (value or "").strip()


def _invalid(message: str, field_name: str, code: str = "invalid") -> Invalid:
    return Invalid(message, code=code, fields={field_name: [message]})


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _open_step(appeal: Appeal) -> Step | None:
    return appeal.steps.filter(completed_at__isnull=True).first()


def _customer_accounts(appeal: Appeal) -> list[tuple[int, str]]:
    # The same people as the milestone notices: active accounts of the organisation that
    # hold no institute role.
    return list(
        User.objects.filter(
            organization_id=appeal.organization_id, is_active=True, groups__isnull=True
        ).values_list("pk", "email")
    )


# --- sending -------------------------------------------------------------------------------


def require_may_invite(user: User, appeal: Appeal) -> None:
    if not access.plays(user, appeal, Actor.TPB):
        raise Forbidden(NOT_PANEL, code="not_your_role")
    if appeal.status != Status.OPEN:
        raise Conflict(
            _("Banding %(number)s sudah %(status)s; pelanggan tidak dapat diundang lagi.")
            % {"number": appeal.number, "status": appeal.get_status_display().lower()},
            code="appeal_closed",
        )
    if appeal.current_step not in INVITING_STEPS:
        current = sop.step(appeal.open_step_number)  # open: checked above
        raise Conflict(
            _(
                "Pelanggan diundang selama investigasi (langkah 7) atau rapat panel "
                "(langkah 9); banding %(number)s sedang berada di langkah %(step)s "
                "(%(title)s)."
            )
            % {"number": appeal.number, "step": current.number, "title": current.title},
            code="wrong_step",
        )
    require_declared(appeal, user)


def _check_terms(
    mode: str, meeting_at: datetime | None, place: str, respond_by: datetime | None
) -> None:
    if mode not in InvitationMode.values:
        raise _invalid(
            N_("Pilih bentuk undangan: hadir dalam pertemuan atau penjelasan tertulis."), "mode"
        )
    now = timezone.now()
    if mode == InvitationMode.MEETING:
        if meeting_at is None:
            raise _invalid(N_("Waktu pertemuan wajib diisi."), "meeting_at")
        if meeting_at <= now:
            raise _invalid(N_("Waktu pertemuan harus di masa depan."), "meeting_at")
        if not place:
            raise _invalid(N_("Tempat pertemuan wajib diisi."), "place")
        if respond_by is not None and not now < respond_by <= meeting_at:
            raise _invalid(
                N_("Batas konfirmasi kehadiran harus di masa depan dan tidak setelah pertemuan."),
                "respond_by",
            )
    else:
        if respond_by is None:
            raise _invalid(N_("Batas waktu penjelasan tertulis wajib diisi."), "respond_by")
        if respond_by <= now:
            raise _invalid(N_("Batas waktu penjelasan tertulis harus di masa depan."), "respond_by")


def invitation_send(
    *,
    appeal: Appeal,
    user: User,
    mode: str,
    meeting_at: datetime | None = None,
    place: str = "",
    respond_by: datetime | None = None,
    message: str = "",
) -> PanelInvitation:
    """A declared panel member invites the customer to explain its appeal, in a meeting
    (time and place) or in writing (by a date). The customer's accounts and the appeal's
    contact e-mail are told."""
    place, message = _text(place), _text(message)
    meeting_at, respond_by = _aware(meeting_at), _aware(respond_by)
    with transaction.atomic():
        appeal = locked(appeal)
        require_may_invite(user, appeal)
        _check_terms(mode, meeting_at, place, respond_by)
        meeting = mode == InvitationMode.MEETING
        invitation = PanelInvitation.objects.create(
            appeal=appeal,
            mode=mode,
            meeting_at=meeting_at if meeting else None,
            place=place if meeting else "",
            respond_by=respond_by,
            message=message,
            invited_by=user,
        )
        terms = describe(invitation)
        record(
            action=Action.INVITATION_SENT,
            summary=f"Tim Panel Banding mengundang pelanggan: {terms}",
            actor=user,
            appeal=appeal,
            step=appeal.current_step,
            data={
                "invitation": str(invitation.public_id),
                "mode": mode,
                "meeting_at": invitation.meeting_at,
                "place": invitation.place,
                "respond_by": invitation.respond_by,
            },
            public=True,
        )
        _tell_customer(appeal, invitation, terms)
    return invitation


def _required(instant: datetime | None) -> datetime:
    """An instant the invitation's mode has: the meeting's, or a written explanation's
    deadline (_check_terms refused to send an invitation without it)."""
    assert instant is not None, "required by the invitation's mode"
    return instant


def describe(invitation: PanelInvitation) -> str:
    """The invitation's terms in one sentence (timeline, notices)."""
    if invitation.mode == InvitationMode.MEETING:
        # Kept as written (Indonesian): the terms go into stored notices and mail contexts.
        text = N_("hadir dalam pertemuan %(when)s di %(place)s") % {
            "when": format_instant(_required(invitation.meeting_at), pukul=True),
            "place": invitation.place,
        }
        if invitation.respond_by:
            text += N_("; konfirmasi sebelum %(when)s") % {
                "when": format_instant(invitation.respond_by, pukul=True)
            }
        return text
    return N_("menyampaikan penjelasan tertulis paling lambat %(when)s") % {
        "when": format_instant(_required(invitation.respond_by), pukul=True)
    }


def _mail_context(invitation: PanelInvitation, terms: str) -> dict:
    return {
        "invitation": str(invitation.public_id),
        "mode": invitation.mode,
        "mode_label": invitation.get_mode_display(),
        "terms": terms,
        "meeting_at": (
            format_instant(invitation.meeting_at, pukul=True) if invitation.meeting_at else ""
        ),
        "place": invitation.place,
        "respond_by": (
            format_instant(invitation.respond_by, pukul=True) if invitation.respond_by else ""
        ),
        "invitation_message": invitation.message,
        "invited_by": invitation.invited_by.display_name,
    }


def _tell_customer(appeal: Appeal, invitation: PanelInvitation, terms: str) -> None:
    accounts = _customer_accounts(appeal)
    message = N_("Banding %(number)s: Tim Panel Banding mengundang Anda untuk %(terms)s.") % {
        "number": appeal.number,
        "terms": terms,
    }
    context = _mail_context(invitation, terms)
    notify(
        recipients=[pk for pk, _ in accounts],
        kind=Kind.PANEL_INVITATION,
        appeal=appeal,
        step=_open_step(appeal),
        message=message,
        mail_context=context,
    )
    contact = appeal.contact_email.strip()
    if contact and contact.lower() not in {(email or "").strip().lower() for _, email in accounts}:
        mail_contact(
            kind=Kind.PANEL_INVITATION,
            address=contact,
            appeal=appeal,
            message=message,
            context=context,
        )


# --- answering -----------------------------------------------------------------------------


def _may_answer(user: User, invitation: PanelInvitation, appeal: Appeal) -> None:
    if not access.plays(user, appeal, Actor.PEL):
        if is_customer(user):  # another organisation's: it does not exist for them
            raise NotFound(NOT_FOUND)
        raise Forbidden(NOT_CUSTOMER, code="not_your_role")
    if appeal.status != Status.OPEN:
        raise Conflict(
            _("Banding %(number)s sudah %(status)s; undangan tidak dapat dijawab lagi.")
            % {"number": appeal.number, "status": appeal.get_status_display().lower()},
            code="appeal_closed",
        )
    if invitation.responded_at is not None:
        raise Conflict(
            _("Undangan ini sudah dijawab pada %(when)s; jawaban tidak dapat diubah.")
            % {"when": format_instant(invitation.responded_at, pukul=True)},
            code="already_answered",
        )
    now = timezone.now()
    if invitation.mode == InvitationMode.MEETING and _required(invitation.meeting_at) <= now:
        raise Conflict(
            N_("Waktu pertemuan sudah lewat; undangan tidak dapat dijawab lagi."), code="expired"
        )
    if invitation.mode == InvitationMode.WRITTEN and _required(invitation.respond_by) <= now:
        deadline = format_instant(_required(invitation.respond_by), pukul=True)
        raise Conflict(
            _(
                "Batas waktu penjelasan tertulis (%(deadline)s) sudah lewat; hubungi "
                "Tim Panel Banding bila Anda masih ingin menjelaskan."
            )
            % {"deadline": deadline},
            code="expired",
        )


def _check_answer(
    invitation: PanelInvitation, response: str, note: str, files: Sequence[UploadedFile]
) -> None:
    if invitation.mode == InvitationMode.MEETING:
        if response not in MEETING_ANSWERS:
            raise _invalid(
                N_("Pilih jawaban undangan pertemuan: akan hadir atau tidak dapat hadir."),
                "response",
            )
        if files:
            raise _invalid(
                N_(
                    "Berkas dilampirkan hanya pada penjelasan tertulis; undangan ini untuk hadir "
                    "dalam pertemuan."
                ),
                "files",
            )
        return
    if response != InvitationResponse.WRITTEN:
        raise _invalid(N_("Undangan ini meminta penjelasan tertulis."), "response")
    if not note:
        raise _invalid(N_("Penjelasan tertulis wajib diisi."), "note")


def invitation_answer(
    *,
    invitation: PanelInvitation,
    user: User,
    response: str,
    note: str = "",
    files: Sequence[UploadedFile] = (),
) -> PanelInvitation:
    """The customer answers an invitation once: attendance confirmed or declined (meeting),
    or a written explanation with optional files (Documents of kind customer_explanation,
    stamped with the answer's instant). The panel members are told."""
    note = _text(note)
    files = [f for f in files if f]
    # Refuse early, before reading any upload; the locked re-check is the one that counts.
    _may_answer(user, invitation, fresh(invitation.appeal))
    _check_answer(invitation, response, note, files)
    checked = [check_upload(f) for f in files]
    appeal = invitation.appeal
    with files_removed_on_error() as written:
        stored = [write_file(appeal.public_id, c, written) for c in checked]
        with transaction.atomic():
            appeal = locked(appeal)
            invitation = PanelInvitation.objects.select_for_update().get(pk=invitation.pk)
            _may_answer(user, invitation, appeal)
            return _answer(invitation, appeal, user, response, note, stored)


def _answer(
    invitation: PanelInvitation,
    appeal: Appeal,
    user: User,
    response: str,
    note: str,
    stored: Sequence[WrittenFile],
) -> PanelInvitation:
    now = timezone.now()
    invitation.response = response
    invitation.response_note = note
    invitation.responded_by = user
    invitation.responded_at = now
    invitation.save(update_fields=["response", "response_note", "responded_by", "responded_at"])
    documents = [_explanation(appeal, file, user, now) for file in stored]
    label = InvitationResponse(response).label
    files_text = f" dengan {len(documents)} berkas" if documents else ""
    record(
        action=Action.INVITATION_ANSWERED,
        summary=f"Pelanggan menjawab undangan Tim Panel Banding: {label}{files_text}",
        actor=user,
        appeal=appeal,
        step=appeal.current_step,
        data={
            "invitation": str(invitation.public_id),
            "response": response,
            "documents": [str(d.public_id) for d in documents],
        },
        public=True,
    )
    panel = list(appeal.panel_seats.seated().values_list("user_id", flat=True))
    notify(
        recipients=panel,
        kind=Kind.INVITATION_ANSWERED,
        appeal=appeal,
        step=_open_step(appeal),
        message=N_("Banding %(number)s: pelanggan menjawab undangan Tim Panel — %(label)s.")
        % {"number": appeal.number, "label": label},
        mail_context={
            "response": response,
            "response_label": label,
            "response_note": note,
            "files": [d.original_name for d in documents],
            "terms": describe(invitation),
        },
    )
    return invitation


def _explanation(appeal: Appeal, file: WrittenFile, user: User, at: datetime) -> Document:
    # Stamped with the answer's instant: how the pages tell which files belong to which answer.
    return store_document(
        appeal,
        file,
        kind=DocumentKind.CUSTOMER_EXPLANATION,
        step=appeal.open_step_number,  # an answer is refused on a closed appeal
        user=user,
        uploaded_at=at,
    )


# --- reading -------------------------------------------------------------------------------


@dataclass
class Shown:
    """One invitation with the explanation files of its answer."""

    invitation: PanelInvitation
    files: list[Document] = field(default_factory=list)

    @property
    def open(self) -> bool:
        inv = self.invitation
        if inv.responded_at is not None or inv.appeal.status != Status.OPEN:
            return False
        limit = inv.meeting_at if inv.mode == InvitationMode.MEETING else inv.respond_by
        return limit is not None and limit > timezone.now()


def invitations_of(
    appeal: Appeal,
    documents: Sequence[Document] | None = None,
    *,
    reached: Collection[int] | None = None,
) -> list[Shown]:
    """The appeal's invitations, newest first, each with its answer's files: two queries
    however many there are (one when the caller passes the appeal's `documents`, all of them,
    already loaded; none when the step numbers `reached` show the appeal never stood where
    the panel invites, INVITING_STEPS)."""
    if reached is not None and not set(reached) & set(INVITING_STEPS):
        return []
    invitations = list(
        appeal.invitations.select_related("invited_by", "responded_by").order_by(
            "-invited_at", "-id"
        )
    )
    if not invitations:
        return []
    by_instant: dict[datetime, list[Document]] = defaultdict(list)
    if any(i.response == InvitationResponse.WRITTEN for i in invitations):
        candidates: Iterable[Document] = (
            documents
            if documents is not None
            else appeal.documents.filter(kind=DocumentKind.CUSTOMER_EXPLANATION).order_by(
                "uploaded_at", "id"
            )
        )
        for doc in candidates:
            if doc.kind == DocumentKind.CUSTOMER_EXPLANATION:
                by_instant[doc.uploaded_at].append(doc)
    shown = []
    for inv in invitations:
        inv.appeal = appeal  # already in hand: no query per row
        shown.append(Shown(inv, by_instant.get(inv.responded_at, []) if inv.responded_at else []))
    return shown


def invitation_for(appeal: Appeal, public_id: UUID | str) -> PanelInvitation:
    """One invitation of an appeal the caller may already see; 404 otherwise."""
    try:
        invitation = appeal.invitations.filter(public_id=public_id).first()
    except (ValidationError, ValueError, TypeError):
        invitation = None
    if invitation is None:
        raise NotFound(NOT_FOUND)
    invitation.appeal = appeal
    return invitation
