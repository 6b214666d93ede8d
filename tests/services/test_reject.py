"""Step 4: appeal_reject (the rejection letter, issued with the reasons recorded at step 3,
delivered to the customer by staff)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Channel, Status
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import services as letters
from banding.letters.kinds import Kind
from tests.factories import not_relevant as verify_not_relevant
from tests.factories import register, rejection_letter, walk
from tests.state import assert_completed, new_events, open_step, persona, refused

NOT_STAFF = (
    "Langkah 4 (Surat penolakan banding) dikerjakan oleh Staff PJTK; Anda tidak berperan itu."
)
REASONS = "Bukan keberatan atas hasil penanganan keluhan."
NO_LETTER = (
    "Langkah 4 (Surat penolakan banding) belum dapat diselesaikan: Surat penolakan banding belum "
    "terbit{draft}. Output langkah ini wajib ada sebelum langkah diselesaikan."
)


def not_relevant(p):
    return verify_not_relevant(p, register(p), REASONS)


def reject(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now() - timedelta(minutes=1),
        channel=Channel.COURIER,
    )
    fields.update(overrides)
    return services.appeal_reject(**fields)


def test_staff_reject_and_the_appeal_closes_as_rejected(p):
    appeal = not_relevant(p)
    letter = rejection_letter(p, appeal)
    events = Event.objects.count()
    delivered = timezone.now() - timedelta(minutes=1)

    reject(p, appeal, delivered_at=delivered)

    appeal.refresh_from_db()
    assert appeal.status == Status.REJECTED
    assert (appeal.current_step, appeal.current_actor, appeal.current_since) == (None, "", None)
    assert appeal.closed_at is not None
    assert (appeal.delivered_at, appeal.delivery_channel) == (delivered, "courier")
    assert appeal.relevance_reasons == REASONS
    assert open_step(appeal) is None
    assert [s.number for s in appeal.steps.order_by("pk")] == [1, 2, 3, 4]
    step = assert_completed(appeal, 4, by=p.staff, outcome="rejected")
    assert step.data["reasons"] == REASONS
    assert step.data["outputs"] == [
        {
            "kind": "penolakan",
            "letter": str(letter.public_id),
            "number": letter.number,
            "sha256": letter.sha256,
        }
    ]
    assert new_events(events) == ["step.4.rejected"]
    assert Event.objects.last().summary == "Surat penolakan dikirim kepada pelanggan (Ekspedisi)"


def test_step_4_is_refused_without_the_rejection_letter_and_nothing_is_written(p):
    appeal = not_relevant(p)

    error = refused(
        lambda: reject(p, appeal), Conflict, NO_LETTER.format(draft=""), "output_missing"
    )

    assert error.fields == {"outputs": ["penolakan"]}


def test_a_draft_rejection_letter_is_not_enough(p):
    appeal = not_relevant(p)
    letters.letter_draft(appeal=appeal, user=p.staff, kind=Kind.PENOLAKAN)

    refused(
        lambda: reject(p, appeal),
        Conflict,
        NO_LETTER.format(draft=" (masih draf)"),
        "output_missing",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"channel": Channel.PORTAL}, "channel", "Saluran pengiriman tidak dikenal."),
        (
            {"delivered_at": timezone.now() + timedelta(days=1)},
            "delivered_at",
            "Tanggal dikirim tidak boleh di masa depan.",
        ),
    ],
)
def test_rejection_is_validated(p, overrides, field, message):
    appeal = not_relevant(p)
    rejection_letter(p, appeal)

    error = refused(lambda: reject(p, appeal, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


@pytest.mark.parametrize("who", ["lead", "head", "auditor", "admin", "tech", "panel_1"])
def test_other_roles_may_not_reject(p, who):
    appeal = not_relevant(p)
    rejection_letter(p, appeal)

    refused(lambda: reject(p, appeal, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_reject(p, who):
    appeal = not_relevant(p)

    refused(lambda: reject(p, appeal, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


@pytest.mark.parametrize(
    ("at", "title"), [(3, "Verifikasi kelengkapan dan relevansi"), (5, "Usulan Tim Panel Banding")]
)
def test_staff_may_not_reject_an_appeal_that_is_not_at_step_4(p, at, title):
    appeal = walk(p, register(p), at)

    refused(
        lambda: reject(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah {at} ({title}), "
        "bukan langkah 4 (Surat penolakan banding).",
        "wrong_step",
    )


def test_a_rejected_appeal_cannot_be_rejected_twice(p):
    appeal = not_relevant(p)
    rejection_letter(p, appeal)
    reject(p, appeal)

    refused(
        lambda: reject(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah ditolak (tidak relevan); langkah 4 "
        "(Surat penolakan banding) tidak dapat dikerjakan lagi.",
        "appeal_closed",
    )
