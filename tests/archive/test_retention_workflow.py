"""The retention (JRA) workflow: transfer to the inactive archive, appraisal, disposal proposal,
the Kepala Balai's decision and the destruction with the hashes kept; its refusals write
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from banding.appeals.models import Appeal
from banding.archive import selectors, services
from banding.archive.access import NOT_DECIDER, NOT_KEEPER
from banding.archive.models import (
    Appraisal,
    ArchiveRecord,
    DestroyedFile,
    Disposal,
    DisposalStatus,
    Transfer,
)
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters.models import Letter
from tests.archive.conftest import closed
from tests.state import refused

BASIS = "UU No. 43 Tahun 2009 tentang Kearsipan; PP No. 28 Tahun 2012"


def schedule(settings, disposition: str = "musnah") -> None:
    settings.BANDING_RETENTION = {
        "berkas banding": {
            "label": "Berkas banding",
            "active_years": 2,
            "inactive_years": 5,
            "disposition": disposition,
            "basis": BASIS,
        }
    }


def aged(appeal: Appeal, years: int) -> Appeal:
    """The appeal as if it had closed `years` years (and a few days) ago."""
    Appeal.objects.filter(pk=appeal.pk).update(
        closed_at=timezone.now() - timedelta(days=365 * years + 10)
    )
    appeal.refresh_from_db()
    return appeal


def stored_names(appeal: Appeal) -> list[str]:
    docs = [d.file.name for d in appeal.documents.all()]
    return docs + [
        letter.pdf.name for letter in Letter.objects.filter(appeal=appeal).exclude(pdf="")
    ]


def proposed(p, appeal: Appeal) -> Disposal:
    return services.disposal_propose(user=p.staff, appeals=[appeal.public_id])


def approved(p, appeal: Appeal, django_capture_on_commit_callbacks) -> Disposal:
    disposal = proposed(p, appeal)
    with django_capture_on_commit_callbacks(execute=True):
        return services.disposal_decide(user=p.head, disposal=disposal.public_id, approve=True)


# Transfer to the inactive archive


def test_a_file_past_its_active_period_is_listed_and_transferred_with_a_pdf(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 3)
    assert list(selectors.due_for_transfer(timezone.localdate())) == [appeal]

    transfer = services.records_transfer(user=p.staff, appeals=[appeal.public_id], note="Boks 4")

    assert transfer.number.endswith(f"/DPA/BBSPJIKFK/PJTK/{timezone.localdate():%m/%Y}")
    assert transfer.transferred_by == p.staff
    assert default_storage.open(transfer.pdf.name).read().startswith(b"%PDF")
    assert ArchiveRecord.objects.get(appeal=appeal).transfer == transfer
    assert list(selectors.due_for_transfer(timezone.localdate())) == []
    event = Event.objects.filter(appeal=appeal).last()
    assert event.action == "retention.transferred"
    assert event.data["transfer"] == transfer.number


def test_a_second_transfer_of_the_same_file_is_refused_and_writes_nothing(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 3)
    first = services.records_transfer(user=p.staff, appeals=[appeal.public_id])
    refused(
        lambda: services.records_transfer(user=p.lead, appeals=[appeal.public_id]),
        Conflict,
        f"Berkas banding {appeal.number} sudah dipindahkan ke arsip inaktif dengan daftar "
        f"{first.number}.",
        "already_transferred",
    )
    assert Transfer.objects.count() == 1


def test_a_file_still_active_is_not_transferred(p, settings):
    schedule(settings)
    appeal = closed(p)
    until = (timezone.localdate(appeal.closed_at)).replace(
        year=timezone.localdate(appeal.closed_at).year + 2
    )
    refused(
        lambda: services.records_transfer(user=p.staff, appeals=[appeal.public_id]),
        Conflict,
        f"Berkas banding {appeal.number} masih arsip aktif sampai {until:%d-%m-%Y}: belum "
        "dapat dipindahkan ke arsip inaktif.",
        "still_active",
    )
    assert not ArchiveRecord.objects.exists()


@pytest.mark.parametrize("who", ["tech", "head", "auditor", "customer"])
def test_only_the_archive_keepers_transfer(p, settings, who):
    schedule(settings)
    appeal = aged(closed(p), 3)
    refused(
        lambda: services.records_transfer(user=getattr(p, who), appeals=[appeal.public_id]),
        Forbidden,
        NOT_KEEPER,
        "forbidden",
    )


def test_nothing_chosen_is_refused(p, settings):
    schedule(settings)
    refused(
        lambda: services.records_transfer(user=p.staff, appeals=[]),
        Invalid,
        "Pilih sedikitnya satu berkas banding.",
        "none_chosen",
    )


# Disposal proposal and appraisal


def test_a_file_still_inactive_cannot_be_proposed_for_disposal(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 4)
    until = timezone.localdate(appeal.closed_at)
    until = until.replace(year=until.year + 7)
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} masih arsip inaktif sampai {until:%d-%m-%Y}: belum "
        "habis masa retensinya.",
        "still_inactive",
    )
    assert not Disposal.objects.exists()


def test_a_file_still_active_cannot_be_proposed_for_disposal(p, settings):
    schedule(settings)
    appeal = closed(p)
    until = timezone.localdate(appeal.closed_at)
    until = until.replace(year=until.year + 2)
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} masih arsip aktif sampai {until:%d-%m-%Y}: arsip "
        "aktif tidak dapat dimusnahkan.",
        "still_active",
    )


def test_a_permanent_file_is_listed_as_such_and_never_proposed(p, settings):
    schedule(settings, "permanen")
    appeal = aged(closed(p), 8)
    assert list(selectors.permanent(timezone.localdate())) == [appeal]
    assert list(selectors.to_propose(timezone.localdate())) == []
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} disimpan permanen: tidak dapat diusulkan musnah.",
        "permanent",
    )


def test_a_file_to_appraise_is_proposed_only_after_its_appraisal(p, settings):
    schedule(settings, "dinilai kembali")
    appeal = aged(closed(p), 8)
    assert list(selectors.to_appraise(timezone.localdate())) == [appeal]
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} harus dinilai kembali dahulu sebelum diusulkan musnah.",
        "not_appraised",
    )
    refused(
        lambda: services.record_appraise(
            user=p.staff, appeal=appeal.public_id, decision="musnah", reason=" "
        ),
        Invalid,
        "Tuliskan alasan penilaian kembali.",
        "invalid",
    )
    services.record_appraise(
        user=p.staff,
        appeal=appeal.public_id,
        decision=Appraisal.DISPOSE,
        reason="Tidak bernilai guna kelanjutan.",
    )
    assert list(selectors.to_propose(timezone.localdate())) == [appeal]
    disposal = proposed(p, appeal)
    assert disposal.status == DisposalStatus.PROPOSED
    assert Event.objects.filter(appeal=appeal, action="record.appraised").exists()


def test_an_appraisal_to_keep_marks_the_file_permanent(p, settings):
    schedule(settings, "dinilai kembali")
    appeal = aged(closed(p), 8)
    services.record_appraise(
        user=p.lead, appeal=appeal.public_id, decision="permanen", reason="Nilai sejarah."
    )
    assert list(selectors.permanent(timezone.localdate())) == [appeal]
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} disimpan permanen: tidak dapat diusulkan musnah.",
        "permanent",
    )


def test_a_file_already_proposed_is_not_proposed_twice(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 8)
    proposed(p, appeal)
    refused(
        lambda: proposed(p, appeal),
        Conflict,
        f"Berkas banding {appeal.number} sudah ada dalam usul musnah.",
        "already_proposed",
    )


# The Kepala Balai's decision


@pytest.mark.parametrize("who", ["staff", "lead", "auditor", "admin"])
def test_only_the_head_decides_a_proposal(p, settings, who):
    schedule(settings)
    disposal = proposed(p, aged(closed(p), 8))
    refused(
        lambda: services.disposal_decide(
            user=getattr(p, who), disposal=disposal.public_id, approve=True
        ),
        Forbidden,
        NOT_DECIDER,
        "forbidden",
    )
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.PROPOSED


def test_approval_destroys_the_files_and_keeps_their_hashes(
    p, settings, django_capture_on_commit_callbacks
):
    schedule(settings)
    appeal = aged(closed(p), 8)
    names = stored_names(appeal)
    issued = {d.file.name: d.sha256 for d in appeal.documents.all()} | {
        letter.pdf.name: letter.sha256
        for letter in Letter.objects.filter(appeal=appeal).exclude(pdf="")
    }
    assert names and all(default_storage.exists(n) for n in names)

    disposal = approved(p, appeal, django_capture_on_commit_callbacks)

    assert disposal.status == DisposalStatus.APPROVED
    assert disposal.decided_by == p.head
    assert disposal.ba_number.endswith(f"/BAP/BBSPJIKFK/{timezone.localdate():%m/%Y}")
    assert default_storage.open(disposal.ba_pdf.name).read().startswith(b"%PDF")
    assert not any(default_storage.exists(n) for n in names)
    rows = list(DestroyedFile.objects.filter(record__appeal=appeal))
    assert {r.stored_name: r.sha256 for r in rows} == issued
    # The hash kept is the one issued, and the file as read before removal matched it.
    assert all(r.sha256 == r.sha256_at_removal for r in rows)
    assert all(r.disposal == disposal and r.destroyed_by == p.head for r in rows)
    actions = list(Event.objects.filter(appeal=appeal).values_list("action", flat=True))
    assert actions[-3:] == ["disposal.proposed", "disposal.approved", "record.destroyed"]
    destroyed = Event.objects.filter(appeal=appeal).last()
    assert destroyed.data["berita_acara"] == disposal.ba_number
    assert sorted(f["sha256"] for f in destroyed.data["files"]) == sorted(issued.values())


def test_approving_twice_is_refused_and_writes_nothing(
    p, settings, django_capture_on_commit_callbacks
):
    schedule(settings)
    disposal = approved(p, aged(closed(p), 8), django_capture_on_commit_callbacks)
    refused(
        lambda: services.disposal_decide(user=p.head, disposal=disposal.public_id, approve=True),
        Conflict,
        "Usul musnah ini sudah diputuskan (disetujui, dimusnahkan).",
        "already_decided",
    )


def test_a_rejection_needs_a_reason_and_keeps_the_files(p, settings):
    schedule(settings)
    appeal = aged(closed(p), 8)
    disposal = proposed(p, appeal)
    refused(
        lambda: services.disposal_decide(user=p.head, disposal=disposal.public_id, approve=False),
        Invalid,
        "Tuliskan alasan penolakan usul musnah.",
        "invalid",
    )
    services.disposal_decide(
        user=p.head, disposal=disposal.public_id, approve=False, reason="Masih diperlukan."
    )
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.REJECTED
    assert all(default_storage.exists(n) for n in stored_names(appeal))
    assert Event.objects.filter(appeal=appeal).last().action == "disposal.rejected"
    # Rejected: it may be proposed again.
    assert list(selectors.to_propose(timezone.localdate())) == [appeal]
