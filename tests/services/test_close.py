"""Step 12: appeal_close (delivery to the customer and archiving, by staff)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Channel, Status
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.factories import delivery_letter, register, walk
from tests.state import (
    assert_completed,
    new_events,
    open_step,
    persona,
    refused,
    step_numbers,
)

NOT_STAFF = (
    "Langkah 12 (Penyampaian keputusan dan pengarsipan) dikerjakan oleh Staff PJTK; "
    "Anda tidak berperan itu."
)


@pytest.fixture
def appeal(p):
    return walk(p, register(p), 12)


def close(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now() - timedelta(minutes=5),
        channel=Channel.IN_PERSON,
        cabinet=" L-02 ",
        box="B-2026-1",
        folder="M-017",
    )
    fields.update(overrides)
    return services.appeal_close(**fields)


def test_staff_deliver_the_decision_archive_the_file_and_the_appeal_closes(p, appeal):
    letter = delivery_letter(p, appeal)
    events = Event.objects.count()
    delivered = timezone.now() - timedelta(minutes=5)

    close(p, appeal, delivered_at=delivered)

    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert (appeal.current_step, appeal.current_actor, appeal.current_since) == (None, "", None)
    assert appeal.closed_at is not None
    assert (appeal.delivered_at, appeal.delivery_channel) == (delivered, "in_person")
    assert (appeal.archive_cabinet, appeal.archive_box, appeal.archive_folder) == (
        "L-02",
        "B-2026-1",
        "M-017",
    )
    assert open_step(appeal) is None
    # The relevant branch, every step once, step 8 never.
    assert step_numbers(appeal) == [1, 2, 3, 5, 6, 7, 9, 10, 11, 12]
    assert not appeal.steps.filter(completed_at__isnull=True).exists()
    step = assert_completed(appeal, 12, by=p.staff, outcome="closed")
    assert [o["number"] for o in step.data["outputs"]] == [letter.number]
    assert new_events(events) == ["step.12.closed"]
    assert Event.objects.last().summary == (
        "Keputusan disampaikan kepada pelanggan; berkas diarsipkan"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"channel": Channel.PORTAL}, "channel", "Saluran penyampaian tidak dikenal."),
        (
            {"delivered_at": timezone.now() + timedelta(hours=1)},
            "delivered_at",
            "Tanggal disampaikan tidak boleh di masa depan.",
        ),
        ({"cabinet": ""}, "cabinet", "Lemari arsip wajib diisi."),
        ({"box": " "}, "box", "Boks arsip wajib diisi."),
        ({"folder": ""}, "folder", "Map arsip wajib diisi."),
    ],
)
def test_closing_is_validated(p, appeal, overrides, field, message):
    error = refused(lambda: close(p, appeal, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


@pytest.mark.parametrize("who", ["lead", "head", "auditor", "admin", "tech", "panel_1"])
def test_other_roles_may_not_close(p, appeal, who):
    refused(lambda: close(p, appeal, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_close(p, appeal, who):
    refused(lambda: close(p, appeal, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


def test_staff_may_not_close_before_the_disposition(p):
    appeal = walk(p, register(p), 11)

    refused(
        lambda: close(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 11 (Disposisi ke staff PJTK), "
        "bukan langkah 12 (Penyampaian keputusan dan pengarsipan).",
        "wrong_step",
    )


def test_step_12_is_refused_without_the_delivery_letter_and_nothing_is_written(p, appeal):
    error = refused(
        lambda: close(p, appeal),
        Conflict,
        "Langkah 12 (Penyampaian keputusan dan pengarsipan) belum dapat diselesaikan: Surat "
        "penyampaian keputusan banding belum terbit. Output langkah ini wajib ada sebelum "
        "langkah diselesaikan.",
        "output_missing",
    )

    assert error.fields == {"outputs": ["penyampaian"]}


def test_a_closed_appeal_stays_closed(p, appeal):
    delivery_letter(p, appeal)
    close(p, appeal)

    refused(
        lambda: close(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; langkah 12 (Penyampaian keputusan dan "
        "pengarsipan) tidak dapat dikerjakan lagi.",
        "appeal_closed",
    )
