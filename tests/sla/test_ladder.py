"""The escalation ladder (sop.ladder): a late Staff PJTK step escalates to the Ketua Tim PJTK
when it goes overdue, and to the Kepala Balai only when it is still open
BANDING_ESCALATION_HEAD_DELAY_DAYS working days later; a step of the Ketua Tim, the technical
team or the panel escalates straight to the head, once. Time is controlled with time-machine;
16–17 February 2026 are cuti bersama Imlek and Imlek (the work calendar's holidays)."""

from __future__ import annotations

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from banding.accounts.models import User
from banding.appeals.checks import escalation_settings_check
from banding.appeals.models import Step
from banding.appeals.sla import SweepResult, sla_sweep
from banding.audit.models import Event
from banding.notifications.digests import digest_sweep
from banding.notifications.models import Cadence, Digest, Kind, Mail, Notification
from banding.sop import definition as sop
from tests.factories import register, walk
from tests.sla.conftest import MINUTE, open_step, received

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def due_then(step: Step, due: datetime) -> Step:
    """The step falls due at `due` (never at risk before: the at-risk instant is the due)."""
    Step.objects.filter(pk=step.pk).update(due_at=due, at_risk_at=due)
    step.refresh_from_db()
    return step


def staff_step(p, due: datetime) -> Step:
    """An appeal at step 12 (Staff PJTK: ladder Ketua Tim PJTK, then Kepala Balai)."""
    return due_then(open_step(walk(p, register(p), 12)), due)


def head_escalations(step: Step):
    return Notification.objects.filter(
        step=step, kind=Kind.ESCALATION, recipient__username="kepala"
    )


def test_the_ladder_is_read_from_the_sop_definition():
    assert sop.ladder(sop.Actor.STF) == (sop.Actor.KTP, sop.Actor.KAB)
    for actor in (sop.Actor.KTP, sop.Actor.TEK, sop.Actor.TPB):
        assert sop.ladder(actor) == (sop.Actor.KAB,)
    assert sop.ladder(sop.Actor.KAB) == sop.ladder(sop.Actor.PEL) == ()


def test_the_lead_first_then_the_head_one_working_day_later_across_a_weekend_and_holidays(p, clock):
    # Due Friday 13 February 2026 15:00; one working day later is Wednesday 18 at 15:00: the
    # weekend, Monday 16 (cuti bersama Imlek) and Tuesday 17 (Imlek) do not count.
    step = staff_step(p, wib(2026, 2, 13, 15, 0))
    clock(wib(2026, 2, 13, 15, 0))
    assert sla_sweep() == SweepResult(overdue=1)
    assert received(step, Kind.STEP_OVERDUE) == {"staff"}
    assert received(step, Kind.ESCALATION) == {"ketua"}
    step.refresh_from_db()
    assert step.head_escalation_due_at == wib(2026, 2, 18, 15, 0)
    assert step.head_escalated_at is None

    for at in (
        wib(2026, 2, 14, 10, 0),
        wib(2026, 2, 16, 15, 0),
        wib(2026, 2, 17, 15, 0),
        wib(2026, 2, 18, 15, 0) - MINUTE,
    ):
        clock(at)
        assert sla_sweep() == SweepResult(), at
        assert not head_escalations(step).exists(), at

    clock(wib(2026, 2, 18, 15, 0))
    assert sla_sweep() == SweepResult(escalated=1)
    assert sla_sweep() == SweepResult()  # never twice
    clock(wib(2026, 3, 2, 9, 0))
    assert sla_sweep() == SweepResult()

    assert received(step, Kind.ESCALATION) == {"ketua", "kepala"}
    notice = head_escalations(step).get()
    assert notice.digest_pending  # the head's daily digest carries it
    assert notice.message == (
        f"Eskalasi lanjutan: langkah 12 (Penyampaian keputusan dan pengarsipan) banding "
        f"{step.appeal.number}, pelaksana Staff PJTK, terlambat sejak Jumat, 13 Februari 2026 "
        "pukul 15:00 WIB dan belum selesai walaupun sudah dieskalasi kepada Ketua Tim PJTK "
        "sejak Jumat, 13 Februari 2026 pukul 15:00 WIB."
    )
    step.refresh_from_db()
    assert step.head_escalated_at == wib(2026, 2, 18, 15, 0)
    event = Event.objects.get(action="deadline.escalated")
    assert (event.appeal_id, event.step, event.actor, event.public) == (
        step.appeal_id,
        12,
        None,
        False,
    )
    assert event.summary == (
        "Eskalasi lanjutan: langkah 12 (Penyampaian keputusan dan pengarsipan) terlambat "
        "sejak Jumat, 13 Februari 2026 pukul 15:00 WIB, dieskalasi kepada Ketua Tim PJTK "
        "sejak Jumat, 13 Februari 2026 pukul 15:00 WIB, kini kepada Kepala Balai"
    )
    assert event.data["rung"] == "KAB" and event.data["before"] == "KTP"
    assert event.data["escalated_to"] == 1


def test_the_delay_is_counted_from_the_overdue_notice_in_working_days(p, clock, settings):
    settings.BANDING_ESCALATION_HEAD_DELAY_DAYS = "2"
    # Found overdue by the sweep on Thursday 12 February 10:00 (due the day before: the
    # sweep was down): two working days from the notice are Friday 13 and Wednesday 18.
    step = staff_step(p, wib(2026, 2, 11, 10, 0))
    clock(wib(2026, 2, 12, 10, 0))
    assert sla_sweep() == SweepResult(overdue=1)
    step.refresh_from_db()
    assert step.head_escalation_due_at == wib(2026, 2, 18, 10, 0)

    clock(wib(2026, 2, 18, 9, 59))
    assert sla_sweep() == SweepResult()
    clock(wib(2026, 2, 18, 10, 0))
    assert sla_sweep() == SweepResult(escalated=1)


def test_a_step_completed_before_the_delay_never_reaches_the_head(p, clock):
    step = staff_step(p, wib(2026, 2, 13, 15, 0))
    clock(wib(2026, 2, 13, 15, 0))
    sla_sweep()
    clock(wib(2026, 2, 18, 9, 0))
    walk(p, step.appeal, 13)  # the staff completes step 12 before Wednesday 15:00

    clock(wib(2026, 2, 18, 15, 0))
    assert sla_sweep() == SweepResult()
    clock(wib(2026, 2, 25, 15, 0))
    assert sla_sweep() == SweepResult()

    assert received(step, Kind.ESCALATION) == {"ketua"}
    assert not Event.objects.filter(action="deadline.escalated").exists()


@pytest.mark.parametrize("number", [3, 5, 7])
def test_a_lead_team_or_panel_step_escalates_straight_to_the_head_once(p, clock, number):
    step = due_then(open_step(walk(p, register(p), number)), wib(2026, 2, 13, 15, 0))
    clock(wib(2026, 2, 13, 15, 0))
    assert sla_sweep() == SweepResult(overdue=1)
    assert received(step, Kind.ESCALATION) == {"kepala"}
    step.refresh_from_db()
    assert step.head_escalation_due_at is None  # one rung only

    clock(wib(2026, 3, 2, 9, 0))
    assert sla_sweep() == SweepResult()
    assert head_escalations(step).count() == 1
    assert not Event.objects.filter(action="deadline.escalated").exists()


def test_a_head_who_also_leads_the_team_is_not_told_twice(p, clock):
    from django.contrib.auth.models import Group

    from banding.accounts.roles import Role

    p.head.groups.add(Group.objects.get(name=Role.PJTK_LEAD))
    step = staff_step(p, wib(2026, 2, 13, 15, 0))
    clock(wib(2026, 2, 13, 15, 0))
    sla_sweep()
    clock(wib(2026, 2, 18, 15, 0))

    assert sla_sweep() == SweepResult(escalated=1)  # the ladder moves on (and is recorded)

    assert head_escalations(step).count() == 1  # the first rung's notice, not renewed
    assert "Eskalasi lanjutan" not in head_escalations(step).get().message
    assert Event.objects.get(action="deadline.escalated").data["escalated_to"] == 0


def test_the_heads_daily_digest_lists_the_second_rung_once(p, clock):
    for user in (p.staff, p.lead, p.head):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@balai.example.go.id")
    steps = [staff_step(p, wib(2026, 2, 13, 15, 0)) for _ in range(3)]
    clock(wib(2026, 2, 13, 15, 0))
    sla_sweep()
    digest_sweep()
    assert not Mail.objects.filter(kind="digest", to_user=p.head).exists()

    clock(wib(2026, 2, 18, 15, 0))
    sla_sweep()
    digest_sweep()
    clock(wib(2026, 2, 19, 8, 0))  # BANDING_DIGEST_HEAD_TIME, the next working day
    sla_sweep()
    digest_sweep()

    (mail,) = Mail.objects.filter(kind="digest", to_user=p.head)
    assert mail.context["cadence"] == Cadence.DAILY
    assert sorted(item["number"] for item in mail.context["items"]) == sorted(
        s.appeal.number for s in steps
    )
    assert Digest.objects.filter(recipient=p.head).count() == 1


def test_a_deadline_moved_past_its_notice_starts_the_ladder_again(p, clock):
    from banding.appeals.recompute import deadlines_recompute
    from banding.workdays.calendar import load_calendar

    step = open_step(walk(p, register(p), 12))
    # Due (wrongly) a minute after it opened: the recompute moves it to its true deadline.
    step = due_then(step, step.started_at + MINUTE)
    clock(step.due_at)
    sla_sweep()
    step.refresh_from_db()
    assert step.head_escalation_due_at is not None

    (_moved,) = deadlines_recompute(calendar=load_calendar(), actor=None, reason="Uji")

    step.refresh_from_db()
    assert step.due_at > step.started_at + MINUTE
    assert step.overdue_notified_at is None
    assert step.head_escalation_due_at is None and step.head_escalated_at is None


@pytest.mark.parametrize("value", ["0", "-1", "satu", "", "1.5"])
def test_a_delay_that_makes_no_sense_is_refused_at_start_up(settings, value):
    settings.BANDING_ESCALATION_HEAD_DELAY_DAYS = value
    (error,) = escalation_settings_check(None)
    assert error.id == "banding.E110"
    assert error.msg.startswith("BANDING_ESCALATION_HEAD_DELAY_DAYS harus")
    with pytest.raises(SystemCheckError, match="BANDING_ESCALATION_HEAD_DELAY_DAYS harus"):
        call_command("check")


def test_a_sensible_delay_passes_the_check(settings):
    settings.BANDING_ESCALATION_HEAD_DELAY_DAYS = " 3 "
    assert escalation_settings_check(None) == []


def test_the_migration_backfills_open_steps_already_told_overdue(p, clock):
    """Open Staff PJTK steps told overdue before the upgrade get their head escalation due at
    that notice; completed steps and one-rung steps are left alone."""
    told = wib(2026, 2, 3, 9, 0)
    staff = staff_step(p, wib(2026, 2, 2, 9, 0))
    lead = due_then(open_step(register(p)), wib(2026, 2, 2, 9, 0))
    quiet = staff_step(p, wib(2026, 2, 20, 9, 0))
    Step.objects.filter(pk__in=[staff.pk, lead.pk]).update(overdue_notified_at=told)
    done = Step.objects.filter(completed_at__isnull=False, number=3).first()
    assert done is not None
    Step.objects.filter(pk=done.pk).update(overdue_notified_at=told)

    migration = importlib.import_module("banding.appeals.migrations.0011_escalation_ladder")
    migration.backfill(apps, None)

    due = dict(
        Step.objects.filter(pk__in=[staff.pk, lead.pk, quiet.pk, done.pk]).values_list(
            "pk", "head_escalation_due_at"
        )
    )
    assert due == {staff.pk: told, lead.pk: None, quiet.pk: None, done.pk: None}
    clock(wib(2026, 2, 3, 10, 0))
    assert sla_sweep() == SweepResult(escalated=1)  # the staff step; `quiet` is not due
    assert received(staff, Kind.ESCALATION) == {"kepala"}
