"""Steps 11-12: the approved decision dispositioned, delivered to the customer, and the
file archived.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals import access
from banding.appeals.models import (
    Appeal,
)
from banding.appeals.services.shared import (
    INTAKE_CHANNELS,
    clean,
    complete,
    locked,
    not_in_future,
    require,
)
from banding.sop.definition import Result


def decision_disposition(*, appeal: Appeal, user: User, note: str) -> Appeal:
    """Step 11: the ketua tim passes the approved decision to the staff."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 11)
        note = clean(note)
        require(bool(note), N_("Isi disposisi wajib diisi."), field="note")
        complete(
            appeal,
            user=user,
            number=11,
            outcome=Result.DISPOSITIONED,
            data={"note": note},
            summary="Keputusan didisposisikan kepada staff PJTK",
        )
    return appeal


def appeal_close(
    *,
    appeal: Appeal,
    user: User,
    delivered_at: datetime,
    channel: str,
    cabinet: str,
    box: str,
    folder: str,
) -> Appeal:
    """Step 12: the decision, with the delivery letter that closes the case, delivered to the
    customer and the file archived."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, 12)
        require(
            channel in INTAKE_CHANNELS, N_("Saluran penyampaian tidak dikenal."), field="channel"
        )
        not_in_future(delivered_at, "delivered_at", _("Tanggal disampaikan"))
        for field, value, message in (
            ("cabinet", cabinet, N_("Lemari arsip wajib diisi.")),
            ("box", box, N_("Boks arsip wajib diisi.")),
            ("folder", folder, N_("Map arsip wajib diisi.")),
        ):
            require(bool(clean(value)), message, field=field)
        appeal.delivered_at = delivered_at
        appeal.delivery_channel = channel
        appeal.archive_cabinet = clean(cabinet)
        appeal.archive_box = clean(box)
        appeal.archive_folder = clean(folder)
        data = {
            "delivered_at": delivered_at,
            "channel": channel,
            "cabinet": clean(cabinet),
            "box": clean(box),
            "folder": clean(folder),
        }
        complete(
            appeal,
            user=user,
            number=12,
            outcome=Result.CLOSED,
            data=data,
            summary="Keputusan disampaikan kepada pelanggan; berkas diarsipkan",
        )
    return appeal
