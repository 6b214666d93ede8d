"""Files kept between two submissions of a form (StagedUpload).

When a form with file inputs is refused, the files it carried are checked as every upload is
(uploads.check_upload: by content and size) and stored under `staged/` in the private storage,
for the user who sent them. The form shown again lists them with hidden references; the next
submission reopens them (`reopen`) and hands them to the service as uploads, which checks and
stores them again as usual. Only the owner's own, unexpired rows are ever resolved: a
reference to another user's file is refused like a missing one. Nothing here is served: the
files are read only to be handed back to the service. `staged_sweep` (a job of
`banding worker`) deletes what was left after STAGED_FOR."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals.staged import StagedUpload
from banding.appeals.uploads import check_upload
from banding.errors import Invalid

STAGED_FOR = timedelta(hours=24)


class Reopened(UploadedFile):
    """A staged file handed back to a form as an upload; `staged` says which row it is."""

    staged: StagedUpload


def stage(*, owner: User, upload: UploadedFile) -> StagedUpload:
    """Keep one uploaded file for its owner. Refused (`Invalid`, nothing kept) when the
    upload checks refuse it."""
    if isinstance(upload, Reopened):
        return upload.staged
    checked = check_upload(upload)
    public_id = uuid.uuid4()
    # The stored name carries no user input: the original name is kept in the row.
    name = default_storage.save(f"staged/{public_id}", checked.upload)
    try:
        return StagedUpload.objects.create(
            public_id=public_id,
            owner=owner,
            original_name=(upload.name or "berkas")[:200],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            file=name,
        )
    except BaseException:
        default_storage.delete(name)
        raise


def _ids(references: Iterable[str]) -> list[uuid.UUID]:
    ids = []
    for reference in references:
        try:
            ids.append(uuid.UUID(str(reference)))
        except ValueError:
            raise Invalid(_missing(), code="staged_missing") from None
    return list(dict.fromkeys(ids))


def _missing() -> str:
    return _(
        "Berkas yang sudah dipilih sebelumnya tidak ditemukan lagi (disimpan paling lama "
        "24 jam); pilih berkasnya kembali."
    )


def _live(owner: User, now: datetime | None = None) -> QuerySet[StagedUpload]:
    return StagedUpload.objects.filter(
        owner=owner, created_at__gte=(now or timezone.now()) - STAGED_FOR
    )


def owned(*, owner: User, references: Iterable[str]) -> list[StagedUpload]:
    """The owner's staged files named by `references` (their public ids), in that order.
    Refused (`Invalid`, code staged_missing) when any is unknown, expired or another
    user's: the form then asks for the files again."""
    ids = _ids(references)
    if not ids:
        return []
    rows = {row.public_id: row for row in _live(owner).filter(public_id__in=ids)}
    if len(rows) != len(ids):
        raise Invalid(_missing(), code="staged_missing")
    return [rows[i] for i in ids]


def reopen(staged: StagedUpload) -> Reopened:
    """The staged file as an upload, for the form and the service."""
    upload = Reopened(
        file=default_storage.open(str(staged.file.name), "rb"),
        name=staged.original_name,
        content_type=staged.content_type,
        size=staged.size,
    )
    upload.staged = staged
    return upload


def discard(*, owner: User, references: Iterable[str]) -> int:
    """Delete the owner's staged files named (the form was saved, or the owner removed them
    from it); another user's references are ignored. Returns how many were deleted."""
    try:
        ids = _ids(references)
    except Invalid:
        return 0
    return _delete(StagedUpload.objects.filter(owner=owner, public_id__in=ids))


def _delete(rows: QuerySet[StagedUpload]) -> int:
    names = list(rows.values_list("pk", "file"))
    for _pk, name in names:
        default_storage.delete(name)
    StagedUpload.objects.filter(pk__in=[pk for pk, _name in names]).delete()
    return len(names)


def staged_sweep(now: datetime | None = None) -> int:
    """Delete the staged files older than STAGED_FOR (forms abandoned); the number deleted."""
    cutoff = (now or timezone.now()) - STAGED_FOR
    return _delete(StagedUpload.objects.filter(created_at__lt=cutoff))
