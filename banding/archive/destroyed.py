"""What is left of a destroyed file: the berita acara it was destroyed under, and per stored
file its name, size and SHA-256. The appeal page, the portal, the downloads (410 Gone) and
the evidence pack read it here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from banding.appeals.models import Appeal
from banding.archive.models import ArchiveRecord, DestroyedFile
from banding.archive.retention import retention_of
from banding.errors import ServiceError
from banding.formats import format_day

DESTROYED = "pemusnahan.json"


class Gone(ServiceError):
    status = 410
    code = "destroyed"


@dataclass(frozen=True)
class Destruction:
    ba_number: str
    destroyed_at: datetime
    record: ArchiveRecord

    @property
    def message(self) -> str:
        day = format_day(timezone.localdate(self.destroyed_at))
        return _(
            "Berkas banding ini telah dimusnahkan pada %(day)s sesuai "
            "Jadwal Retensi Arsip, dengan Berita Acara Pemusnahan nomor %(number)s. "
            "Yang disimpan hanya nama, ukuran dan hash SHA-256 setiap berkasnya."
        ) % {"day": day, "number": self.ba_number}

    def files(self) -> list[DestroyedFile]:
        return list(self.record.destroyed_files.order_by("id"))


def destruction_of(appeal: Appeal) -> Destruction | None:
    """The appeal's destruction, or None (one query)."""
    rec = (
        ArchiveRecord.objects.filter(appeal_id=appeal.pk, destroyed_at__isnull=False)
        .select_related("disposal")
        .first()
    )
    if rec is None or rec.disposal is None or rec.destroyed_at is None:
        return None
    return Destruction(rec.disposal.ba_number, rec.destroyed_at, rec)


def destruction_shown(appeal: Appeal) -> Destruction | None:
    """destruction_of for the pages: no query at all unless the file is past its inactive
    period (only such a file can have been destroyed), so an appeal page's query count does
    not grow for the appeals that make most of the traffic."""
    found = retention_of(appeal)
    if found is None or timezone.localdate() <= found.inactive_until:
        return None
    return destruction_of(appeal)


def require_present(appeal: Appeal) -> None:
    """Refuse (410) a download of a destroyed appeal's stored file."""
    found = destruction_of(appeal)
    if found is not None:
        raise Gone(found.message)


def destroyed_json(found: Destruction) -> bytes:
    """The evidence pack's listing of a destroyed file: the berita acara and, per stored file,
    its name, size and SHA-256 as recorded at upload or issue and as read before removal."""
    body = {
        "berita_acara": found.ba_number,
        "destroyed_at": found.destroyed_at.isoformat(),
        "message": found.message,
        "files": [
            {
                "kind": f.kind,
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "sha256_at_removal": f.sha256_at_removal,
            }
            for f in found.files()
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode()
