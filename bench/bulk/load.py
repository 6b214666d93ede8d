"""`seed_bulk`: sample the paths, then build and write the rows batch by batch in one
transaction, and advance the register and letter sequences to the numbers given."""

from __future__ import annotations

import gc
import marshal
import multiprocessing as mp
import os
import random
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery, Sum
from django.utils import timezone

from banding.appeals.models import Appeal, RegisterSequence, Status, Step
from banding.letters.models import Letter, LetterSequence
from banding.workdays.calendar import load_calendar
from bench.bulk import files, people, plan
from bench.bulk.formats import Clock
from bench.bulk.history import Builder, Numbers
from bench.bulk.worktime import WorkTime
from bench.bulk.writer import Writer

BATCH = 2000  # appeals per write
FIRST_BATCH = 125  # then twice as many each time up to BATCH
DAYS_AHEAD = 400  # how far past now the calendar must reach (open steps' deadlines)
NOTICE_DAYS = 90  # notices kept: those of the last 90 days (None or 0: all of them)


@dataclass
class Result:
    appeals: int
    rows: dict[str, int]  # table -> rows written
    seconds: float  # the whole run
    phases: dict[str, float] = field(default_factory=dict)
    open: int = 0  # appeals left open

    @property
    def per_second(self) -> float:
        return self.appeals / self.seconds if self.seconds else 0.0


def _journal(raw, mode: str) -> str:
    """Switch the journal mode if no other connection has the file open (without waiting
    for one to close it); the mode in force after."""
    timeout = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        return raw.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0]
    except sqlite3.OperationalError:  # "database is locked": someone else has it open
        return raw.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout)}")


@contextmanager
def _sqlite_pragmas():
    """For the load: no fsync (a crash of the machine mid-load may lose it), a page cache
    sized for it (below), no key enforcement (the writer checks each batch's keys with one
    statement per table instead: on 100,000 appeals the lookups row by row took 4.2 s, the
    checks take 1.5 s), and a rollback journal instead of the write-ahead log. The WAL takes
    every page of the load twice (into the log, then copied into the database), and writing a
    gigabyte into it took longer than generating it; a rollback journal only keeps the few
    pages that were there before. A crash of the process mid-load leaves that journal, and
    SQLite rolls the load back on the next open. Inside a caller's transaction (tests) only
    the cache can change, and the journal only while no other connection has the file open;
    the keys are then enforced as usual.

    Measured and left as they are: journal_mode OFF or MEMORY and locking_mode EXCLUSIVE
    (no difference on a fresh file: the rollback journal holds almost nothing), a 1 GiB
    cache (the same), mmap (the same)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    # 256 MiB: the pages being filled stay in memory and the finished ones are written as
    # the load goes. A cache holding the whole load (4 GiB) left it all to write at commit,
    # and took longer overall (measured on 100,000 appeals).
    settings = {"cache_size": -262144}
    if not raw.in_transaction:
        settings["synchronous"] = 0  # OFF
        # Key enforcement looks each key up as its row is inserted; the writer checks each
        # batch's keys with one statement instead (writer.Writer._check_keys).
        settings["foreign_keys"] = 0
        settings["temp_store"] = 2  # MEMORY: the writer's staging tables (writer.Staged)
    before = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in settings}
    wal = False  # switched from WAL, to switch back after
    if not raw.in_transaction and raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        wal = _journal(raw, "DELETE") != "wal"
    for name, value in settings.items():
        raw.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        for name, value in before.items():
            raw.execute(f"PRAGMA {name} = {int(value)}")
        if wal:
            _journal(raw, "WAL")


@contextmanager
def _collector_off():
    """No cyclic garbage collection during the load: the batches are millions of tuples of
    plain values, which hold no cycles, and each collection walks what was just allocated.
    On 100,000 appeals the writer's unmarshalling took 1.7 s instead of 3.5 s, its inserts
    1 s less."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _register_numbers() -> dict[int, int]:
    last = dict(RegisterSequence.objects.values_list("year", "last"))
    for year, highest in Appeal.objects.values_list("year").annotate(m=Max("sequence")):
        last[year] = max(last.get(year, 0), highest or 0)
    return last


def _letter_numbers() -> dict[tuple[str, int], int]:
    last = {(k, y): n for k, y, n in LetterSequence.objects.values_list("kind", "year", "last")}
    rows = (
        Letter.objects.filter(sequence__isnull=False)
        .values_list("kind", "year")
        .annotate(m=Max("sequence"))
    )
    for kind, year, highest in rows:
        last[(kind, year)] = max(last.get((kind, year), 0), highest or 0)
    return last


def _save_sequences(register: dict[int, int], letters: dict[tuple[str, int], int]) -> None:
    RegisterSequence.objects.bulk_create(
        [RegisterSequence(year=y, last=n) for y, n in register.items()],
        update_conflicts=True,
        unique_fields=["year"],
        update_fields=["last"],
    )
    LetterSequence.objects.bulk_create(
        [LetterSequence(kind=k, year=y, last=n) for (k, y), n in letters.items()],
        update_conflicts=True,
        unique_fields=["kind", "year"],
        update_fields=["last"],
    )


def _batches(builder: Builder, paths: list, numbers: Numbers, batch: int) -> Iterator[dict]:
    """Batches of `batch` appeals, the first ones smaller: the writer waits for the first
    (2,000 appeals: half a second), the generator waits for nothing."""
    start, size = 0, min(batch, FIRST_BATCH)
    while start < len(paths):
        for path in paths[start : start + size]:
            builder.build(path, numbers)
        yield builder.reset()
        start, size = start + size, min(batch, 2 * size)


def _child(sender, builder: Builder, paths: list, numbers: Numbers, batch: int) -> None:
    """The generator process: builds every batch in order and hands it over (marshal is
    the cheapest encoding of tuples of str, int and None). It never touches the database:
    the parent's connection, inherited by fork, stays the parent's."""
    gc.disable()  # see _collector_off; the process ends with the load
    try:
        for rows in _batches(builder, paths, numbers, batch):
            sender.send_bytes(marshal.dumps(rows))
        sender.send_bytes(marshal.dumps(None))
    except BaseException:
        sender.send_bytes(marshal.dumps(traceback.format_exc()))
    finally:
        sender.close()


def _generated(builder: Builder, paths: list, numbers: Numbers, batch: int, jobs: int):
    """The batches in order: built here, or (jobs > 1) in a forked process while this one
    writes the previous batch. The rows are the same either way."""
    one_batch = len(paths) <= min(batch, FIRST_BATCH)
    if jobs < 2 or one_batch or "fork" not in mp.get_all_start_methods():
        yield from _batches(builder, paths, numbers, batch)
        return
    context = mp.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, builder, paths, numbers, batch))
    child.start()
    sender.close()
    try:
        while True:
            rows = marshal.loads(receiver.recv_bytes())
            if rows is None:
                break
            if isinstance(rows, str):
                raise RuntimeError(f"Pembangkit data seed-bulk gagal:\n{rows}")
            yield rows
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _totals(there: int) -> None:
    """The loaded appeals' total working time (Appeal.working_minutes, which the services
    write when an appeal ends) in one UPDATE … SET = (SELECT SUM …), as the migration that
    added it backfilled it."""
    total = (
        Step.objects.filter(appeal=OuterRef("pk"))
        .order_by()
        .values("appeal")
        .annotate(total=Sum("working_minutes"))
        .values("total")
    )
    Appeal.objects.filter(pk__gt=there).exclude(status=Status.OPEN).update(
        working_minutes=Subquery(total)
    )


def seed_bulk(
    *,
    appeals: int,
    seed: int = 1,
    open_share: float = 0.03,
    years: int = 5,
    notice_days: int | None = NOTICE_DAYS,
    now: datetime | None = None,
    batch: int = BATCH,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Add `appeals` appeals of realistic history to the database (see the command's help).
    The same seed, `now` and database give the same rows; a second run adds new ones."""
    started = time.perf_counter()
    phases: dict[str, float] = {}
    mark = started
    if jobs is None:
        # Generating and writing take about as long each: on two CPUs they overlap.
        jobs = 2 if (os.cpu_count() or 1) > 1 else 1
    now_t = int((now or timezone.now()).timestamp())
    first_t = now_t - years * 365 * 86400
    # The run's randomness also depends on what is there already: a second run with the same
    # seed adds different appeals (and never repeats a random public id).
    there = Appeal.objects.aggregate(m=Max("pk"))["m"] or 0
    cast = people.ensure(random.Random(f"{seed}:people"), appeals)
    pool = files.ensure()
    calendar = load_calendar()
    worktime = WorkTime(
        calendar,
        datetime.fromtimestamp(first_t, calendar.tz) - timedelta(days=14),
        datetime.fromtimestamp(now_t, calendar.tz) + timedelta(days=DAYS_AHEAD),
    )
    clock = Clock(worktime.first, worktime.last, aware_db=connection.vendor == "postgresql")
    phases["siapkan"], mark = time.perf_counter() - mark, time.perf_counter()
    with _collector_off():
        paths = plan.paths(
            random.Random(f"{seed}:{there}:paths"),
            count=appeals,
            open_share=open_share,
            worktime=worktime,
            now=now_t,
            first=first_t,
        )
    phases["rencana"], mark = time.perf_counter() - mark, time.perf_counter()
    writer = Writer()
    with _sqlite_pragmas(), _collector_off(), transaction.atomic():
        writer.lock()
        register, letters = _register_numbers(), _letter_numbers()
        plan.number(
            paths, worktime=worktime, clock=clock, register=register, letter_sequences=letters
        )
        numbers = Numbers(ids=writer.next_ids())
        # Validating a key again or building an index again reads the whole table: worth it
        # for a load larger than what is there.
        writer.begin(dict(numbers.ids), rebuild=Appeal.objects.count() < appeals)
        builder = Builder(
            worktime=worktime,
            clock=clock,
            cast=cast,
            pool=pool,
            now=now_t,
            seed=f"{seed}:{there}:rows",
            notice_days=notice_days,
        )
        done = 0
        for rows in _generated(builder, paths, numbers, batch, jobs):
            writer.write(rows)
            done += len(rows.get("appeal", ()))
            if progress is not None:
                progress(done)
        _save_sequences(register, letters)
        phases["tulis"], mark = time.perf_counter() - mark, time.perf_counter()
        writer.finish()  # what was set aside for the load, back
        phases["pulihkan"], mark = time.perf_counter() - mark, time.perf_counter()
        _totals(there)
        phases["total"], mark = time.perf_counter() - mark, time.perf_counter()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Had another connection kept the file in WAL mode, the load's pages are in the
        # write-ahead log: into the database file with them.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.analyze()
    phases["selesai"] = time.perf_counter() - mark
    return Result(
        appeals=len(paths),
        rows=dict(writer.counts),
        seconds=time.perf_counter() - started,
        phases=phases,
        open=sum(1 for p in paths if p.open),
    )
