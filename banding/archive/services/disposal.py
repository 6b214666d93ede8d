"""Disposal: the keeper appraises a file whose disposition is *dinilai kembali* (keep for good,
or propose disposal) and proposes files past their inactive period for disposal (*usul
musnah*); the Kepala Balai approves (the files are destroyed: banding.archive.services.
destruction) or rejects the proposal, with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.archive.access import require_decider, require_keeper
from banding.archive.models import Appraisal, ArchiveRecord, Disposal, DisposalStatus
from banding.archive.services.common import (
    in_proposal,
    locked_appeals,
    records_of,
    require_not_destroyed,
    require_past_inactive,
)
from banding.archive.services.destruction import destroy
from banding.audit.actions import Action
from banding.audit.log import Entry, record_each
from banding.errors import Conflict, Invalid, NotFound

REASON_NEEDED = N_("Tuliskan alasan penilaian kembali.")
REJECT_REASON_NEEDED = N_("Tuliskan alasan penolakan usul musnah.")
UNKNOWN_PROPOSAL = N_("Usul musnah tidak ditemukan.")


def record_appraise(
    *, user: User, appeal: uuid.UUID | str, decision: str, reason: str
) -> ArchiveRecord:
    """The appraisal of a file past its inactive period whose disposition is *dinilai
    kembali*: keep it permanently, or let it be proposed for disposal."""
    require_keeper(user)
    if decision not in Appraisal.values:
        message = N_("Pilih hasil penilaian: simpan permanen atau usulkan musnah.")
        raise Invalid(message, fields={"decision": [message]})
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(REASON_NEEDED, fields={"reason": [REASON_NEEDED]})
    with transaction.atomic():
        (item,) = locked_appeals([appeal], field="appeal")
        rec = records_of([item])[item.pk]
        require_not_destroyed(item, rec)
        found = require_past_inactive(item, timezone.localdate())
        if found.disposition != "dinilai kembali":
            raise Conflict(
                _(
                    "Nasib akhir berkas banding %(number)s menurut JRA adalah %(disposition)s, "
                    "bukan dinilai kembali."
                )
                % {"number": item.number, "disposition": found.disposition},
                code="not_for_appraisal",
            )
        if rec.appraisal:
            raise Conflict(
                _("Berkas banding %(number)s sudah dinilai kembali (%(appraisal)s).")
                % {"number": item.number, "appraisal": rec.get_appraisal_display().lower()},
                code="already_appraised",
            )
        rec.appraisal, rec.appraisal_reason = decision, reason
        rec.appraised_at, rec.appraised_by = timezone.now(), user
        rec.save()
        label = Appraisal(decision).label.lower()
        record_each(
            [
                (
                    item,
                    [
                        Entry(
                            action=Action.RECORD_APPRAISED,
                            summary=f"Berkas banding {item.number} dinilai kembali: {label}",
                            actor=user,
                            data={"decision": decision, "reason": reason},
                        )
                    ],
                )
            ]
        )
    return rec


def disposal_propose(*, user: User, appeals: Sequence[uuid.UUID | str], note: str = "") -> Disposal:
    """Propose the chosen files for disposal, for the Kepala Balai to decide. Only files past
    their inactive period whose disposition (by the schedule or an appraisal) is *musnah*."""
    require_keeper(user)
    with transaction.atomic():
        chosen = locked_appeals(appeals)
        records = records_of(chosen)
        today = timezone.localdate()
        for appeal in chosen:
            rec = records[appeal.pk]
            require_not_destroyed(appeal, rec)
            found = require_past_inactive(appeal, today)
            if found.disposition == "permanen" or rec.appraisal == Appraisal.PERMANENT:
                raise Conflict(
                    _("Berkas banding %(number)s disimpan permanen: tidak dapat diusulkan musnah.")
                    % {"number": appeal.number},
                    code="permanent",
                )
            if found.disposition == "dinilai kembali" and rec.appraisal != Appraisal.DISPOSE:
                raise Conflict(
                    _(
                        "Berkas banding %(number)s harus dinilai kembali dahulu sebelum diusulkan "
                        "musnah."
                    )
                    % {"number": appeal.number},
                    code="not_appraised",
                )
            if in_proposal(rec):
                raise Conflict(
                    _("Berkas banding %(number)s sudah ada dalam usul musnah.")
                    % {"number": appeal.number},
                    code="already_proposed",
                )
        disposal = Disposal.objects.create(
            proposed_at=timezone.now(), proposed_by=user, note=(note or "").strip()
        )
        for appeal in chosen:
            rec = records[appeal.pk]
            rec.disposal = disposal
            rec.save()
        record_each(
            [
                (
                    appeal,
                    [
                        Entry(
                            action=Action.DISPOSAL_PROPOSED,
                            summary=(
                                f"Berkas banding {appeal.number} diusulkan musnah kepada "
                                "Kepala Balai"
                            ),
                            actor=user,
                            data={"disposal": str(disposal.public_id), "files": len(chosen)},
                        )
                    ],
                )
                for appeal in chosen
            ]
        )
    return disposal


def disposal_decide(
    *, user: User, disposal: uuid.UUID | str, approve: bool, reason: str = ""
) -> Disposal:
    """The Kepala Balai's decision on a proposal. Approved: the berita acara pemusnahan is
    generated and the files are destroyed, their hashes kept. Rejected (with a reason): the
    files stay; they may be proposed again."""
    require_decider(user)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise Invalid(REJECT_REASON_NEEDED, fields={"reason": [REJECT_REASON_NEEDED]})
    with transaction.atomic():
        try:
            item = Disposal.objects.select_for_update().get(public_id=uuid.UUID(str(disposal)))
        except (ValueError, Disposal.DoesNotExist):
            raise NotFound(UNKNOWN_PROPOSAL) from None
        if item.status != DisposalStatus.PROPOSED:
            raise Conflict(
                _("Usul musnah ini sudah diputuskan (%(status)s).")
                % {"status": item.get_status_display().lower()},
                code="already_decided",
            )
        records = list(item.records.select_related("appeal").order_by("appeal_id"))
        appeals = locked_appeals([r.appeal.public_id for r in records])
        now = timezone.now()
        if approve:
            today = timezone.localdate(now)
            for appeal in appeals:
                require_past_inactive(appeal, today)
        item.status = DisposalStatus.APPROVED if approve else DisposalStatus.REJECTED
        item.decided_at, item.decided_by, item.reason = now, user, reason
        action = Action.DISPOSAL_APPROVED if approve else Action.DISPOSAL_REJECTED
        verb = "disetujui" if approve else "ditolak"
        decided = [
            (
                appeal,
                [
                    Entry(
                        action=action,
                        summary=f"Usul musnah berkas banding {appeal.number} {verb} Kepala Balai",
                        actor=user,
                        data={"disposal": str(item.public_id), "reason": reason},
                    )
                ],
            )
            for appeal in appeals
        ]
        if not approve:
            item.save()
            record_each(decided)
            return item
        destroyed = destroy(item, records, user=user, at=now)
        item.save()
        record_each([(a, [*entries, destroyed[a.pk]]) for a, entries in decided])
    return item
