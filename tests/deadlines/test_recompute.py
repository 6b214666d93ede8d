"""A calendar change moves the deadlines of the open steps it affects, with an event on each
appeal that moved; completed steps keep what they recorded."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.appeals.calendar import override_add, override_remove
from banding.appeals.models import Appeal, Step
from banding.appeals.recompute import deadlines_recompute
from banding.appeals.sla import sla_sweep
from banding.audit.models import Event
from banding.errors import Forbidden
from banding.notifications.models import Kind, Notification
from banding.workdays.calendar import current_calendar, load_calendar
from banding.workdays.models import CalendarOverride, OverrideKind
from tests.deadlines.conftest import wib
from tests.factories import register, walk

WED_25_MARCH = date(2026, 3, 25)
CLOSED = (
    "Jatuh tempo langkah {n} bergeser dari Rabu, 25 Maret 2026 10:00 WIB ke Kamis, "
    "26 Maret 2026 10:00 WIB: Rabu, 25 Maret 2026 ditetapkan tutup (Penutupan balai)"
)
REOPENED = (
    "Jatuh tempo langkah {n} bergeser dari Kamis, 26 Maret 2026 10:00 WIB ke Rabu, "
    "25 Maret 2026 10:00 WIB: pengecualian kalender Rabu, 25 Maret 2026 dicabut"
)


def moved_events(appeal: Appeal) -> list[Event]:
    return list(Event.objects.filter(appeal=appeal, action="deadline.moved").order_by("id"))


def snapshot(appeal: Appeal) -> list[tuple]:
    return list(
        appeal.steps.order_by("id").values_list(
            "number", "due_at", "at_risk_at", "completed_at", "working_minutes", "within_standard"
        )
    )


@pytest.fixture
def appeals(p, clock):
    """Appeals started on Tuesday 17 March 10:00, whose 1-day steps are due on 25 March."""
    clock(wib(2026, 3, 16, 15, 55))
    # Step 11 (15 menit) due Tuesday 17 March 07:40: never reaches the 25th.
    early = walk(p, register(p), 11)
    clock(wib(2026, 3, 17, 10, 0))
    verifying = register(p)  # step 3 open
    proposing = walk(p, register(p), 5)  # step 3 done (due the 25th), step 5 open
    closed = walk(p, register(p), 13)  # every step done
    clock(wib(2026, 3, 20, 9, 0))  # the administrator acts on a day off, before the 25th
    return {"early": early, "verifying": verifying, "proposing": proposing, "closed": closed}


def test_an_added_closure_moves_the_open_deadlines_it_crosses(p, appeals):
    verifying, proposing = appeals["verifying"], appeals["proposing"]
    done_step_3 = proposing.steps.get(number=3)
    untouched = {k: snapshot(appeals[k]) for k in ("early", "closed")}

    override_add(
        actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Penutupan balai"
    )

    for appeal, number in ((verifying, 3), (proposing, 5)):
        appeal.refresh_from_db()
        step = appeal.steps.get(completed_at__isnull=True)
        assert step.number == number
        assert (step.due_at, step.at_risk_at) == (wib(2026, 3, 26, 10, 0), wib(2026, 3, 26, 7, 53))
        assert (appeal.current_due_at, appeal.current_at_risk_at) == (
            step.due_at,
            step.at_risk_at,
        )
        [event] = moved_events(appeal)
        assert event.summary == CLOSED.format(n=number)
        assert (event.actor, event.step, event.public) == (p.admin, number, True)
        assert event.data["reason"] == "Rabu, 25 Maret 2026 ditetapkan tutup (Penutupan balai)"
    # A completed step keeps the deadline and the measure of its day.
    step_3 = proposing.steps.get(number=3)
    assert (step_3.due_at, step_3.working_minutes, step_3.within_standard) == (
        done_step_3.due_at,
        done_step_3.working_minutes,
        done_step_3.within_standard,
    )
    assert {k: snapshot(appeals[k]) for k in ("early", "closed")} == untouched
    assert not Event.objects.filter(action="deadline.moved", appeal=appeals["early"]).exists()
    assert not Event.objects.filter(action="deadline.moved", appeal=appeals["closed"]).exists()


def test_removing_the_closure_moves_them_back(p, appeals):
    verifying = appeals["verifying"]
    before = snapshot(verifying)
    override = override_add(
        actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Penutupan balai"
    )
    override_remove(actor=p.admin, override=override)
    assert snapshot(verifying) == before
    verifying.refresh_from_db()
    assert verifying.current_due_at == wib(2026, 3, 25, 10, 0)
    assert [e.summary for e in moved_events(verifying)] == [
        CLOSED.format(n=3),
        REOPENED.format(n=3),
    ]
    assert moved_events(appeals["proposing"])[-1].summary == REOPENED.format(n=5)


def test_a_worked_holiday_brings_deadlines_forward(p, appeals):
    # Cuti bersama on Tuesday 24 March cancelled: the 1-day steps are due that day instead.
    override_add(actor=p.admin, day=date(2026, 3, 24), kind=OverrideKind.WORKING, reason="SKB")
    appeals["verifying"].refresh_from_db()
    assert appeals["verifying"].current_due_at == wib(2026, 3, 24, 10, 0)
    [event] = moved_events(appeals["verifying"])
    assert event.summary == (
        "Jatuh tempo langkah 3 bergeser dari Rabu, 25 Maret 2026 10:00 WIB ke Selasa, "
        "24 Maret 2026 10:00 WIB: Selasa, 24 Maret 2026 ditetapkan hari kerja (SKB)"
    )


def test_the_cached_calendar_follows_after_commit(p, appeals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        override_add(
            actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Penutupan balai"
        )
    assert not current_calendar().is_working_day(WED_25_MARCH)
    # A step opened after the change counts on the new calendar too.
    fresh = register(p)  # on Friday 20 March, a holiday: counted from Thursday 26th 07:30
    assert fresh.current_due_at == wib(2026, 3, 27, 7, 30)


def test_a_refused_change_moves_nothing(p, appeals):
    before = snapshot(appeals["verifying"])
    with pytest.raises(Forbidden):
        override_add(actor=p.head, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Tutup")
    assert snapshot(appeals["verifying"]) == before
    assert not CalendarOverride.objects.exists()
    assert not Event.objects.filter(action="deadline.moved").exists()


def test_a_notice_stays_when_its_instant_did_not_move_later(p, clock):
    clock(wib(2026, 3, 2, 9, 0))
    appeal = walk(p, register(p), 7)  # due 21 April 09:00, at risk 9 April 13:38
    step = appeal.steps.get(completed_at__isnull=True)
    notified = clock(wib(2026, 4, 9, 13, 40))
    # What the sweep leaves behind once it has sent the at-risk notice.
    Step.objects.filter(pk=step.pk).update(at_risk_notified_at=notified)

    # A closure ahead moves the due instant, not the at-risk one: 75% of 30 working days
    # is still reached on 9 April.
    override = override_add(
        actor=p.admin, day=date(2026, 4, 20), kind=OverrideKind.CLOSED, reason="Penutupan balai"
    )
    step.refresh_from_db()
    assert (step.due_at, step.at_risk_at) == (wib(2026, 4, 22, 9, 0), wib(2026, 4, 9, 13, 38))
    assert step.at_risk_notified_at == notified

    override_remove(actor=p.admin, override=override)
    step.refresh_from_db()
    assert step.due_at == wib(2026, 4, 21, 9, 0)
    assert step.at_risk_notified_at == notified


def test_an_overdue_notice_is_cleared_when_the_deadline_moves_past_it(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    clock(wib(2026, 3, 25, 10, 5))
    Step.objects.filter(pk=step.pk).update(
        at_risk_notified_at=wib(2026, 3, 25, 7, 55), overdue_notified_at=wib(2026, 3, 25, 10, 1)
    )
    # Closed after the fact (an institute closure decided that morning).
    override_add(actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Banjir")
    step = Step.objects.get(pk=step.pk)
    assert step.due_at == wib(2026, 3, 26, 10, 0)
    assert (step.at_risk_notified_at, step.overdue_notified_at) == (None, None)


def test_only_steps_counted_across_the_changed_day_are_read(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    for _ in range(3):
        register(p)
    calendar = load_calendar()
    # The open steps started after 2 March and are due before 4 May: one read, no lock,
    # no write.
    for day in (date(2026, 3, 2), date(2026, 5, 4)):
        with CaptureQueriesContext(connection) as captured:
            assert deadlines_recompute(calendar=calendar, actor=p.admin, reason="-", day=day) == []
        assert len([q for q in captured if "SAVEPOINT" not in q["sql"]]) == 1


def test_recompute_without_a_day_rechecks_every_open_step(p, clock, settings):
    clock(wib(2026, 3, 2, 9, 0))
    appeal = walk(p, register(p), 7)
    # A settings change ("maks. 30 hari" now in calendar days) is not tied to one date.
    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True
    [step] = deadlines_recompute(calendar=load_calendar(), actor=None, reason="setelan berubah")
    assert step.due_at == wib(2026, 4, 1, 9, 0)
    [event] = moved_events(appeal)
    assert event.actor is None
    assert event.summary.endswith(": setelan berubah")


def test_a_moved_deadline_is_told_again_with_a_renewed_notice(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    clock(wib(2026, 3, 25, 10, 5))
    sla_sweep()
    notice = Notification.objects.get(recipient=p.lead, step=step, kind=Kind.STEP_OVERDUE)
    notice.read_at = wib(2026, 3, 25, 10, 6)
    notice.save(update_fields=["read_at"])

    # Closed after the fact: the deadline moves to Thursday and passes again then.
    override_add(actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Banjir")
    clock(wib(2026, 3, 26, 10, 1))
    sla_sweep()

    renewed = Notification.objects.get(recipient=p.lead, step=step, kind=Kind.STEP_OVERDUE)
    assert renewed.pk == notice.pk  # one notice per person, step and kind
    assert renewed.read_at is None
    assert "Kamis, 26 Maret 2026" in renewed.message
