"""What is left of a destroyed file: the berita acara it was destroyed under, and per stored
file its name, size and SHA-256. The appeal page, the portal, the downloads (410 Gone) and
the evidence pack read it here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from banding.appeals.models import Appeal
from banding.archive.models import ArchiveRecord, DestroyedFile
from banding.errors import ServiceError
from banding.formats import format_day


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
        return (
            f"Berkas banding ini telah dimusnahkan pada {day} sesuai "
            f"Jadwal Retensi Arsip, dengan Berita Acara Pemusnahan nomor {self.ba_number}. "
            "Yang disimpan hanya nama, ukuran dan hash SHA-256 setiap berkasnya."
        )

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


def require_present(appeal: Appeal) -> None:
    """Refuse (410) a download of a destroyed appeal's stored file."""
    found = destruction_of(appeal)
    if found is not None:
        raise Gone(found.message)
