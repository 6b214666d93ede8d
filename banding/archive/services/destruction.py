"""Destroying the files of an approved disposal: per stored file (the appeal's documents and
its letters' PDFs) a row with its name, size and SHA-256 (as recorded at upload or issue, and
as read just before removal), the berita acara pemusnahan (numbered PDF listing them), and
the stored files removed once the transaction has committed (a rolled-back approval removes
nothing)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from banding.accounts.models import User
from banding.archive.models import ArchiveRecord, DestroyedFile, Disposal
from banding.archive.records import render_pdf
from banding.archive.services.common import store_pdf
from banding.audit.actions import Action
from banding.audit.log import Entry
from banding.letters import numbering
from banding.letters.models import Letter

NUMBERING = "berita_acara_pemusnahan"
CHUNK = 1024 * 1024


def digest_of(file: FieldFile) -> tuple[str, int]:
    """SHA-256 and size of a stored file as it is now ("" and 0 when it is missing)."""
    if not file.name or not default_storage.exists(file.name):
        return "", 0
    digest, size = hashlib.sha256(), 0
    with default_storage.open(file.name, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def files_of(
    rec: ArchiveRecord, disposal: Disposal, *, user: User, at: datetime
) -> list[DestroyedFile]:
    """The (unsaved) rows of every stored file of the record's appeal."""
    rows = []
    for document in rec.appeal.documents.order_by("uploaded_at", "id"):
        now_sha, _ = digest_of(document.file)
        rows.append(
            DestroyedFile(
                record=rec,
                disposal=disposal,
                kind="dokumen",
                name=document.original_name,
                stored_name=document.file.name or "",
                size=document.size,
                sha256=document.sha256,
                sha256_at_removal=now_sha,
                destroyed_at=at,
                destroyed_by=user,
            )
        )
    letters = Letter.objects.filter(appeal=rec.appeal).exclude(pdf="").order_by("step", "id")
    for letter in letters:
        now_sha, size = digest_of(letter.pdf)
        rows.append(
            DestroyedFile(
                record=rec,
                disposal=disposal,
                kind="surat",
                name=letter.download_name,
                stored_name=letter.pdf.name or "",
                size=size,
                sha256=letter.sha256,
                sha256_at_removal=now_sha,
                destroyed_at=at,
                destroyed_by=user,
            )
        )
    return rows


def destroy(
    disposal: Disposal, records: list[ArchiveRecord], *, user: User, at: datetime
) -> dict[int, Entry]:
    """Destroy the files of the approved `disposal` (its rows locked by the caller): the
    berita acara number and PDF set on it (saved by the caller), the rows written, the
    records marked destroyed, the files' removal queued for the commit. Returns each appeal's
    `record.destroyed` event."""
    _, disposal.ba_number = numbering.take(NUMBERING, timezone.localdate(at))
    rows: list[DestroyedFile] = []
    per_record: dict[int, list[DestroyedFile]] = {}
    for rec in records:
        per_record[rec.pk] = files_of(rec, disposal, user=user, at=at)
        rows += per_record[rec.pk]
    pdf = render_pdf(
        "archive/retention/berita_acara.html",
        {
            "disposal": disposal,
            "decided_by": user,
            "records": [(rec, per_record[rec.pk]) for rec in records],
            "generated_at": at,
        },
    )
    disposal.ba_pdf.name, disposal.ba_sha256 = store_pdf("berita-acara", pdf)
    DestroyedFile.objects.bulk_create(rows)
    ArchiveRecord.objects.filter(pk__in=[r.pk for r in records]).update(destroyed_at=at)
    names = [row.stored_name for row in rows if row.stored_name]
    transaction.on_commit(lambda: remove(names))
    return {
        rec.appeal_id: Entry(
            action=Action.RECORD_DESTROYED,
            summary=(
                f"Berkas banding {rec.appeal.number} dimusnahkan ({len(per_record[rec.pk])} "
                f"berkas), berita acara pemusnahan {disposal.ba_number}"
            ),
            actor=user,
            data={
                "berita_acara": disposal.ba_number,
                "berita_acara_sha256": disposal.ba_sha256,
                "files": [
                    {"name": f.name, "size": f.size, "sha256": f.sha256} for f in per_record[rec.pk]
                ],
            },
        )
        for rec in records
    }


def remove(names: list[str]) -> None:
    """Remove the stored files (after the commit); a file already gone is no error."""
    for name in names:
        default_storage.delete(name)
