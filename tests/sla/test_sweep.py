"""The deadline sweep: at-risk reminders to the actor, overdue notices to the actor with an
escalation to the supervisor; once per step, never for completed steps, each an event."""

from __future__ import annotations

from django.contrib.auth.models import Group

from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Step
from banding.appeals.sla import SweepResult, sla_sweep, when
from banding.audit.models import Event
from banding.notifications.models import Kind, Notification
from banding.sop import definition as sop
from tests.factories import make_user, register, walk
from tests.sla.conftest import MINUTE, START, open_step, received, sweep_notices

PANEL = {"panel_1", "panel_2", "panel_3"}  # the seats walk() appoints


def test_at_risk_reminds_the_actor_once_with_an_event(p, clock):
    appeal = register(p)
    step = open_step(appeal)
    assert step.number == 3

    clock(step.at_risk_at - MINUTE)
    assert sla_sweep() == SweepResult()
    assert not sweep_notices().exists()

    clock(step.at_risk_at)
    assert sla_sweep() == SweepResult(at_risk=1)
    assert sla_sweep() == SweepResult()  # never twice

    notice = sweep_notices().get()
    assert notice.recipient == p.lead
    assert notice.kind == Kind.STEP_AT_RISK
    assert (notice.appeal, notice.step) == (appeal, step)
    assert notice.message == (
        f"Langkah 3 (Verifikasi kelengkapan dan relevansi) banding {appeal.number} hampir "
        "jatuh tempo: batas waktunya Rabu, 4 Februari 2026 pukul 09:00 WIB."
    )
    step.refresh_from_db()
    assert step.at_risk_notified_at == step.at_risk_at
    assert step.overdue_notified_at is None
    event = Event.objects.get(action="deadline.at_risk")
    assert (event.appeal, event.step, event.actor, event.public) == (appeal, 3, None, False)
    assert event.summary == (
        "Pengingat: langkah 3 (Verifikasi kelengkapan dan relevansi) hampir jatuh tempo, batas "
        "waktu Rabu, 4 Februari 2026 pukul 09:00 WIB"
    )


def test_overdue_notifies_the_actor_and_escalates_once_with_an_event(p, clock):
    appeal = register(p)
    step = open_step(appeal)
    clock(step.at_risk_at)
    sla_sweep()

    clock(step.due_at - MINUTE)
    assert sla_sweep() == SweepResult()
    clock(step.due_at)
    assert sla_sweep() == SweepResult(overdue=1)
    clock(step.due_at + 60 * MINUTE)
    assert sla_sweep() == SweepResult()

    assert received(step, Kind.STEP_AT_RISK) == {"ketua"}
    assert received(step, Kind.STEP_OVERDUE) == {"ketua"}
    assert received(step, Kind.ESCALATION) == {"kepala"}
    assert sweep_notices().count() == 3
    assert Notification.objects.get(kind=Kind.ESCALATION).message == (
        f"Eskalasi: langkah 3 (Verifikasi kelengkapan dan relevansi) banding {appeal.number}, "
        "pelaksana Ketua Tim PJTK, terlambat sejak Rabu, 4 Februari 2026 pukul 09:00 WIB."
    )
    assert Notification.objects.get(kind=Kind.STEP_OVERDUE).message == (
        f"Langkah 3 (Verifikasi kelengkapan dan relevansi) banding {appeal.number} terlambat: "
        "batas waktunya Rabu, 4 Februari 2026 pukul 09:00 WIB sudah lewat."
    )
    event = Event.objects.get(action="deadline.overdue")
    assert (event.appeal, event.step, event.public) == (appeal, 3, False)
    assert event.summary == (
        "Terlambat: langkah 3 (Verifikasi kelengkapan dan relevansi) melewati batas waktu "
        "Rabu, 4 Februari 2026 pukul 09:00 WIB; dieskalasi"
    )
    assert event.data["escalated_to"] == 1
    assert Event.objects.filter(action__startswith="deadline.").count() == 2


def test_a_step_found_overdue_gets_only_the_overdue_notice(p, clock):
    # The sweep was down while the step became at risk and then overdue.
    appeal = register(p)
    step = open_step(appeal)
    clock(step.due_at + 5 * MINUTE)

    assert sla_sweep() == SweepResult(overdue=1)
    assert sla_sweep() == SweepResult()

    assert received(step, Kind.STEP_AT_RISK) == set()
    assert received(step, Kind.STEP_OVERDUE) == {"ketua"}
    step.refresh_from_db()
    # The reminder is marked as no longer due, so it is not sent late.
    assert step.at_risk_notified_at == step.overdue_notified_at == step.due_at + 5 * MINUTE
    assert not Event.objects.filter(action="deadline.at_risk").exists()


def test_a_completed_step_is_never_notified(p, clock):
    appeal = register(p)
    verified = open_step(appeal)
    clock(verified.due_at + 5 * MINUTE)
    appeal = walk(p, appeal, 5)  # step 3 completed late, before any sweep

    clock(verified.due_at + 10 * MINUTE)
    sla_sweep()

    assert not sweep_notices().filter(step=verified).exists()
    verified.refresh_from_db()
    assert verified.at_risk_notified_at is None and verified.overdue_notified_at is None
    assert not Event.objects.filter(action__startswith="deadline.", step=3).exists()


def test_each_actor_and_supervisor_by_the_sop_definition(p, clock):
    """Staff → ketua tim; ketua tim, technical team and panel → kepala balai; kepala balai
    → no one (the overdue list)."""
    p.team_b.members.add(p.panel[3])  # another team's member is not told
    second_staff = make_user("staf_dua", Role.PJTK_STAFF)
    make_user("staf_nonaktif", Role.PJTK_STAFF, is_active=False)
    at = {
        3: register(p),
        4: register(p),
        5: walk(p, register(p), 5),
        6: walk(p, register(p), 6),
        7: walk(p, register(p), 7),
        12: walk(p, register(p), 12),
    }
    services.appeal_verify(
        appeal=at.pop(4),
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=False,
        reasons="Bukan banding atas hasil penanganan keluhan.",
    )
    at[4] = Step.objects.get(number=4, completed_at__isnull=True).appeal
    steps = {number: open_step(appeal) for number, appeal in at.items()}
    assert {n: s.actor for n, s in steps.items()} == {
        n: sop.step(n).actor for n in (3, 4, 5, 6, 7, 12)
    }
    clock(max(s.due_at for s in steps.values()))

    assert sla_sweep() == SweepResult(overdue=6)

    expected = {
        3: ({"ketua"}, {"kepala"}),
        4: ({"staff", "staf_dua"}, {"ketua"}),
        5: ({"teknis_a"}, {"kepala"}),
        6: ({"kepala"}, set()),
        7: (PANEL, {"kepala"}),
        12: ({"staff", "staf_dua"}, {"ketua"}),
    }
    for number, (actors, supervisors) in expected.items():
        step = steps[number]
        assert received(step, Kind.STEP_OVERDUE) == actors, number
        assert received(step, Kind.ESCALATION) == supervisors, number
    assert second_staff.notifications.filter(kind=Kind.STEP_OVERDUE).count() == 2
    assert Event.objects.get(action="deadline.overdue", step=6).summary.endswith(
        f"batas waktu {when(steps[6].due_at)}"
    )


def test_at_risk_reminders_go_to_team_members_and_panel_seats(p, clock):
    tech = walk(p, register(p), 5)
    panel = walk(p, register(p), 7)
    steps = [open_step(tech), open_step(panel)]
    clock(steps[1].at_risk_at)  # step 7 (30 days) is at risk after step 5 is overdue
    assert steps[0].due_at < steps[1].at_risk_at

    result = sla_sweep()

    assert result == SweepResult(at_risk=1, overdue=1)
    assert received(steps[0]) == {"teknis_a", "kepala"}
    assert received(steps[1], Kind.STEP_AT_RISK) == PANEL


def test_someone_who_is_actor_and_supervisor_gets_one_notice(p, clock):
    p.staff.groups.add(Group.objects.get(name=Role.PJTK_LEAD))
    appeal = walk(p, register(p), 12)
    step = open_step(appeal)
    clock(step.due_at)

    sla_sweep()

    assert received(step, Kind.STEP_OVERDUE) == {"staff"}
    assert received(step, Kind.ESCALATION) == {"ketua"}


def test_the_next_occurrence_of_a_step_is_notified_again(p, clock):
    """A decision returned at step 10 opens a new occurrence of step 9: its own deadline."""
    appeal = walk(p, register(p), 9)
    first = open_step(appeal)
    clock(first.due_at)
    sla_sweep()
    appeal = walk(p, appeal, 10)
    services.decision_return(appeal=appeal, user=p.head, reasons="Notulen belum lengkap.")
    second = open_step(appeal)
    assert second.number == 9 and second.pk != first.pk

    clock(second.due_at)
    assert sla_sweep() == SweepResult(overdue=1)

    assert received(first, Kind.STEP_OVERDUE) == received(second, Kind.STEP_OVERDUE) == PANEL


def test_the_sweep_reads_the_clock_when_no_instant_is_given(p, clock):
    step = open_step(register(p))
    assert sla_sweep(step.due_at - MINUTE) == SweepResult(at_risk=1)
    assert sla_sweep(START) == SweepResult()
    clock(step.due_at)
    assert sla_sweep() == SweepResult(overdue=1)


def test_a_failing_batch_rolls_back_whole_is_logged_and_retried(p, clock, monkeypatch, caplog):
    first, second, third = (open_step(register(p)) for _ in range(3))
    clock(max(first.due_at, second.due_at, third.due_at))
    from banding.appeals import sla

    real = sla.notify_each

    def notify_each(*, notices):
        if any(n.step.pk == first.pk for n in notices):
            raise RuntimeError("disk penuh")
        return real(notices=notices)

    monkeypatch.setattr(sla, "notify_each", notify_each)

    # Batches of two: the first (first, second) fails after its claim, the next one commits.
    assert sla_sweep(batch_size=2) == SweepResult(overdue=1, failed=2)
    assert "Pemberitahuan tenggat 2 langkah" in caplog.text
    for step in (first, second):
        step.refresh_from_db()
        assert step.overdue_notified_at is None  # rolled back with its batch: retried later
        assert not sweep_notices().filter(step=step).exists()
    assert (
        not Event.objects.filter(action="deadline.overdue", step=3)
        .exclude(appeal=third.appeal)
        .exists()
    )
    assert received(third, Kind.STEP_OVERDUE) == {"ketua"}

    monkeypatch.setattr(sla, "notify_each", real)
    assert sla_sweep(batch_size=2) == SweepResult(overdue=2)
    assert received(first, Kind.STEP_OVERDUE) == received(second, Kind.STEP_OVERDUE) == {"ketua"}
    assert Event.objects.filter(action="deadline.overdue").count() == 3


def test_sweep_result_reads_in_indonesian():
    assert str(SweepResult(at_risk=2, overdue=1)) == (
        "2 langkah hampir jatuh tempo diingatkan, 1 langkah terlambat dilaporkan"
    )
    assert str(SweepResult(failed=3)).endswith(", 3 gagal")
    assert str(SweepResult(overdue=1, escalated=2)) == (
        "0 langkah hampir jatuh tempo diingatkan, 1 langkah terlambat dilaporkan, "
        "2 langkah dieskalasi kepada Kepala Balai"
    )
    assert not SweepResult()
    assert when(None) == "—"
