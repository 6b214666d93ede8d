"""Step 10: decision_approve and decision_return (by the kepala balai)."""

import pytest
from django.urls import reverse

from banding.appeals import services
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters.models import LetterStatus
from tests.factories import decide, decision_letter, register, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    new_events,
    persona,
    refused,
    step_numbers,
)

NOT_HEAD = (
    "Langkah 10 (Persetujuan keputusan) dikerjakan oleh Kepala Balai; Anda tidak berperan itu."
)
HEAD_INVOLVED = (
    "Anda terlibat dalam kegiatan atau keluhan semula sehingga tidak dapat menyetujui "
    "keputusan banding ini (ISO/IEC 17025 7.9.6)."
)
OTHERS = ["staff", "lead", "auditor", "admin", "tech", "panel_1"]
CUSTOMERS = ["customer", "customer_other"]


NO_DECISION_LETTER = (
    "Langkah 10 (Persetujuan keputusan) belum dapat diselesaikan: Keputusan penyelesaian "
    "banding belum terbit. Output langkah ini wajib ada sebelum langkah diselesaikan."
)


@pytest.fixture
def appeal(p):
    return walk(p, register(p), 10)


@pytest.fixture
def signed(p, appeal):
    """The decision letter the head signed at step 10."""
    return decision_letter(p, appeal)


def approve(p, appeal, **overrides):
    fields = dict(appeal=appeal, user=p.head, disposition="Segera tindak lanjuti.")
    fields.update(overrides)
    return services.decision_approve(**fields)


def send_back(p, appeal, **overrides):
    fields = dict(appeal=appeal, user=p.head, reasons="Notulen belum memuat dasar keputusan.")
    fields.update(overrides)
    return services.decision_return(**fields)


# --- approval ------------------------------------------------------------------------------


def test_the_head_approves_and_dispositions_to_the_ketua_tim(p, appeal, signed):
    events = Event.objects.count()

    approve(p, appeal, disposition="  Segera tindak lanjuti. ")

    assert_stands_at(appeal, 11)
    assert appeal.decision_approved_at is not None
    assert appeal.decision == "diterima_sebagian"  # what the panel decided stays
    step = assert_completed(appeal, 10, by=p.head, outcome="approved")
    assert step.data == {
        "disposition": "Segera tindak lanjuti.",
        "to": ["Ketua Tim PJTK", "Bagian/Tim Teknis"],
        "outputs": [
            {
                "kind": "keputusan",
                "letter": str(signed.public_id),
                "number": signed.number,
                "sha256": signed.sha256,
            }
        ],
    }
    assert new_events(events) == ["step.10.approved"]
    assert Event.objects.last().summary == "Keputusan disetujui Kepala Balai dan didisposisikan"


def test_approval_needs_the_signed_decision_letter_and_nothing_is_written(p, appeal):
    error = refused(lambda: approve(p, appeal), Conflict, NO_DECISION_LETTER, "output_missing")

    assert error.fields == {"outputs": ["keputusan"]}


def test_approval_needs_a_disposition(p, appeal):
    message = "Isi disposisi wajib diisi."

    error = refused(lambda: approve(p, appeal, disposition=" "), Invalid, message, "invalid")

    assert error.fields == {"disposition": [message]}


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_may_not_approve(p, appeal, who):
    refused(lambda: approve(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role")


@pytest.mark.parametrize("who", CUSTOMERS)
def test_customers_may_not_approve(p, appeal, who):
    refused(lambda: approve(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role")


def test_an_involved_head_may_not_approve(p):
    appeal = walk(p, register(p, involved=[p.head]), 10)

    refused(lambda: approve(p, appeal), Forbidden, HEAD_INVOLVED, "involved_person")


def test_the_head_may_not_approve_twice(p, appeal, signed):
    approve(p, appeal)

    refused(
        lambda: approve(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 11 (Disposisi ke staff PJTK), "
        "bukan langkah 10 (Persetujuan keputusan).",
        "wrong_step",
    )


def test_the_head_may_not_approve_before_the_panel_decides(p):
    appeal = walk(p, register(p), 9)

    refused(
        lambda: approve(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 9 (Rapat panel dan keputusan), "
        "bukan langkah 10 (Persetujuan keputusan).",
        "wrong_step",
    )


def test_the_head_may_not_approve_a_closed_appeal(p):
    appeal = walk(p, register(p), 13)

    refused(
        lambda: approve(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; langkah 10 (Persetujuan keputusan) tidak dapat "
        "dikerjakan lagi.",
        "appeal_closed",
    )


# --- return to the panel -------------------------------------------------------------------


def test_the_head_returns_the_decision_and_step_9_opens_again(p, appeal):
    events = Event.objects.count()
    first_meeting = appeal.steps.get(number=9)

    send_back(p, appeal)

    assert_stands_at(appeal, 9)
    assert (appeal.decision, appeal.decision_remedy, appeal.decision_approved_at) == ("", "", None)
    step = assert_completed(appeal, 10, by=p.head, outcome="returned")
    assert step.data == {
        "reasons": "Notulen belum memuat dasar keputusan.",
        "returned_decision": "diterima_sebagian",
        "withdrawn": [],
    }
    assert new_events(events) == ["step.10.returned"]
    assert Event.objects.last().summary == "Keputusan dikembalikan kepada Tim Panel"
    # History is kept: the first meeting is untouched and a new occurrence is open.
    assert step_numbers(appeal) == [1, 2, 3, 5, 6, 7, 9, 10, 9]
    meetings = list(appeal.steps.filter(number=9).order_by("pk"))
    assert len(meetings) == 2
    first_meeting_now = meetings[0]
    assert (first_meeting_now.outcome, first_meeting_now.data) == (
        first_meeting.outcome,
        first_meeting.data,
    )
    assert first_meeting_now.completed_at == first_meeting.completed_at
    assert (meetings[1].completed_at, meetings[1].outcome) == (None, "")


def test_returning_withdraws_the_signed_decision_letter(p, appeal, signed, client):
    events = Event.objects.count()

    send_back(p, appeal)

    signed.refresh_from_db()
    assert signed.status == LetterStatus.WITHDRAWN
    assert signed.withdrawn_by == p.head
    assert signed.withdrawal_reason == (
        "Keputusan dikembalikan kepada Tim Panel Banding: Notulen belum memuat dasar keputusan."
    )
    assert new_events(events) == ["letter.withdrawn", "step.10.returned"]
    assert appeal.steps.get(number=10).data["withdrawn"] == [str(signed.public_id)]
    page = client.get(reverse("verification", args=[signed.verification_code]))
    assert "Dicabut" in page.content.decode()
    assert "Berlaku" not in page.content.decode()
    client.force_login(p.customer)
    download = reverse("letters:download", args=[appeal.public_id, signed.public_id])
    assert client.get(download).status_code == 404


def test_the_next_decision_gets_a_new_letter_with_a_new_number(p, appeal, signed):
    send_back(p, appeal)
    decide(p, appeal)
    appeal.refresh_from_db()

    again = decision_letter(p, appeal)

    assert again.number != signed.number
    assert again.occurrence_id != signed.occurrence_id
    assert again.status == LetterStatus.ISSUED


def test_a_draft_decision_letter_is_discarded_when_the_decision_is_returned(p, appeal):
    from banding.letters import services as letters

    draft = letters.letter_draft(appeal=appeal, user=p.head, kind="keputusan")

    send_back(p, appeal)

    assert not type(draft).objects.filter(pk=draft.pk).exists()


def test_a_returned_decision_is_decided_again_and_then_approved(p, appeal):
    appeal = walk(p, send_back(p, appeal), 10)

    decision_letter(p, appeal)
    approve(p, appeal)

    assert_stands_at(appeal, 11)
    assert step_numbers(appeal) == [1, 2, 3, 5, 6, 7, 9, 10, 9, 10, 11]
    outcomes = list(appeal.steps.filter(number=10).order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["returned", "approved"]


def test_return_needs_reasons(p, appeal):
    message = "Alasan pengembalian wajib diisi."

    error = refused(lambda: send_back(p, appeal, reasons=""), Invalid, message, "invalid")

    assert error.fields == {"reasons": [message]}


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_may_not_return(p, appeal, who):
    refused(
        lambda: send_back(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role"
    )


@pytest.mark.parametrize("who", CUSTOMERS)
def test_customers_may_not_return(p, appeal, who):
    refused(
        lambda: send_back(p, appeal, user=persona(p, who)), Forbidden, NOT_HEAD, "not_your_role"
    )


def test_an_involved_head_may_not_return(p):
    appeal = walk(p, register(p, involved=[p.head]), 10)

    refused(lambda: send_back(p, appeal), Forbidden, HEAD_INVOLVED, "involved_person")


def test_the_head_may_not_return_an_approved_decision(p, appeal, signed):
    approve(p, appeal)

    refused(
        lambda: send_back(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 11 (Disposisi ke staff PJTK), "
        "bukan langkah 10 (Persetujuan keputusan).",
        "wrong_step",
    )
