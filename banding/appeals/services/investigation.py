"""Step 7: the investigation, its notes, and the report that completes it."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals import access
from banding.appeals.models import (
    Appeal,
    DocumentKind,
    Note,
    NoteKind,
)
from banding.appeals.services.shared import (
    clean,
    complete,
    fresh,
    locked,
    not_in_future,
    require,
    require_declared,
    required,
    store_document,
    write_file,
)
from banding.appeals.uploads import check_upload, files_removed_on_error
from banding.audit.actions import Action
from banding.audit.log import record
from banding.sop.definition import Result


def investigation_note(
    *, appeal: Appeal, user: User, kind: str, text: str, occurred_at: datetime | None = None
) -> Note:
    """Step 7: a note of the investigation or of a contact with the customer."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 7)
        require_declared(appeal, user)
        require(kind in NoteKind.values, N_("Jenis catatan tidak dikenal."), field="kind")
        text = clean(text)
        require(bool(text), N_("Isi catatan wajib diisi."), field="text")
        occurred_at = occurred_at or timezone.now()
        not_in_future(occurred_at, "occurred_at", _("Waktu kejadian"))
        note = Note.objects.create(
            appeal=appeal, step=7, kind=kind, text=text, occurred_at=occurred_at, author=user
        )
        record(
            action=Action.investigation(kind),
            actor=user,
            appeal=appeal,
            step=7,
            summary=f"{NoteKind(kind).label} dicatat",
            data={"note": note.pk},
        )
    return note


def investigation_report(
    *, appeal: Appeal, user: User, report: UploadedFile | None, summary: str = ""
) -> Appeal:
    """Step 7 completes when the investigation report is uploaded."""
    _may_report(user, fresh(appeal))
    checked = check_upload(
        required(report, N_("Laporan hasil investigasi wajib diunggah."), field="report")
    )
    with files_removed_on_error() as written:
        file = write_file(appeal.public_id, checked, written)
        with transaction.atomic():
            appeal = locked(appeal)
            _may_report(user, appeal)
            doc = store_document(
                appeal, file, kind=DocumentKind.INVESTIGATION_REPORT, step=7, user=user
            )
            complete(
                appeal,
                user=user,
                number=7,
                outcome=Result.INVESTIGATED,
                data={"report": str(doc.public_id), "summary": clean(summary)},
                summary="Laporan hasil investigasi diunggah",
            )
    return appeal


def _may_report(user: User, appeal: Appeal) -> None:
    access.require_turn(user, appeal, 7)
    require_declared(appeal, user)
