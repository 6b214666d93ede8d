"""The background side with 100,000 appeals: the deadline sweep over 100,000 open steps, the SOP
monitoring report, one letter PDF, and a worker's peak memory.

    uv run python bench/sweep.py [--appeals 100000] [--seed 1] [--db sqlite|postgres]
                                 [--rebuild] [--mail-seconds 20]

Two cached databases (bench/var/): one built by `seed-bulk --open-share 1.0` (every appeal
open, so 100,000 open steps) and the usual one (as bench/pages.py). The sweep and the worker run
on scratch copies of the first, so the cache stays unswept:
- the sweep: the function the worker calls (banding.appeals.sla.sla_sweep), timed in this
  process, first run (every pending reminder and escalation) and a second run right after
  (nothing left to do), both at the instant the pending steps were counted: in working hours
  the generated open steps with short standard times (15 minutes for step 2) keep crossing
  their thresholds while the first run takes minutes, and a second run on a later clock
  would notify those instead of measuring an idle sweep;
- the worker: `banding worker` in a child process on a fresh copy, its first pass of the
  periodic jobs (the same sweep, the outbox sweep, the task pruning) then `--mail-seconds` of
  its mail queue, then SIGTERM; its peak memory is VmHWM from /proc while it runs and
  ru_maxrss when it ends;
- the monitoring report (banding.reports.monitoring.monitoring_sheet) for the busiest year,
  and one letter rendered to PDF (WeasyPrint), on the usual database.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
MONITORING_BUDGET_S = 1.0
SWEEP_BUDGET_S = 10.0


def _counting():
    """A context that counts this process's queries: (context manager, counter)."""
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    return connection.execute_wrapper(counter), count


# Where the first sweep's statements wait for their replay (the floor), beside the copies.
STATEMENTS = harness.VAR / "scratch" / "sweep-statements.pickle"
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextlib.contextmanager
def _capturing():
    """Record the statements this process sends ([(sql, params, many)], a None before each
    batch's transaction) while the context lasts: the sweep's, for replay_phase."""
    from django.db import connection

    from banding.appeals import sla

    statements: list = []

    def recorder(execute, sql, params, many, context):
        if not sql.startswith(("PRAGMA", *TRANSACTION)):
            statements.append((sql, params, many))
        return execute(sql, params, many, context)

    batch = sla._batch

    def marked(*args, **kwargs):
        statements.append(None)
        return batch(*args, **kwargs)

    sla._batch = marked
    try:
        with connection.execute_wrapper(recorder):
            yield statements
    finally:
        sla._batch = batch


def replay_phase() -> dict:
    """The floor of the first sweep: its own statements (the reads of what is pending, then
    each batch's claim, reads of who plays which actor, notices, events and chain heads, with
    the same parameters), sent again in the same transactions on a fresh copy of the same
    database, as the sweep sends them (SQLite's log checkpointed once at the end), with no
    Python of the sweep's own: what the database alone takes for these writes."""
    import collections

    from django.db import connection, transaction

    from banding.appeals.batching import checkpointed_alongside

    with STATEMENTS.open("rb") as file:
        statements = pickle.load(file)
    per: collections.Counter[str] = collections.Counter()
    batches = 0
    started, cpu = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor, checkpointed_alongside():
        for sql, params, _ in statements[: statements.index(None)]:
            cursor.execute(sql, params)
            cursor.fetchall()
        rest = statements[statements.index(None) :]
        transactions: list[list] = []
        for statement in rest:
            if statement is None:
                transactions.append([])
            else:
                transactions[-1].append(statement)
        for batch in transactions:
            batches += 1
            with transaction.atomic():
                for sql, params, many in batch:
                    at = time.process_time()
                    if many:
                        cursor.executemany(sql, params)
                    else:
                        cursor.execute(sql, params)
                        if cursor.description:
                            cursor.fetchall()
                    per[" ".join(sql.split()[:3])] += time.process_time() - at
        statements_done = time.perf_counter()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "checkpoint": time.perf_counter() - statements_done,
        "batches": batches,
        "statements": sum(1 for s in statements if s is not None),
        "per_statement_cpu": dict(per.most_common(4)),
    }


# --- phases (child processes, one database each) ---------------------------------------------


def sweep_instant():
    """The instant the sweep and the digests run at: the next time the office is open at or
    after BANDING_DIGEST_HEAD_TIME (a Sunday run would otherwise find the office closed and
    send no digest at all), so the head's daily digest is due right after the sweep."""
    from datetime import datetime

    from django.utils import timezone

    from banding.notifications.digests import head_time
    from banding.workdays.calendar import current_calendar

    calendar = current_calendar()
    now = calendar.next_open(timezone.now())
    at_head = datetime.combine(now.date(), head_time(calendar.hours), tzinfo=calendar.tz)
    return max(now, at_head)


def capture_phase(batch_size: int | None = None) -> dict:
    """The first sweep again, on a fresh copy, its statements kept (with their parameters)
    for the floor: apart from the timed run, whose time the keeping would add to."""
    from banding.appeals.sla import BATCH_SIZE, sla_sweep

    with _capturing() as statements:
        sla_sweep(sweep_instant(), batch_size=batch_size or BATCH_SIZE)
    STATEMENTS.parent.mkdir(parents=True, exist_ok=True)
    with STATEMENTS.open("wb") as file:
        pickle.dump(statements, file)
    return {"statements": sum(1 for s in statements if s is not None)}


def sweep_phase(batch_size: int | None = None) -> dict:
    from collections import Counter

    from django.contrib.auth import get_user_model

    from banding.accounts.roles import Role
    from banding.appeals.models import Step
    from banding.appeals.sla import (
        BATCH_SIZE,
        at_risk_pending,
        head_escalation_pending,
        overdue_pending,
        sla_sweep,
    )
    from banding.notifications.digests import digest_sweep
    from banding.notifications.models import Cadence, Digest, Mail

    now = sweep_instant()
    batch_size = batch_size or BATCH_SIZE
    open_steps = Step.objects.filter(completed_at__isnull=True).count()
    pending = {
        "overdue": overdue_pending(now).count(),
        "head": head_escalation_pending(now).count(),
        "at_risk": at_risk_pending(now).count(),
    }
    runs = []
    for _ in range(2):
        wrapper, count = _counting()
        with wrapper:
            started = time.perf_counter()
            cpu = time.process_time()
            result = sla_sweep(now, batch_size=batch_size)
            took = time.perf_counter() - started
            cpu = time.process_time() - cpu
        runs.append(
            {
                "seconds": took,
                "cpu": cpu,
                "queries": count[0],
                "at_risk": result.at_risk,
                "overdue": result.overdue,
                "escalated": result.escalated,
                "failed": result.failed,
            }
        )
    # The digest job right after (as `banding worker` runs it): e-mails per person.
    last_mail = Mail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    wrapper, count = _counting()
    with wrapper:
        started = time.perf_counter()
        digests = digest_sweep(now)
        took = time.perf_counter() - started
    queued = Counter(Mail.objects.filter(pk__gt=last_mail).values_list("to_user_id", flat=True))
    heads = set(
        get_user_model().objects.filter(groups__name=Role.HEAD).values_list("pk", flat=True)
    )
    return {
        "instant": now.isoformat(),
        "batch_size": batch_size,
        "open_steps": open_steps,
        "pending": pending,
        "runs": runs,
        "digest": {
            "seconds": took,
            "queries": count[0],
            "digests": digests.digests,
            "steps": digests.steps,
            "failed": digests.failed,
            "mails": sum(queued.values()),
            "recipients": len(queued),
            "max_per_recipient": max(queued.values(), default=0),
            "head": sum(n for user, n in queued.items() if user in heads),
            "head_escalation_digests": Digest.objects.filter(
                recipient__in=heads, cadence=Cadence.DAILY, mail__pk__gt=last_mail
            ).count(),
        },
    }


def mails_phase() -> dict:
    """The outbox by state (after the worker ran)."""
    from django.db.models import Count

    from banding.notifications.models import Mail

    return dict(Mail.objects.values_list("state").annotate(n=Count("id")).order_by("state"))


def reports_phase(repeat: int) -> dict:
    import logging

    from django.db.models import Count

    from banding.appeals.models import Appeal, Status
    from banding.letters.models import Letter
    from banding.letters.render import render_pdf
    from banding.reports.monitoring import monitoring_sheet
    from banding.workdays.periods import Period

    busiest = Appeal.objects.values("year").annotate(n=Count("id")).order_by("-n", "-year").first()
    year = busiest["year"] if busiest else time.localtime().tm_year
    monitoring = []
    for _ in range(repeat):
        wrapper, count = _counting()
        with wrapper:
            started = time.perf_counter()
            sheet = monitoring_sheet(Period.year(year))
            monitoring.append(time.perf_counter() - started)
    rows = len(sheet.rows)

    letter = (
        Letter.objects.select_related("appeal")
        .filter(status="issued", kind="keputusan")
        .order_by("-id")
        .first()
    ) or Letter.objects.select_related("appeal").order_by("-id").first()
    source = "an issued letter" if letter is not None and letter.status == "issued" else ""
    if letter is None:
        # No letter in the database: an unsaved draft for a closed appeal renders the same way.
        from banding.accounts.models import User

        appeal = Appeal.objects.filter(status=Status.CLOSED).order_by("-id").first()
        appeal = appeal or Appeal.objects.order_by("-id").first()
        letter = Letter(
            appeal=appeal,
            kind="penyampaian",
            step=12,
            fields={},
            created_by=User.objects.get(username="staf"),
        )
        source = "an unsaved draft (no letter in the database)"
    # WeasyPrint says, for every PDF, that it subsets fonts with fontTools (no HarfBuzz-Subset
    # on this machine): once is enough, in the README.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf_times, size = [], 0
    for _ in range(1 + repeat):
        started = time.perf_counter()
        size = len(render_pdf(letter))
        pdf_times.append(time.perf_counter() - started)
    return {
        "year": year,
        "monitoring": monitoring,
        "monitoring_queries": count[0],
        "monitoring_rows": rows,
        "letter_kind": letter.kind,
        "letter_source": source or f"a {letter.status} letter",
        "pdf_cold": pdf_times[0],
        "pdf_warm": pdf_times[1:],
        "pdf_bytes": size,
    }


# --- the worker (a child process of the orchestrator) ---------------------------------------


def _proc(pid: int) -> tuple[int, float]:
    """(VmHWM in kB, CPU seconds so far) of a running process; zeros once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:"))
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        return hwm, ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration, IndexError):
        return 0, 0.0


def worker_pass(env: dict[str, str], mail_seconds: float, timeout: float = 1800) -> dict:
    """Run `banding worker` until its periodic jobs have run once and then `mail_seconds`
    more (its mail queue), then stop it with SIGTERM; its peak memory and timings."""
    command = [sys.executable, "-m", "banding.cli", "worker", "--interval", "3600"]
    full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "banding.settings"}
    full_env.setdefault("BANDING_DEVELOPMENT", "true")  # no production secret key needed
    full_env["BANDING_LOG_LEVEL"] = "INFO"  # one line per task: the mail queue is running
    started = time.perf_counter()
    worker = subprocess.Popen(
        command,
        cwd=harness.ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    marks: dict[str, float] = {}
    tasks = [0]

    def read() -> None:
        for line in worker.stdout:
            lines.append(line.rstrip())
            if "Task id=" in line:
                marks.setdefault("mail queue started", time.perf_counter() - started)
                tasks[0] += "state=SUCCESSFUL" in line
            elif line.startswith("tenggat:"):
                marks.setdefault("deadline sweep done", time.perf_counter() - started)
            elif line.startswith("surel:"):
                marks.setdefault("outbox sweep done", time.perf_counter() - started)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    # The periodic jobs are done when the queue starts; failing that (no mail to send), when
    # the worker sits idle, its CPU time standing still.
    peak, jobs_done_at, cpu, still_since = 0, None, -1.0, time.perf_counter()
    while worker.poll() is None and time.perf_counter() - started < timeout:
        hwm, used = _proc(worker.pid)
        peak = max(peak, hwm)
        now = time.perf_counter()
        if used != cpu:
            cpu, still_since = used, now
        if jobs_done_at is None and "mail queue started" in marks:
            jobs_done_at = now
        if jobs_done_at is None and now - still_since > 3 and now - started > 10:
            marks.setdefault("idle", now - started)
            break
        if jobs_done_at is not None and now - jobs_done_at >= mail_seconds:
            break
        time.sleep(0.2)
    peak = max(peak, _proc(worker.pid)[0])
    worker.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = os.waitstatus_to_exitcode(status)
    reader.join(5)
    return {
        "seconds": time.perf_counter() - started,
        "marks": marks,
        "vm_hwm_kb": peak,
        "ru_maxrss_kb": usage.ru_maxrss,
        "exit": worker.returncode,
        "tasks_run": tasks[0],
        "output": [line for line in lines if "Task id=" not in line][-8:],
    }


# --- the script -----------------------------------------------------------------------------


def run_phase(args: argparse.Namespace) -> int:
    harness.setup_django({}, "bench.settings")
    if args.phase == "sweep":
        result = sweep_phase(args.batch_size)
    elif args.phase == "capture":
        result = capture_phase(args.batch_size)
    elif args.phase == "replay":
        result = replay_phase()
    elif args.phase == "mails":
        result = mails_phase()
    else:
        result = reports_phase(args.repeat)
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--repeat", type=int, default=5, help="monitoring and PDF repetitions")
    parser.add_argument(
        "--mail-seconds", type=float, default=20, help="how long the worker sends mail"
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help="the sweep's batch (default: BATCH_SIZE)"
    )
    parser.add_argument(
        "--phase",
        choices=["sweep", "capture", "replay", "mails", "reports"],
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args)

    opened = harness.Target(args.db, args.appeals, args.seed, open_share=1.0)
    usual = harness.Target(args.db, args.appeals, args.seed)
    open_info = harness.ensure(opened, rebuild=args.rebuild)
    usual_info = harness.ensure(usual, rebuild=args.rebuild)

    harness.log(f"deadline sweep, in-process, on a copy of {opened.name}")
    try:
        batch = [f"--batch-size={args.batch_size}"] if args.batch_size else []
        sweep = harness.phase(SCRIPT, ["--phase=sweep", *batch], harness.clone(opened, "sweep"))
    finally:
        harness.discard(opened, "sweep")
    harness.log(
        f"the floor: the first sweep's statements replayed on a fresh copy of {opened.name}"
    )
    try:
        harness.phase(SCRIPT, ["--phase=capture", *batch], harness.clone(opened, "capture"))
        harness.discard(opened, "capture")
        floor = harness.phase(SCRIPT, ["--phase=replay"], harness.clone(opened, "replay"))
    finally:
        harness.discard(opened, "capture")
        harness.discard(opened, "replay")
        STATEMENTS.unlink(missing_ok=True)
    harness.log(f"banding worker, one pass + {args.mail_seconds:g} s of mail, on a fresh copy")
    try:
        env = harness.clone(opened, "worker")
        worker = worker_pass(env, args.mail_seconds)
        worker["outbox"] = harness.phase(SCRIPT, ["--phase=mails"], env)
    finally:
        harness.discard(opened, "worker")
    harness.log(f"monitoring report and a letter PDF on {usual.name}")
    reports = harness.phase(SCRIPT, ["--phase=reports", f"--repeat={args.repeat}"], usual.env())

    first, second = sweep["runs"]
    digest = sweep["digest"]
    notified = first["at_risk"] + first["overdue"] + first["escalated"]
    monitoring_median = harness.median_ms(reports["monitoring"])
    rows = [
        [
            f"deadline sweep, 1st run ({sweep['open_steps']:,} open steps, batches of "
            f"{sweep['batch_size']:,})",
            harness.fmt_duration(first["seconds"]),
            f"{first['queries']:,}",
            f"{first['overdue']:,} overdue + {first['escalated']:,} escalated to the head + "
            f"{first['at_risk']:,} at-risk ({notified / first['seconds']:,.0f} steps/s, "
            f"{first['queries'] / max(notified, 1):.3f} queries per step), "
            f"{first['failed']} failed; budget ≤ 10 s: "
            + ("ok" if first["seconds"] <= SWEEP_BUDGET_S else "MISS"),
        ],
        [
            "floor: the 1st run's statements replayed, no Python of the sweep's",
            harness.fmt_duration(floor["seconds"]),
            f"{floor['statements']:,}",
            f"the same {floor['batches']} transactions on a fresh copy; CPU "
            f"{floor['cpu']:.1f} s (the sweep's: {first['cpu']:.1f} s); final checkpoint "
            f"{floor['checkpoint']:.1f} s; CPU by statement: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in floor["per_statement_cpu"].items()),
        ],
        [
            "deadline sweep, 2nd run (nothing to do)",
            harness.fmt_duration(second["seconds"]),
            f"{second['queries']:,}",
            f"{second['overdue'] + second['at_risk'] + second['escalated']} notices; budget ≤ 5 "
            "queries: " + ("ok" if second["queries"] <= 5 else "MISS"),
        ],
        [
            "digest sweep right after (digest_sweep)",
            harness.fmt_duration(digest["seconds"]),
            f"{digest['queries']:,}",
            f"{digest['mails']:,} e-mails queued to {digest['recipients']:,} people "
            f"({digest['steps']:,} notices listed); per recipient max "
            f"{digest['max_per_recipient']}, Kepala Balai {digest['head']} (of which "
            f"{digest['head_escalation_digests']} escalation digest); budget: the head ≤ 1 "
            "escalation digest: " + ("ok" if digest["head_escalation_digests"] <= 1 else "MISS"),
        ],
        [
            f"SOP monitoring report, year {reports['year']} (monitoring_sheet)",
            f"{monitoring_median:.0f} ms",
            f"{reports['monitoring_queries']}",
            f"median of {len(reports['monitoring'])}, p95 "
            f"{harness.p95_ms(reports['monitoring']):.0f} ms, {reports['monitoring_rows']} rows; "
            "budget ≤ 1 s: "
            + ("ok" if monitoring_median <= MONITORING_BUDGET_S * 1000 else "MISS"),
        ],
        [
            f"letter PDF ({reports['letter_kind']}, {reports['letter_source']})",
            f"{harness.median_ms(reports['pdf_warm']):.0f} ms",
            "",
            f"median of {len(reports['pdf_warm'])} warm; first (cold, loads WeasyPrint) "
            f"{reports['pdf_cold'] * 1000:.0f} ms; {reports['pdf_bytes'] / 1024:.0f} KB",
        ],
        [
            "worker peak memory (VmHWM / ru_maxrss)",
            f"{worker['vm_hwm_kb'] / 1024:.0f} MB",
            "",
            f"ru_maxrss {worker['ru_maxrss_kb'] / 1024:.0f} MB; "
            + _marks(worker["marks"])
            + f"; then up to {args.mail_seconds:g} s of its mail queue ({worker['tasks_run']:,} "
            "tasks run); stopped by SIGTERM after "
            f"{worker['seconds']:.0f} s, exit {worker['exit']}; outbox then: "
            + ", ".join(f"{n:,} {state}" for state, n in worker["outbox"].items()),
        ],
    ]
    print(f"## bench/sweep.py — {args.appeals:,} appeals (seed {args.seed}), {args.db}")
    print()
    print(harness.machine(postgres=args.db == "postgres"))
    print()
    print(
        f"Databases: sweep and worker on copies of `seed-bulk --open-share 1.0` "
        f"({open_info['source']}); report and letter on the usual one ({usual_info['source']})."
    )
    print(
        f"Pending at the first sweep ({sweep['instant']}, the next office instant at or after "
        f"the head's digest time): {sweep['pending']['overdue']:,} overdue, "
        f"{sweep['pending']['head']:,} due for the head's escalation, "
        f"{sweep['pending']['at_risk']:,} at risk (not yet notified)."
    )
    print()
    print(harness.table(["measurement", "time", "queries", "detail"], rows, align="lrrl"))
    if worker["exit"] not in (0, -signal.SIGTERM):
        print()
        print("Worker output (last lines):")
        for line in worker["output"]:
            print(f"    {line}")
    return 0


def _marks(marks: dict[str, float]) -> str:
    if not marks:
        return "— (the worker reported nothing)"
    return ", ".join(f"{job} {seconds:.1f} s" for job, seconds in marks.items())


if __name__ == "__main__":
    sys.exit(main())
