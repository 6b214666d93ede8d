"""The customer's milestones of an appeal (banding.appeals.progress): which are done, which is
current and when it is expected, on the panel path, the rejection path and after a decision
returned to the panel."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from banding.appeals import progress, services
from banding.appeals.deadlines import deadline_for
from banding.appeals.models import Channel, Decision
from banding.sop import definition as sop
from banding.sop.definition import Stage
from tests.factories import decide, register, rejection_letter, walk
from tests.portal.helpers import record, submit

PANEL_PATH = sop.stage_path()
REJECTION_PATH = sop.stage_path({3: sop.Result.NOT_RELEVANT})

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)  # Monday 10:00, office hours


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def rows(appeal):
    appeal.refresh_from_db()
    return progress.milestones_of(appeal, list(appeal.steps.all()))


def states(appeal) -> list[tuple[Stage, str]]:
    return [(r.stage, r.state) for r in rows(appeal)]


def shape(done: int, path=PANEL_PATH, *, closed: bool = False) -> list[tuple[Stage, str]]:
    """`done` milestones done, the next current (none when closed), the rest ahead."""
    out = []
    for i, stage in enumerate(path):
        if i < done:
            out.append((stage, "done"))
        elif i == done and not closed:
            out.append((stage, "current"))
        else:
            out.append((stage, "ahead"))
    return out


def test_a_submitted_appeal_is_received_and_waits_for_verification(p):
    appeal = submit(p)

    assert progress.stage_of(appeal) == Stage.DITERIMA
    assert progress.next_stage(appeal) == Stage.DIVERIFIKASI
    assert states(appeal) == shape(1)
    received = rows(appeal)[0]
    assert received.reached_at == NOW
    assert received.told == "Permohonan banding Anda telah kami terima."


@pytest.mark.parametrize(
    ("to_step", "stage", "done"),
    [
        (3, Stage.DITERIMA, 1),
        (5, Stage.DIVERIFIKASI, 2),
        (6, Stage.DIVERIFIKASI, 2),
        (7, Stage.PANEL_DIBENTUK, 3),
        (9, Stage.INVESTIGASI, 4),
        (10, Stage.RAPAT_PANEL, 5),
        (11, Stage.DIPUTUSKAN, 6),
        (12, Stage.DIPUTUSKAN, 6),
    ],
)
def test_each_step_of_the_panel_path_shows_its_milestones(p, to_step, stage, done):
    appeal = walk(p, register(p), to_step)

    assert progress.stage_of(appeal) == stage
    assert states(appeal) == shape(done)


def test_a_closed_appeal_has_every_milestone_done_with_its_date(p):
    appeal = walk(p, register(p), 99)

    assert progress.stage_of(appeal) == Stage.SELESAI
    assert progress.next_stage(appeal) is None
    assert progress.next_milestone_expected_at(appeal) is None
    assert states(appeal) == shape(7, closed=True)
    # Received when the letter arrived (an hour before the staff recorded it), the rest now.
    assert [r.reached_at for r in rows(appeal)] == [NOW - timedelta(hours=1)] + [NOW] * 6


def test_an_appeal_found_not_relevant_follows_the_rejection_path(p):
    appeal = services.appeal_verify(
        appeal=register(p), user=p.lead, checklist={}, relevant=False, reasons="Bukan banding."
    )

    assert progress.stage_of(appeal) == Stage.DIVERIFIKASI
    assert states(appeal) == shape(2, REJECTION_PATH)
    assert rows(appeal)[1].told == "Permohonan banding Anda telah diverifikasi."

    rejection_letter(p, appeal)
    appeal = services.appeal_reject(appeal=appeal, user=p.staff, delivered_at=NOW, channel="email")

    assert progress.stage_of(appeal) == Stage.DITOLAK
    assert states(appeal) == shape(3, REJECTION_PATH, closed=True)


def test_a_decision_returned_to_the_panel_puts_the_meeting_ahead_again(p, time_machine):
    appeal = walk(p, register(p), 10)
    appeal = services.decision_return(appeal=appeal, user=p.head, reasons="Belum jelas.")

    assert progress.stage_of(appeal) == Stage.INVESTIGASI
    assert states(appeal) == shape(4)

    later = NOW + timedelta(days=1)
    time_machine.move_to(later, tick=False)
    appeal = decide(
        p,
        appeal,
        meeting_at=later - timedelta(minutes=5),
        minutes="Rapat kedua.",
        decision=Decision.ACCEPTED,
        remedy="Uji ulang.",
    )

    assert states(appeal) == shape(5)
    assert rows(appeal)[4].reached_at == later  # the meeting held again counts


# --- the expected date of the next milestone -----------------------------------------------


def test_a_submission_is_expected_verified_the_next_working_day(p):
    appeal = submit(p)

    # Step 2 (15 minutes) from 10:00, then step 3 (1 working day).
    assert progress.next_milestone_expected_at(appeal) == datetime(2026, 3, 3, 10, 15, tzinfo=WIB)
    assert rows(appeal)[1].expected_at == datetime(2026, 3, 3, 10, 15, tzinfo=WIB)


def test_a_submission_on_friday_evening_is_expected_verified_on_tuesday(p, time_machine):
    time_machine.move_to(datetime(2026, 3, 6, 18, 0, tzinfo=WIB), tick=False)

    appeal = submit(p)

    # Step 2 starts counting at Monday 07:30; step 3 is one working day after 07:45.
    assert appeal.current_due_at == datetime(2026, 3, 9, 7, 45, tzinfo=WIB)
    assert progress.next_milestone_expected_at(appeal) == datetime(2026, 3, 10, 7, 45, tzinfo=WIB)


def test_the_panel_is_expected_after_proposal_and_appointment(p):
    appeal = walk(p, register(p), 5)

    # Step 5 (1 day) then step 6 (1 day) from Monday 10:00.
    assert progress.next_milestone_expected_at(appeal) == datetime(2026, 3, 4, 10, 0, tzinfo=WIB)


def test_the_closing_is_expected_after_disposition_and_delivery(p):
    appeal = walk(p, register(p), 11)

    assert progress.next_milestone_expected_at(appeal) == datetime(2026, 3, 2, 10, 30, tzinfo=WIB)


def test_the_investigation_is_expected_at_its_own_deadline(p):
    appeal = walk(p, register(p), 7)

    assert progress.next_milestone_expected_at(appeal) == appeal.current_due_at
    assert appeal.current_due_at == deadline_for(7, NOW).due_at


def test_an_expected_date_already_past_is_marked_late(p, time_machine):
    appeal = submit(p)
    time_machine.move_to(datetime(2026, 3, 4, 9, 0, tzinfo=WIB), tick=False)

    current = rows(appeal)[1]

    assert (current.state, current.late) == ("current", True)
    assert current.expected_at == datetime(2026, 3, 3, 10, 15, tzinfo=WIB)


def test_the_stage_of_a_recorded_submission_is_still_received(p):
    appeal = record(p, submit(p))

    assert appeal.channel == Channel.PORTAL
    assert progress.stage_of(appeal) == Stage.DITERIMA
    assert progress.next_milestone_expected_at(appeal) == appeal.current_due_at
