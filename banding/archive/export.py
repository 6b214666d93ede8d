"""The evidence pack of an appeal: one ZIP with every document, every issued letter as issued
(signed, with the trust root its signatures chain to), a readable PDF of every record
(banding.archive.records), a timeline PDF, the appeal's chain of audit events and a manifest
of SHA-256 hashes — what an auditor or accreditation assessor asks for; `banding verify-pack`
checks it offline (banding.archive.verify).

Every file of the pack comes from case_files(); a new kind of record joins the pack by adding
its files there."""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals.models import Appeal
from banding.archive.destroyed import DESTROYED, destroyed_json, destruction_of
from banding.archive.records import (
    CHAIN,
    TIMELINE,
    CaseFile,
    chain_json,
    record_files,
    timeline_pdf,
)
from banding.audit.actions import Action
from banding.audit.checkpoint import Reason, write_checkpoint
from banding.audit.log import record
from banding.audit.models import Event

logger = logging.getLogger("banding.archive")

MANIFEST = "manifest.json"
TRUST_ROOTS = "akar-kepercayaan-tanda-tangan.pem"
GENERATOR = "SiBanding"
CHUNK = 1024 * 1024
EXPORT_ROLES = (Role.AUDITOR, Role.HEAD, Role.PJTK_STAFF, Role.PJTK_LEAD)
REFUSED = N_(
    "Paket bukti hanya dapat diunduh auditor, Kepala Balai, dan staff serta Ketua Tim PJTK."
)


def may_export(user: User | AnonymousUser) -> bool:
    return user.is_active and has_role(user, *EXPORT_ROLES)


def case_files(appeal: Appeal) -> Iterator[CaseFile]:
    """Every file of the appeal's pack, the manifest aside. When the file was destroyed under
    the retention schedule its stored files are gone: the pack lists their names, sizes and
    SHA-256 instead (pemusnahan.json)."""
    gone = destruction_of(appeal)
    if gone is not None:
        yield CaseFile(DESTROYED, destroyed_json(gone))
    else:
        yield from _stored_files(appeal)
    events = list(Event.objects.filter(appeal=appeal).select_related("actor").order_by("id"))
    yield from record_files(appeal, events)
    yield CaseFile(TIMELINE, timeline_pdf(appeal, events))
    yield CaseFile(CHAIN, chain_json(appeal, events))


def _stored_files(appeal: Appeal) -> Iterator[CaseFile]:
    for i, document in enumerate(appeal.documents.order_by("uploaded_at", "id"), start=1):
        name = get_valid_filename(document.original_name) or "berkas"
        yield CaseFile(
            f"dokumen/{i:02d}-langkah-{document.step:02d}-{name}", document.file, document.sha256
        )
    yield from _letter_files(appeal)


def _letter_files(appeal: Appeal) -> Iterator[CaseFile]:
    """Issued, superseded and withdrawn letters' stored PDFs (drafts are not records yet; a
    withdrawn one is named so). Read through the app registry so that the pack works whatever
    the letters app holds."""
    if not apps.is_installed("banding.letters"):
        return
    try:
        letter_model = apps.get_model("letters", "Letter")
    except LookupError:
        return
    letters = letter_model.objects.filter(
        appeal=appeal, status__in=("issued", "superseded", "withdrawn")
    ).exclude(pdf="")
    signed = False
    for letter in letters.order_by("step", "kind", "version", "id"):
        withdrawn = "-dicabut" if letter.status == "withdrawn" else ""
        name = get_valid_filename(
            f"{letter.number or letter.kind}-v{letter.version}{withdrawn}.pdf"
        )
        yield CaseFile(f"surat/{letter.step:02d}-{name}", letter.pdf, letter.sha256)
        signed = True
    if signed:
        yield from _trust_roots()


def _trust_roots() -> Iterator[CaseFile]:
    """The certificates the letters' signatures chain to, so that an assessor checks them
    offline (`banding letters verify --trust-roots`, or a PDF reader told to trust it)."""
    path = Path(settings.BANDING_SIGNING["TRUST_ROOTS"])
    try:
        content = path.read_bytes()
    except OSError:
        return
    yield CaseFile(TRUST_ROOTS, content)


def _write(zf: zipfile.ZipFile, item: CaseFile) -> dict:
    digest, size = hashlib.sha256(), 0
    with zf.open(item.arcname, "w") as out:
        for chunk in _chunks(item.source):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    entry: dict[str, Any] = {"name": item.arcname, "size": size, "sha256": digest.hexdigest()}
    if item.recorded_sha256:
        # The hash recorded at upload or issue: a stored file changed since differs from it.
        entry["recorded_sha256"] = item.recorded_sha256
    return entry


def _chunks(source: bytes | FieldFile) -> Iterator[bytes]:
    if isinstance(source, bytes):
        yield source
        return
    with source.open("rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def export_case(
    appeal: Appeal,
    *,
    user: User | None = None,
    generator: str = GENERATOR,
    operator: str = "",
) -> IO[bytes]:
    """Build the pack in a temporary file (rewound, for the caller to stream and close) and
    record the export on the appeal's log. The manifest names who made it: `user`, or
    `operator` (the system account that ran a command without --by)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    generated_at = timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        listed = [_write(zf, item) for item in case_files(appeal)]
        manifest = {
            "appeal": appeal.number,
            "generated_at": generated_at.isoformat(),
            "generator": generator,
            "generated_by": user.get_username() if user is not None else operator,
            "generated_by_name": user.display_name if user is not None else "",
            # Stored files whose content is no longer what was recorded at upload or issue.
            "altered_since_recorded": [
                f["name"] for f in listed if f.get("recorded_sha256", f["sha256"]) != f["sha256"]
            ],
            "files": listed,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    size = out.tell()
    out.seek(0)
    digest = hashlib.file_digest(out, "sha256").hexdigest()
    out.seek(0)
    with transaction.atomic():
        record(
            action=Action.CASE_EXPORTED,
            summary=f"Paket bukti berkas banding {appeal.number} diunduh ({len(listed)} berkas)",
            actor=user,
            appeal=appeal,
            data={"files": len(listed), "size": size, "sha256": digest, "generator": generator},
        )
    # Every export leaves a signed checkpoint of the whole log, its own event included, in
    # the archive directory and in the auditors' mail (banding.audit.checkpoint). One that
    # cannot be written (a full disk) does not deny the pack: it is logged, and the worker's
    # next scheduled checkpoint covers the same events.
    try:
        write_checkpoint(Reason.EXPORT)
    except OSError:
        logger.exception("Titik periksa log audit saat ekspor paket bukti gagal ditulis.")
    return out


def pack_name(appeal: Appeal) -> str:
    return get_valid_filename(f"paket-bukti-{appeal.number.replace('/', '-')}.zip")
