"""Appeal.current_taken_by/current_taken_at, the copy Tugas saya reads, always say what the
open step's taken_by/taken_at say: after taking, releasing, completing the step, ending the
appeal (withdrawal, duplicate), and after the migration that fills them in."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from banding.appeals import services
from banding.appeals.models import Appeal
from tests.factories import register, walk
from tests.portal.helpers import submit
from tests.state import open_step


def agrees(appeal: Appeal) -> tuple:
    """The appeal's copy, asserted equal to its open step's (none: nobody); returned."""
    appeal.refresh_from_db()
    step = open_step(appeal)
    expected = (step.taken_by_id, step.taken_at) if step else (None, None)
    assert (appeal.current_taken_by_id, appeal.current_taken_at) == expected
    return expected


def test_take_release_and_completing_keep_the_copy(p):
    appeal = submit(p)  # step 2, the Staff PJTK's
    assert agrees(appeal) == (None, None)
    step = services.step_take(appeal=appeal, user=p.staff, number=2)
    assert agrees(appeal) == (p.staff.pk, step.taken_at)
    services.step_release(appeal=appeal, user=p.lead, number=2)
    assert agrees(appeal) == (None, None)
    services.step_take(appeal=appeal, user=p.staff, number=2)
    services.appeal_record(appeal=appeal, user=p.staff, no_involved_reason="Tidak ada.")
    appeal.refresh_from_db()
    assert appeal.current_step == 3
    assert agrees(appeal) == (None, None)  # the next step opens untaken


def test_a_withdrawal_ends_the_copy_with_the_step(p):
    appeal = walk(p, register(p), 5)  # the technical team's step
    services.step_take(appeal=appeal, user=p.tech, number=5)
    assert agrees(appeal)[0] == p.tech.pk
    services.appeal_withdraw(appeal=appeal, user=p.customer, reason="Sudah selesai.")
    assert agrees(appeal) == (None, None)


def test_a_duplicate_ends_the_copy_with_the_step(p):
    original = register(p)
    appeal = submit(p)
    services.step_take(appeal=appeal, user=p.staff, number=2)
    services.appeal_close_duplicate(appeal=appeal, user=p.staff, original=original, reason="Sama.")
    assert agrees(appeal) == (None, None)


def test_the_migration_fills_the_copy_from_the_open_steps(p):
    taken, untaken = submit(p), submit(p, complaint_reference="kel/lain")
    step = services.step_take(appeal=taken, user=p.staff, number=2)
    Appeal.objects.update(current_taken_by=None, current_taken_at=None)

    import_module("banding.appeals.migrations.0010_current_taken").backfill(apps, None)

    assert agrees(taken) == (p.staff.pk, step.taken_at)
    assert agrees(untaken) == (None, None)
