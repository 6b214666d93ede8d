"""Transfer to the inactive archive: the keeper chooses closed files past their active period
and records their move with a transfer list (*daftar arsip usul pindah*, numbered PDF)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.archive.access import require_keeper
from banding.archive.models import Transfer
from banding.archive.records import render_pdf
from banding.archive.services.common import (
    locked_appeals,
    records_of,
    require_not_destroyed,
    require_past_active,
    store_pdf,
)
from banding.audit.actions import Action
from banding.audit.log import Entry, record_each
from banding.errors import Conflict
from banding.letters import numbering

NUMBERING = "usul_pindah"


def records_transfer(*, user: User, appeals: Sequence[uuid.UUID | str], note: str = "") -> Transfer:
    """Record the move of the chosen files to the inactive archive, on one transfer list."""
    require_keeper(user)
    with transaction.atomic():
        chosen = locked_appeals(appeals)
        records = records_of(chosen)
        now = timezone.now()
        today = timezone.localdate(now)
        for appeal in chosen:
            rec = records[appeal.pk]
            require_not_destroyed(appeal, rec)
            if rec.transfer_id is not None:
                assert rec.transfer is not None
                raise Conflict(
                    _(
                        "Berkas banding %(number)s sudah dipindahkan ke arsip inaktif dengan "
                        "daftar %(transfer_number)s."
                    )
                    % {"number": appeal.number, "transfer_number": rec.transfer.number},
                    code="already_transferred",
                )
            require_past_active(appeal, today)
        _sequence, number = numbering.take(NUMBERING, today)
        transfer = Transfer(
            number=number, transferred_at=now, transferred_by=user, note=(note or "").strip()
        )
        pdf = render_pdf(
            "archive/retention/usul_pindah.html",
            {"transfer": transfer, "appeals": chosen, "generated_at": now},
        )
        transfer.pdf.name, transfer.sha256 = store_pdf("pindah", pdf)
        transfer.save()
        for appeal in chosen:
            rec = records[appeal.pk]
            rec.transfer = transfer
            rec.save()
        record_each([(appeal, [_event(transfer, appeal, user)]) for appeal in chosen])
    return transfer


def _event(transfer: Transfer, appeal: Appeal, user: User) -> Entry:
    return Entry(
        action=Action.RETENTION_TRANSFERRED,
        summary=(
            f"Berkas banding {appeal.number} dipindahkan ke arsip inaktif "
            f"(daftar arsip usul pindah {transfer.number})"
        ),
        actor=user,
        data={"transfer": transfer.number, "pdf_sha256": transfer.sha256},
    )
