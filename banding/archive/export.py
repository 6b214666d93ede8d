"""The evidence pack of an appeal: one ZIP with every document, every issued letter, a timeline
PDF, the appeal's chain of audit events and a manifest of SHA-256 hashes — what an auditor or
accreditation assessor asks for.

Every file of the pack comes from case_files(); a new kind of record joins the pack by adding
its files there."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import IO

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals.models import Appeal
from banding.audit.actions import Action
from banding.audit.log import record
from banding.audit.models import Event

MANIFEST = "manifest.json"
TIMELINE = "timeline.pdf"
CHAIN = "rantai-peristiwa.json"
GENERATOR = "SiBanding"
CHUNK = 1024 * 1024
EXPORT_ROLES = (Role.AUDITOR, Role.HEAD, Role.PJTK_STAFF, Role.PJTK_LEAD)
REFUSED = "Paket bukti hanya dapat diunduh auditor, Kepala Balai, dan staff serta Ketua Tim PJTK."


def may_export(user: User | AnonymousUser) -> bool:
    return user.is_active and has_role(user, *EXPORT_ROLES)


@dataclass(frozen=True)
class CaseFile:
    """One file of the pack: its name in the ZIP and its content (bytes, or a stored file)."""

    arcname: str
    source: bytes | FieldFile


def case_files(appeal: Appeal) -> Iterator[CaseFile]:
    """Every file of the appeal's pack, the manifest aside."""
    for i, document in enumerate(appeal.documents.order_by("uploaded_at", "id"), start=1):
        name = get_valid_filename(document.original_name) or "berkas"
        yield CaseFile(f"dokumen/{i:02d}-langkah-{document.step:02d}-{name}", document.file)
    yield from _letter_files(appeal)
    events = list(Event.objects.filter(appeal=appeal).select_related("actor").order_by("id"))
    yield CaseFile(TIMELINE, timeline_pdf(appeal, events))
    yield CaseFile(CHAIN, chain_json(appeal, events))


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
    for letter in letters.order_by("step", "kind", "version", "id"):
        withdrawn = "-dicabut" if letter.status == "withdrawn" else ""
        name = get_valid_filename(
            f"{letter.number or letter.kind}-v{letter.version}{withdrawn}.pdf"
        )
        yield CaseFile(f"surat/{letter.step:02d}-{name}", letter.pdf)


def timeline_pdf(appeal: Appeal, events: list[Event]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a pack is built

    html = render_to_string(
        "archive/timeline.html",
        {
            "appeal": appeal,
            "steps": appeal.steps.select_related("completed_by").order_by("started_at", "id"),
            "events": events,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()


def chain_json(appeal: Appeal, events: list[Event]) -> bytes:
    """The appeal's events with their hashes: checkable on their own (banding.audit.chain)."""
    body = {
        "appeal": appeal.number,
        "appeal_id": appeal.pk,
        "hash": (
            "SHA-256 atas JSON kanonik (kunci urut, tanpa spasi, UTF-8) dari appeal, actor, "
            "action, step, summary, data, public, created_at (ISO UTC) dan prev (hash "
            "peristiwa sebelumnya; kosong untuk yang pertama)"
        ),
        "events": [
            {
                "id": e.pk,
                "appeal": e.appeal_id,
                "actor": e.actor_id,
                "actor_name": e.actor.display_name if e.actor else "",
                "action": e.action,
                "step": e.step,
                "summary": e.summary,
                "data": e.data,
                "public": e.public,
                "created_at": e.created_at.astimezone(UTC).isoformat(),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ],
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _write(zf: zipfile.ZipFile, item: CaseFile) -> dict:
    digest, size = hashlib.sha256(), 0
    with zf.open(item.arcname, "w") as out:
        for chunk in _chunks(item.source):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": item.arcname, "size": size, "sha256": digest.hexdigest()}


def _chunks(source: bytes | FieldFile) -> Iterator[bytes]:
    if isinstance(source, bytes):
        yield source
        return
    with source.open("rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def export_case(
    appeal: Appeal, *, user: User | None = None, generator: str = GENERATOR
) -> IO[bytes]:
    """Build the pack in a temporary file (rewound, for the caller to stream and close) and
    record the export on the appeal's log."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    generated_at = timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        listed = [_write(zf, item) for item in case_files(appeal)]
        manifest = {
            "appeal": appeal.number,
            "generated_at": generated_at.isoformat(),
            "generator": generator,
            "generated_by": user.get_username() if user is not None else "",
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
    return out


def pack_name(appeal: Appeal) -> str:
    return get_valid_filename(f"paket-bukti-{appeal.number.replace('/', '-')}.zip")
