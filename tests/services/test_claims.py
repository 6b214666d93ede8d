"""Issue 18 item 4: a step shared by several people is taken (Saya kerjakan) and released
(Lepaskan); refusals (not the user's role, already taken, closed, the panel's step, released
by someone else) write nothing."""

from __future__ import annotations

import pytest

from banding.accounts.roles import Role
from banding.appeals import claims, services
from banding.appeals.models import Appeal, Step
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden
from banding.formats import format_wib
from tests.factories import Personas, make_user, not_relevant, register, walk
from tests.portal.helpers import submit
from tests.state import new_events, open_step, refused

NOT_STAFF = (
    "Langkah 2 (Penerimaan dan pencatatan) dikerjakan oleh Staff PJTK; Anda tidak berperan itu."
)


@pytest.fixture
def staf2(p: Personas):
    return make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")


def take(appeal: Appeal, user, number: int | None = None) -> Step:
    return services.step_take(appeal=appeal, user=user, number=number)


def release(appeal: Appeal, user, number: int | None = None) -> Step:
    return services.step_release(appeal=appeal, user=user, number=number)


def test_the_staff_takes_a_shared_step_and_the_event_says_who(p, staf2):
    appeal = submit(p)  # step 2: every Staff PJTK's turn
    events = Event.objects.count()

    step = take(appeal, p.staff, 2)

    stored = open_step(appeal)
    assert (stored.pk, stored.taken_by, stored.taken_at) == (step.pk, p.staff, step.taken_at)
    event = Event.objects.get(action="step.taken")
    assert (event.actor, event.step, event.public) == (p.staff, 2, False)
    assert event.summary == "Staff mengerjakan langkah 2 (Penerimaan dan pencatatan)."
    assert new_events(events) == ["step.taken"]
    # The other staff sees it taken and may not take it; the taker may release it.
    theirs = claims.claim_of(staf2, appeal, stored)
    assert (theirs.taken_by, theirs.mine, theirs.may_take, theirs.may_release) == (
        p.staff,
        False,
        False,
        False,
    )
    mine = claims.claim_of(p.staff, appeal, stored)
    assert (mine.mine, mine.may_take, mine.may_release) == (True, False, True)


def test_a_step_taken_by_someone_else_is_refused_naming_them(p, staf2):
    appeal = submit(p)
    step = take(appeal, staf2)

    refused(
        lambda: take(appeal, p.staff, 2),
        Conflict,
        "Langkah 2 (Penerimaan dan pencatatan) sudah dikerjakan oleh Maria Ulfa sejak "
        f"{format_wib(step.taken_at)}.",
        "already_taken",
    )
    refused(
        lambda: take(appeal, staf2),
        Conflict,
        "Anda sudah mengerjakan langkah 2 (Penerimaan dan pencatatan).",
        "taken_by_you",
    )


def test_a_step_of_another_role_or_of_the_panel_is_not_taken(p):
    appeal = submit(p)
    refused(
        lambda: take(appeal, p.lead),
        Forbidden,
        NOT_STAFF,
        "not_your_role",
    )
    refused(
        lambda: take(appeal, p.customer),
        Forbidden,
        NOT_STAFF,
        "not_your_role",
    )
    verifying = register(p)
    refused(
        lambda: take(verifying, p.lead),
        Conflict,
        "Langkah 3 (Verifikasi kelengkapan dan relevansi) adalah giliran Ketua Tim PJTK sendiri, "
        "bukan giliran bersama beberapa orang; langkah ini tidak perlu diambil.",
        "not_shared",
    )
    panel = walk(p, register(p), 7)
    refused(
        lambda: take(panel, p.panel[0]),
        Conflict,
        "Langkah 7 (Investigasi banding) dikerjakan bersama oleh Tim Panel Banding; langkah "
        "ini tidak diambil satu orang.",
        "not_shared",
    )


def test_the_technical_team_takes_its_step_and_other_teams_may_not(p):
    appeal = walk(p, register(p), 5)
    refused(
        lambda: take(appeal, p.tech_other),
        Forbidden,
        "Langkah 5 (Usulan Tim Panel Banding) dikerjakan oleh anggota Bagian/Tim Teknis yang "
        "dituju banding ini; Anda tidak berperan itu.",
        "not_your_role",
    )
    assert take(appeal, p.tech, 5).taken_by == p.tech


def test_a_closed_appeal_or_a_step_already_passed_is_refused(p):
    appeal = submit(p)
    refused(
        lambda: take(appeal, p.staff, 4),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 2 (Penerimaan dan pencatatan), bukan "
        "langkah 4 (Surat penolakan banding).",
        "wrong_step",
    )
    closed = walk(p, register(p), 13)
    assert closed.current_step is None
    refused(
        lambda: take(closed, p.staff),
        Conflict,
        f"Banding {closed.number} sudah selesai; langkahnya tidak dapat diambil lagi.",
        "appeal_closed",
    )


def test_the_taker_releases_and_the_step_is_nobodys_again(p, staf2):
    appeal = submit(p)
    take(appeal, p.staff)
    events = Event.objects.count()

    step = release(appeal, p.staff, 2)

    assert step.taken_by is None
    assert open_step(appeal).taken_by_id is None and open_step(appeal).taken_at is None
    event = Event.objects.get(action="step.released")
    assert event.summary == "Staff melepaskan langkah 2 (Penerimaan dan pencatatan)."
    assert event.data == {"number": 2, "taken_by": str(p.staff.public_id)}
    assert new_events(events) == ["step.released"]
    assert take(appeal, staf2).taken_by == staf2  # free for the others again


def test_only_the_taker_the_supervisor_or_the_head_release(p, staf2):
    appeal = submit(p)
    take(appeal, staf2)
    refused(
        lambda: release(appeal, p.staff),
        Forbidden,
        "Langkah 2 (Penerimaan dan pencatatan) dikerjakan oleh Maria Ulfa; hanya dia, atasannya "
        "atau Kepala Balai yang dapat melepaskannya.",
        "not_taker",
    )
    release(appeal, p.lead)  # Staff PJTK's late steps escalate to the Ketua Tim PJTK
    assert Event.objects.get(action="step.released").summary == (
        "Ketua melepaskan langkah 2 (Penerimaan dan pencatatan) yang dikerjakan oleh Maria Ulfa."
    )
    take(appeal, staf2)
    release(appeal, p.head)
    refused(
        lambda: release(appeal, staf2),
        Conflict,
        "Langkah 2 (Penerimaan dan pencatatan) tidak sedang dikerjakan siapa pun.",
        "not_taken",
    )


def test_another_may_still_act_and_completing_ends_the_claim(p, staf2):
    """Taking is a signal, not a lock: B completes A's step; the next step opens untaken and
    the completed one keeps who had it."""
    appeal = submit(p)
    take(appeal, staf2)
    services.appeal_record(appeal=appeal, user=p.staff, no_involved_reason="Tidak ada.")
    appeal.refresh_from_db()
    assert appeal.current_step == 3
    done = appeal.steps.get(number=2)
    assert (done.taken_by, done.completed_by) == (staf2, p.staff)
    assert open_step(appeal).taken_by is None


def test_the_steps_of_the_roles_several_people_share_can_be_taken(p):
    assert {"STF", "TEK"} == claims.SHARED_ACTORS
    rejected = not_relevant(p, register(p))  # step 4: the Staff PJTK deliver the rejection
    assert rejected.current_step == 4
    assert take(rejected, p.staff, 4).number == 4


def test_the_audit_log_lists_the_claim_events_once_under_step():
    from banding.audit.forms import action_choices

    values = [value for value, _ in action_choices()]
    assert len(values) == len(set(values))
    assert {"step", "step.taken", "step.released"} <= set(values)
