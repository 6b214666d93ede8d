"""Concurrent submissions, with real threads and real transactions on PostgreSQL.

Each race starts its threads together (a barrier) and then holds the first thread inside its
transaction, after it has changed the appeal and before it commits, until PostgreSQL reports
that the other thread is waiting for that thread's lock. So the two transactions really
overlap, whatever the scheduler does, and the test proves the lock rather than luck.

Not run on SQLite: the test database there is in-memory with a shared cache, whose table locks
fail at once ("database table is locked") instead of waiting as a file database in WAL mode
with IMMEDIATE transactions does.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection

from banding.accounts.models import User
from banding.appeals import services
from banding.appeals.models import Appeal, RegisterSequence
from banding.audit import log
from banding.audit.models import Event
from banding.errors import Conflict
from banding.sop import definition as sop
from tests.factories import decision_letter, issued, pdf, register, similar_confirmed, walk
from tests.state import assert_stands_at, audit_writers_replaced, step_numbers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@dataclass
class Racer:
    """What one thread did: its database backend, and its result or error."""

    pid: int = 0
    result: object = None
    error: BaseException | None = None


def run_threads(
    count: int, body: Callable[[int, Racer], None]
) -> tuple[list[Racer], list[threading.Thread]]:
    """Run `body` in `count` threads that start together; each closes its connection."""
    racers = [Racer() for _ in range(count)]
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        racer = racers[i]
        try:
            connection.ensure_connection()
            racer.pid = connection.connection.info.backend_pid
            barrier.wait()
            body(i, racer)
        except BaseException as exc:
            racer.error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    return racers, threads


def wait_until_blocked(racers: list[Racer]) -> None:
    """Return once one racer's backend waits for a lock another racer holds. The holder cannot
    finish before it is released, so a racer that finished never waited: fail then."""
    pids = [r.pid for r in racers]
    with connection.cursor() as cursor:
        while not any(r.result is not None or r.error is not None for r in racers):
            cursor.execute(
                "SELECT count(*) FROM unnest(%s::int[]) AS waiting(pid) "
                "WHERE pg_blocking_pids(waiting.pid) && %s::int[]",
                [pids, pids],
            )
            if cursor.fetchone()[0]:
                return
    pytest.fail(f"a racer finished without waiting for the other's lock: {racers}")


def race(monkeypatch, action: Callable[[int], object]) -> list[Racer]:
    """Two threads run `action(i)` together; the first to write its audit event (inside its
    transaction, after its change) waits there until the other is blocked on its lock."""
    inside = threading.Event()
    release = threading.Event()
    first = threading.Lock()

    def hold() -> None:
        if first.acquire(blocking=False):  # only the first writer holds
            inside.set()
            release.wait()

    def record(**kwargs):
        hold()
        return log.record(**kwargs)

    def record_all(appeal, entries):
        hold()
        return log.record_all(appeal, entries)

    def record_each(batches, **kwargs):
        hold()
        return log.record_each(batches, **kwargs)

    audit_writers_replaced(
        monkeypatch, record=record, record_all=record_all, record_each=record_each
    )

    def body(i: int, racer: Racer) -> None:
        racer.result = action(i)

    racers, threads = run_threads(2, body)
    # Neither racer reaching its audit event (both refused early) must fail, not hang.
    if not inside.wait(timeout=60):
        for t in threads:
            t.join(timeout=60)
        raise AssertionError(f"no racer wrote its event: {[r.error for r in racers]}")
    try:
        wait_until_blocked(racers)
    finally:
        release.set()
        for t in threads:
            t.join()
    return racers


def one_winner(racers: list[Racer], code: str) -> Conflict:
    errors = [r.error for r in racers if r.error is not None]
    assert sum(r.error is None for r in racers) == 1, errors
    assert len(errors) == 1
    assert type(errors[0]) is Conflict, errors[0]
    assert errors[0].code == code
    return errors[0]


def test_two_concurrent_completions_of_step_3_one_succeeds_the_other_conflicts(p, monkeypatch):
    appeal = register(p)
    services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=True,
        technical_team=p.team_a,
    )
    issued(appeal, "nota_dinas", p.lead, p.lead)
    events = Event.objects.count()

    def complete(i: int) -> Appeal:
        return services.step_complete(
            appeal=Appeal.objects.get(pk=appeal.pk),
            user=User.objects.get(pk=p.lead.pk),
            number=3,
        )

    error = one_winner(race(monkeypatch, complete), "wrong_step")

    assert error.message == (
        f"Banding {appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding), "
        "bukan langkah 3 (Verifikasi kelengkapan dan relevansi)."
    )
    assert_stands_at(appeal, 5)
    assert step_numbers(appeal) == [1, 2, 3, 5]
    assert Event.objects.count() == events + 1
    assert Event.objects.filter(action="step.3.relevant").count() == 1


def test_two_concurrent_approvals_one_succeeds_the_other_conflicts(p, monkeypatch):
    appeal = walk(p, register(p), 10)
    decision_letter(p, appeal)
    events = Event.objects.count()

    def approve(i: int) -> Appeal:
        return services.decision_approve(
            appeal=Appeal.objects.get(pk=appeal.pk),
            user=User.objects.get(pk=p.head.pk),
            disposition=f"Disposisi {i}",
        )

    one_winner(race(monkeypatch, approve), "wrong_step")

    assert_stands_at(appeal, 11)
    assert step_numbers(appeal) == [1, 2, 3, 5, 6, 7, 9, 10, 11]
    assert Event.objects.count() == events + 1
    assert Event.objects.filter(action="step.10.approved").count() == 1


def test_approve_and_return_at_once_only_one_of_them_happens(p, monkeypatch):
    appeal = walk(p, register(p), 10)
    decision_letter(p, appeal)
    events = Event.objects.count()

    def approve_or_return(i: int) -> Appeal:
        head = User.objects.get(pk=p.head.pk)
        fresh = Appeal.objects.get(pk=appeal.pk)
        if i == 0:
            return services.decision_approve(appeal=fresh, user=head, disposition="Setuju.")
        return services.decision_return(appeal=fresh, user=head, reasons="Belum lengkap.")

    racers = race(monkeypatch, approve_or_return)

    one_winner(racers, "wrong_step")
    appeal.refresh_from_db()
    winner = 0 if racers[0].error is None else 1
    assert appeal.current_step == (11 if winner == 0 else 9)
    assert appeal.steps.filter(number=10).count() == 1
    # A return also withdraws the decision letter it had been signed with.
    assert Event.objects.count() == events + (1 if winner == 0 else 2)


def test_register_numbers_stay_unique_and_gapless_under_concurrent_intake(p):
    threads_count, per_thread = 8, 5

    def intake(i: int, racer: Racer) -> None:
        p_thread = dataclasses.replace(p, staff=User.objects.get(pk=p.staff.pk))
        racer.result = [
            register(p_thread, letter=pdf(f"surat-{i}-{n}.pdf")).number for n in range(per_thread)
        ]

    racers, threads = run_threads(threads_count, intake)
    for t in threads:
        t.join()

    assert [r.error for r in racers] == [None] * threads_count
    total = threads_count * per_thread
    sequences = sorted(Appeal.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    numbers = [n for r in racers for n in r.result]
    assert len(set(numbers)) == total
    assert set(numbers) == set(Appeal.objects.values_list("number", flat=True))
    assert RegisterSequence.objects.get().last == total
    assert Event.objects.filter(action="appeal.registered").count() == total


def test_a_withdrawal_and_a_step_completed_at_once_end_withdrawn_either_way(p, monkeypatch):
    # The customer withdraws while the Ketua Tim PJTK completes step 3: whichever locks the
    # appeal first goes first, the other sees the state it left. Withdrawn first: step 3 is
    # refused. Step 3 first: the withdrawal stops step 5. Never an open step left behind.
    appeal = register(p)
    services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=p.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=True,
        technical_team=p.team_a,
    )
    issued(appeal, "nota_dinas", p.lead, p.lead)

    def act(i: int) -> Appeal:
        fresh = Appeal.objects.get(pk=appeal.pk)
        if i == 0:
            return services.appeal_withdraw(
                appeal=fresh, user=User.objects.get(pk=p.customer.pk), reason="Damai."
            )
        return services.step_complete(appeal=fresh, user=User.objects.get(pk=p.lead.pk), number=3)

    racers = race(monkeypatch, act)
    errors = [r.error for r in racers if r.error is not None]
    appeal.refresh_from_db()
    assert appeal.status == "withdrawn"
    assert not appeal.steps.filter(completed_at__isnull=True).exists()
    stopped = appeal.steps.get(outcome="withdrawn")
    if errors:
        (error,) = errors
        assert (type(error), error.code) == (Conflict, "appeal_closed")
        assert (step_numbers(appeal), stopped.number) == ([1, 2, 3], 3)
    else:
        assert (step_numbers(appeal), stopped.number) == ([1, 2, 3, 5], 5)


def test_two_duplicate_closures_crossing_each_other_leave_no_chain(p, monkeypatch):
    # A closed as a duplicate of B while B is closed as a duplicate of A: one wins, the other
    # finds its original a duplicate (or itself an original) and is refused.
    a, b = register(p), register(p)

    def close(i: int) -> Appeal:
        appeal, original = (a, b) if i == 0 else (b, a)
        return services.appeal_close_duplicate(
            appeal=Appeal.objects.get(pk=appeal.pk),
            user=User.objects.get(pk=p.staff.pk),
            original=Appeal.objects.get(pk=original.pk),
            reason="Sama.",
        )

    racers = race(monkeypatch, close)
    errors = [r.error for r in racers if r.error is not None]
    assert len(errors) == 1, errors
    assert getattr(errors[0], "code", "") in {"duplicate_chain", "appeal_closed"}, errors[0]
    statuses = sorted(Appeal.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True))
    assert statuses == ["duplicate", "open"]
