"""`banding worker` runs the task queue (the outbox's deliveries) beside its periodic jobs;
`banding demo`'s worker writes mails to files when no mail server is configured."""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import mail_enqueue
from banding.notifications.taskqueue import PruneResult, QueueResult, TaskRunner, prune_task_results
from banding.platform.management.commands import demo as demo_command
from banding.platform.management.commands import worker
from tests.factories import register


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_worker_once_sends_the_queued_mail(mailable, mailoutbox):
    appeal = register(mailable)

    output = run("worker", "--once")

    # The intake's three mails (the staff's turn, the customer's account and the contact
    # address) are queued together: one delivery task.
    assert "tugas: 1 dijalankan\n" in output
    assert sorted(m.to[0] for m in mailoutbox) == [
        "budi@kimia.example",
        "pelanggan@kimia.example",
        "rina@balai.example.go.id",
    ]
    assert not Mail.objects.exclude(state=MailState.SENT).exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert appeal.events.filter(action="email.sent").count() == 3
    assert "tugas:" not in run("worker", "--once")  # nothing left: nothing said


def test_the_runner_runs_each_ready_task_once(mailable, mailoutbox):
    register(mailable)  # each intake queues its three mails with one task
    register(mailable)
    runner = TaskRunner(worker_id="uji")

    assert runner.run_ready() == QueueResult(ran=2)
    assert runner.run_ready() == QueueResult()

    assert len(mailoutbox) == 6
    assert all(t.worker_ids == ["uji"] for t in DBTaskResult.objects.all())


def test_the_runner_leaves_a_task_that_is_not_due_yet(mailable, mailoutbox):
    later = timezone.now() + timedelta(minutes=5)
    with transaction.atomic():
        mail = mail_enqueue(kind="step_assigned", to_user=mailable.head, context={})
    DBTaskResult.objects.update(run_after=later)

    assert TaskRunner().run_ready() == QueueResult()
    assert Mail.objects.get(pk=mail.pk).state == MailState.QUEUED


def test_the_runner_stops_between_tasks_when_asked(mailable, mailoutbox):
    register(mailable)
    stop = threading.Event()
    stop.set()

    assert TaskRunner().run_ready(stop) == QueueResult()
    assert mailoutbox == []


def test_old_task_rows_are_pruned(mailable, mailoutbox, time_machine):
    register(mailable)
    TaskRunner().run_ready()

    assert prune_task_results() == PruneResult()
    time_machine.move_to(timezone.now() + timedelta(days=8))
    assert prune_task_results() == PruneResult(deleted=1)  # the intake's one delivery task
    assert str(PruneResult(deleted=3)) == "3 catatan tugas lama dihapus"
    assert Mail.objects.filter(state=MailState.SENT).count() == 3  # the outbox keeps them


class Stop(threading.Event):
    """A stop signal whose waits return at once, recording the timeout."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.waits: list[float] = []
        self.after = after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.after:
            self.set()
        return self.is_set()


def test_the_loop_polls_the_queue_between_its_periodic_jobs(db):
    jobs, polls = [], []
    stop = Stop(after=5)

    worker.run_loop(
        jobs=[worker.Job("tenggat", lambda: jobs.append(1))],
        interval=60,
        stop=stop,
        report=lambda line: None,
        tasks=lambda: polls.append(1),
        poll=2,
    )

    assert jobs == [1]  # the interval has not passed: the job ran once
    assert len(polls) == 5
    assert stop.waits == [2, 2, 2, 2, 2]


def test_the_loop_reports_tasks_only_when_some_ran(db):
    results = iter([QueueResult(ran=2), QueueResult(), QueueResult()])
    lines: list[str] = []

    worker.run_loop(
        jobs=[],
        interval=60,
        stop=Stop(after=2),
        report=lines.append,
        tasks=lambda: next(results),
        poll=1,
    )

    assert lines == ["tugas: 2 dijalankan"]


@pytest.mark.parametrize("value", ["0", "-1", "sebentar"])
def test_worker_refuses_an_impossible_poll(db, value):
    with pytest.raises(CommandError) as error:
        run("worker", "--once", "--poll", value)

    assert str(error.value) == (
        f"Selang antrean harus bilangan positif dalam detik, bukan {value!r} "
        "(--poll atau BANDING_TASKS_POLL_SECONDS)."
    )


def test_the_demo_worker_writes_mails_to_files_without_a_mail_server(monkeypatch, settings):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("BANDING_EMAIL_BACKEND", raising=False)

    env = worker.worker_environment()

    assert env["BANDING_EMAIL_BACKEND"] == "file"
    assert worker.mail_destination(env) == (
        f"Surel ditulis sebagai berkas di {settings.VAR_DIR / 'mail'} (atur EMAIL_HOST untuk SMTP)."
    )


def test_the_demo_worker_uses_the_configured_mail_server(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "smtp.balai.example.go.id")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.delenv("BANDING_EMAIL_BACKEND", raising=False)

    env = worker.worker_environment()

    assert "BANDING_EMAIL_BACKEND" not in env
    assert worker.mail_destination(env) == (
        "Surel dikirim melalui server SMTP smtp.balai.example.go.id:587."
    )


@pytest.mark.django_db
def test_demo_says_where_the_mail_goes(monkeypatch):
    class FakeProcess:
        pid = 4321

        def terminate(self) -> None:
            pass

        def wait(self) -> int:
            return 0

    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("BANDING_EMAIL_BACKEND", raising=False)
    monkeypatch.setattr(demo_command, "start_worker", lambda env: FakeProcess())
    monkeypatch.setattr(demo_command, "serve", lambda **kw: None)

    output = run("demo", "--port", "8126")

    assert "Surel ditulis sebagai berkas di " in output


def test_a_sent_mail_keeps_its_text_and_the_record_shows_it_even_after_the_template_changes(
    mailable, mailoutbox, monkeypatch
):
    from banding.notifications import selectors

    appeal = register(mailable)
    run("worker", "--once")
    to_contact = Mail.objects.get(appeal=appeal, to_address="budi@kimia.example")
    sent_body = next(m.body for m in mailoutbox if m.to == ["budi@kimia.example"])
    assert to_contact.text == sent_body
    event = appeal.events.get(action="email.sent", data__to="budi@kimia.example")
    assert event.data["text_sha256"] == hashlib.sha256(sent_body.encode()).hexdigest()

    # Today's templates would say something else: the record keeps what went out.
    def changed(mail):
        raise AssertionError("a sent mail is not rendered again")

    monkeypatch.setattr(selectors, "render_mail", changed)
    shown = [s.text for s in selectors.sent_to_customer(appeal) if s.to == "budi@kimia.example"]
    assert shown == [sent_body]


def test_an_account_mail_keeps_no_text_its_link_carries_a_token(mailable, mailoutbox):
    from banding.accounts.onboarding import customer_invite

    customer_invite(
        user=mailable.staff,
        name="Sari Kontak",
        email="sari@kimia.example",
        organization=mailable.customer.organization,
    )
    run("worker", "--once")

    invite = Mail.objects.get(kind="account_invite", to_address="sari@kimia.example")
    assert invite.state == MailState.SENT and invite.subject
    assert invite.text == ""
    assert "/portal/akun/atur-sandi/" in mailoutbox[-1].body  # the token went out, unkept


def _claimed_by_a_worker_that_died(worker_id: str = "mati") -> DBTaskResult:
    """The intake's delivery task, claimed (RUNNING) by a worker killed before it finished."""
    runner = TaskRunner(worker_id=worker_id)
    claimed = runner.claim()
    assert claimed is not None
    return claimed


def test_a_task_left_running_by_a_dead_worker_runs_again_after_the_lease(
    mailable, mailoutbox, time_machine
):
    register(mailable)
    task = _claimed_by_a_worker_that_died()
    time_machine.move_to(timezone.now() + timedelta(minutes=14))
    assert prune_task_results() == PruneResult()  # within the lease: maybe only slow
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING

    time_machine.move_to(timezone.now() + timedelta(minutes=2))
    result = prune_task_results()
    assert result == PruneResult(requeued=1)
    assert str(result) == (
        "0 catatan tugas lama dihapus, 1 tugas dari pekerja yang berhenti dijalankan lagi"
    )
    assert TaskRunner(worker_id="hidup").run_ready() == QueueResult(ran=1)
    row = DBTaskResult.objects.get(pk=task.pk)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["mati", "hidup"]
    assert len(mailoutbox) == 3  # each mail once


def test_a_task_that_kills_its_worker_three_times_is_given_up(mailable, time_machine):
    register(mailable)
    for i in range(3):
        _claimed_by_a_worker_that_died(f"mati-{i}")
        time_machine.move_to(timezone.now() + timedelta(minutes=16))
        result = prune_task_results()
    assert result == PruneResult(abandoned=1)
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "banding.notifications.taskqueue.WorkerDied"
    # and, like every failed row, forgotten after four times BANDING_TASK_RESULT_DAYS
    time_machine.move_to(timezone.now() + timedelta(days=29))
    assert prune_task_results() == PruneResult(deleted=1)
