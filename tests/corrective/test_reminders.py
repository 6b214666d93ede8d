"""The corrective actions' reminders: due soon to the owner, overdue to the owner and
escalated to the Ketua Tim PJTK, each once whatever the number of sweeps; none for an action
completed in time."""

from __future__ import annotations

from datetime import timedelta

from banding.audit.models import Event
from banding.corrective import services
from banding.corrective.reminders import corrective_sweep
from banding.notifications.models import Notification
from banding.platform.management.commands import worker
from tests.corrective.conftest import add


def notices(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_due_soon_reminds_the_owner_once(p, decided):
    action = add(p, decided)
    assert not corrective_sweep(action.remind_at - timedelta(minutes=1))
    result = corrective_sweep(action.remind_at)
    assert (result.due_soon, result.overdue) == (1, 0)
    assert notices("step_at_risk") == [p.tech.pk]
    assert not corrective_sweep(action.remind_at + timedelta(minutes=5))
    assert notices("step_at_risk") == [p.tech.pk]
    assert Event.objects.filter(action="corrective_action.due_soon").count() == 1


def test_overdue_tells_the_owner_and_escalates_to_the_lead_once(p, decided):
    action = add(p, decided)
    corrective_sweep(action.remind_at)
    result = corrective_sweep(action.due_at)
    assert (result.due_soon, result.overdue) == (0, 1)
    assert notices("step_overdue") == [p.tech.pk]
    assert notices("escalation") == [p.lead.pk]
    for _ in range(2):
        assert not corrective_sweep(action.due_at + timedelta(days=3))
    assert notices("step_overdue") == [p.tech.pk]
    assert notices("escalation") == [p.lead.pk]
    assert Event.objects.filter(action="corrective_action.overdue").count() == 1


def test_an_action_found_overdue_first_gets_only_the_overdue_notice(p, decided):
    action = add(p, decided)
    result = corrective_sweep(action.due_at + timedelta(hours=1))
    assert (result.due_soon, result.overdue) == (0, 1)
    assert notices("step_at_risk") == []
    action.refresh_from_db()
    assert action.due_soon_notified_at is not None


def test_a_completed_action_is_not_reminded(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Selesai tepat waktu.")
    assert not corrective_sweep(action.due_at + timedelta(days=1))
    assert notices("step_overdue") == notices("step_at_risk") == []


def test_the_lead_as_owner_is_not_escalated_to_themself(p, decided):
    action = add(p, decided, owner=str(p.lead.public_id))
    corrective_sweep(action.due_at)
    assert notices("step_overdue") == [p.lead.pk]
    assert notices("escalation") == []


def test_the_worker_runs_the_reminders():
    assert any(job.run is corrective_sweep for job in worker.JOBS)
