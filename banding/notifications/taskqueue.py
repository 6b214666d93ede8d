"""Running the task queue (Django's Tasks API, django-tasks-db backend) inside `banding
worker`: the queue's rows are claimed the way django-tasks-db's own `db_worker` claims them
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite), and each
task is run by its Worker.run_task, which records success or failure on the row. The loop, the
signals and the periodic jobs stay the worker's own
(banding.platform.management.commands.worker)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.utils import OperationalError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception


@dataclass(frozen=True)
class QueueResult:
    ran: int = 0

    def __bool__(self) -> bool:
        return bool(self.ran)

    def __str__(self) -> str:
        return f"{self.ran} dijalankan"


@dataclass(frozen=True)
class PruneResult:
    deleted: int = 0
    requeued: int = 0  # abandoned by a worker that died: to run again
    abandoned: int = 0  # abandoned MAX_CLAIMS times: failed

    def __bool__(self) -> bool:
        return bool(self.deleted or self.requeued or self.abandoned)

    def __str__(self) -> str:
        said = [f"{self.deleted} catatan tugas lama dihapus"]
        if self.requeued:
            said.append(f"{self.requeued} tugas dari pekerja yang berhenti dijalankan lagi")
        if self.abandoned:
            said.append(f"{self.abandoned} tugas ditinggalkan {MAX_CLAIMS} kali: gagal")
        return ", ".join(said)


class TaskRunner:
    """Claims and runs ready tasks of the default backend's queues, one at a time."""

    def __init__(self, *, worker_id: str | None = None) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        self.backend_name = backend.alias
        self.queue_names = sorted(backend.queues)
        self.worker_id = worker_id or get_random_string(32)
        self._worker = Worker(
            queue_names=self.queue_names,
            interval=0,
            batch=True,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def claim(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        try:
            with exclusive_transaction(ready.db):
                result = ready.get_locked()
                if result is not None:
                    result.claim(self.worker_id)  # RUNNING: no other worker takes it now
                return result
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite busy: try on the next poll
                return None
            raise

    def run_ready(self, stop: threading.Event | None = None) -> QueueResult:
        """Run ready tasks until none is left or `stop` is set (checked between tasks)."""
        ran = 0
        while stop is None or not stop.is_set():
            result = self.claim()
            if result is None:
                break
            self._worker.run_task(result)
            ran += 1
        return QueueResult(ran=ran)


# A task whose worker died this many times (it may be what kills it) is given up.
MAX_CLAIMS = 3
WORKER_DIED = "banding.notifications.taskqueue.WorkerDied"


def lease() -> timedelta:
    return timedelta(minutes=max(1, settings.BANDING_TASK_LEASE_MINUTES))


def recover_abandoned_tasks() -> tuple[int, int]:
    """Task rows left `RUNNING` by a worker that died (kill -9, a power cut: it never marked
    them finished), held longer than BANDING_TASK_LEASE_MINUTES: back to READY, to be run
    again by any worker. At-least-once: the tasks are written to be run twice safely (the
    outbox's delivery claims each mail on its own, so a mail already sent is not sent again;
    see banding.notifications.outbox). A row claimed MAX_CLAIMS times is marked failed
    instead, and pruned with the failed. Returns (requeued, failed)."""
    now = timezone.now()
    requeued = failed = 0
    held = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - lease()
    ).only("pk", "started_at", "worker_ids")
    for row in held:
        # Conditional on the claim it was read with: a slow worker that finished meanwhile,
        # or another worker recovering it at the same time, leaves it alone.
        same_claim = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= MAX_CLAIMS:
            failed += same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_DIED,
                traceback=(
                    f"Pekerja berhenti (mati) saat menjalankan tugas ini {len(row.worker_ids)} "
                    f"kali; tugas tidak dicoba lagi."
                ),
            )
        else:
            requeued += same_claim.update(status=TaskResultStatus.READY)
    return requeued, failed


def prune_task_results() -> PruneResult:
    """The worker's job for its queue: recover the task rows of a worker that died
    (recover_abandoned_tasks), and forget finished rows after BANDING_TASK_RESULT_DAYS (7): the
    outbox keeps what each mail became; failed tasks stay a little longer for whoever
    investigates."""
    requeued, abandoned = recover_abandoned_tasks()
    days = max(1, settings.BANDING_TASK_RESULT_DAYS)
    now = timezone.now()
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=days)
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=4 * days)
    ).delete()
    return PruneResult(deleted=deleted + failed, requeued=requeued, abandoned=abandoned)
