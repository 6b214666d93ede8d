"""What the retention services share: the chosen appeals locked, each one's archive record,
the checks of where a file stands in its retention, and storing a generated PDF."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.appeals.models import Appeal, Status
from banding.archive.models import ArchiveRecord, DisposalStatus
from banding.archive.retention import APPEAL_FILE, Retention, retention_of
from banding.errors import Conflict, Invalid

NONE_CHOSEN = N_("Pilih sedikitnya satu berkas banding.")
UNKNOWN = N_("Berkas banding yang dipilih tidak ditemukan: muat ulang halaman retensi arsip.")


def locked_appeals(
    public_ids: Sequence[uuid.UUID | str], *, field: str = "appeals"
) -> list[Appeal]:
    """The chosen appeals under row locks, in a fixed order (no deadlock between two keepers
    choosing overlapping sets). Refused when none or an unknown one is chosen."""
    if not public_ids:
        raise Invalid(NONE_CHOSEN, code="none_chosen", fields={field: [NONE_CHOSEN]})
    try:
        ids = {uuid.UUID(str(i)) for i in public_ids}
    except ValueError:  # a malformed id: the same answer as an unknown one
        raise Invalid(UNKNOWN, code="not_found", fields={field: [UNKNOWN]}) from None
    appeals = list(Appeal.objects.select_for_update().filter(public_id__in=ids).order_by("pk"))
    if len(appeals) != len(ids):
        raise Invalid(UNKNOWN, code="not_found", fields={field: [UNKNOWN]})
    return appeals


def records_of(appeals: Sequence[Appeal]) -> dict[int, ArchiveRecord]:
    """Each appeal's archive record (unsaved when it has none yet), read under a lock."""
    found = {
        r.appeal_id: r
        for r in ArchiveRecord.objects.select_for_update(of=("self",))
        .select_related("disposal", "transfer")
        .filter(appeal__in=appeals)
    }
    return {
        a.pk: found.get(a.pk) or ArchiveRecord(appeal=a, record_type=APPEAL_FILE) for a in appeals
    }


def retention(appeal: Appeal) -> Retention:
    """The retention of an appeal's file; refused while the appeal is open."""
    found = retention_of(appeal) if appeal.status != Status.OPEN else None
    if found is None:
        raise Conflict(
            _("Berkas banding %(number)s masih berjalan: retensi dihitung sejak berkas ditutup.")
            % {"number": appeal.number},
            code="appeal_open",
        )
    return found


def require_not_destroyed(appeal: Appeal, record: ArchiveRecord) -> None:
    if record.destroyed_at is not None:
        raise Conflict(
            _("Berkas banding %(number)s sudah dimusnahkan.") % {"number": appeal.number},
            code="already_destroyed",
        )


def require_past_active(appeal: Appeal, today: date) -> Retention:
    found = retention(appeal)
    if today <= found.active_until:
        raise Conflict(
            _(
                "Berkas banding %(number)s masih arsip aktif sampai %(active_until)s: belum "
                "dapat dipindahkan ke arsip inaktif."
            )
            % {"number": appeal.number, "active_until": format(found.active_until, "%d-%m-%Y")},
            code="still_active",
        )
    return found


def require_past_inactive(appeal: Appeal, today: date) -> Retention:
    found = retention(appeal)
    if today <= found.active_until:
        raise Conflict(
            _(
                "Berkas banding %(number)s masih arsip aktif sampai %(active_until)s: arsip "
                "aktif tidak dapat dimusnahkan."
            )
            % {"number": appeal.number, "active_until": format(found.active_until, "%d-%m-%Y")},
            code="still_active",
        )
    if today <= found.inactive_until:
        raise Conflict(
            _(
                "Berkas banding %(number)s masih arsip inaktif sampai %(inactive_until)s: "
                "belum habis masa retensinya."
            )
            % {"number": appeal.number, "inactive_until": format(found.inactive_until, "%d-%m-%Y")},
            code="still_inactive",
        )
    return found


def in_proposal(record: ArchiveRecord) -> bool:
    return record.disposal is not None and record.disposal.status in (
        DisposalStatus.PROPOSED,
        DisposalStatus.APPROVED,
    )


def store_pdf(folder: str, content: bytes) -> tuple[str, str]:
    """Store a generated PDF under a name free of user input; (stored name, SHA-256)."""
    name = default_storage.save(f"archive/{folder}/{uuid.uuid4()}.pdf", ContentFile(content))
    return name, hashlib.sha256(content).hexdigest()
