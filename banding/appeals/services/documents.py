"""Documents added to an open appeal outside the steps that require them."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals import access
from banding.appeals.models import (
    Appeal,
    Document,
    DocumentKind,
    Status,
)
from banding.appeals.services.shared import (
    fresh,
    locked,
    require,
    require_declared,
    store_document,
    write_file,
)
from banding.appeals.uploads import check_upload, files_removed_on_error
from banding.errors import Conflict, Forbidden
from banding.sop import definition as sop


def document_add(*, appeal: Appeal, user: User, upload: UploadedFile, kind: str) -> Document:
    """An extra document on an open appeal, by PJTK staff or whoever acts on its step now."""
    _may_add_document(user, fresh(appeal))
    require(
        kind in DocumentKind.values and kind != DocumentKind.INVESTIGATION_REPORT,
        N_("Jenis dokumen tidak dikenal."),
        field="kind",
    )
    checked = check_upload(upload)
    with files_removed_on_error() as written:
        file = write_file(appeal.public_id, checked, written)
        with transaction.atomic():
            appeal = locked(appeal)
            _may_add_document(user, appeal)
            return store_document(appeal, file, kind=kind, step=appeal.open_step_number, user=user)


def _may_add_document(user: User, appeal: Appeal) -> None:
    if appeal.status != Status.OPEN:
        raise Conflict(
            _("Banding %(number)s sudah ditutup; berkasnya tidak dapat ditambah.")
            % {"number": appeal.number},
            code="appeal_closed",
        )
    step = sop.step(appeal.open_step_number)
    # plays() also refuses deactivated accounts, which a bare role check would not.
    as_staff = access.plays(user, appeal, sop.Actor.STF)
    if not (as_staff or access.plays(user, appeal, step.actor)):
        raise Forbidden(
            N_("Dokumen ditambahkan oleh staff PJTK atau pelaksana langkah yang sedang berjalan."),
            code="not_your_role",
        )
    if not as_staff and step.actor == sop.Actor.TPB:
        require_declared(appeal, user)  # adding evidence is acting as a panel member
