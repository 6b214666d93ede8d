"""What must hold after many app servers and workers took the intake load together, each
check a function returning a Finding (a line of the table, and what is wrong if anything):

- register numbers unique and gapless per year, and a failed intake left nothing (no appeal,
  no number, no stored file);
- every notice the code promises for the run's appeals, none lost, none extra, none twice;
- every Mail sent exactly once: sent, claimed once, one message in the mail files per row,
  Message-IDs unique, one `email.sent` event per mail of an appeal;
- every worker and every app server took part; letters stored through one server are read
  through another; the audit chain verifies.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from pathlib import Path

from django.conf import settings
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from banding.accounts.models import User
from banding.appeals.actors import Players
from banding.appeals.models import Appeal, Channel, Document, RegisterSequence
from banding.audit.models import Event
from banding.notifications.models import Kind, Mail, MailState, Notification
from banding.sop import definition as sop
from banding.sop.definition import Actor
from tests.scaleout.cluster import ROOT, Cluster
from tests.scaleout.load import ABORTED, OK, REFUSED, Drain, Load

# Django's file mail backend ends every message with a line of 79 dashes.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
TASK_LINE = re.compile(r"^tugas: (\d+) dijalankan", re.MULTILINE)
SWEEP_LINE = re.compile(r"^surel: (\d+) surel terkirim", re.MULTILINE)
API_LINE = re.compile(r'"(?:GET|POST) /api/v1/')


@dataclass
class Finding:
    name: str
    figure: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Verdict:
    findings: list[Finding]

    @property
    def violations(self) -> list[str]:
        return [f"{f.name}: {p}" for f in self.findings for p in f.problems]

    @property
    def ok(self) -> bool:
        return not self.violations

    def table(self) -> str:
        rows = [("Check", "Figure", "Verdict")]
        rows += [(f.name, f.figure, "ok" if f.ok else "VIOLATED") for f in self.findings]
        rows.append(
            ("verdict", f"{len(self.violations)} violation(s)", "PASS" if self.ok else "FAIL")
        )
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [
            "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
            for r in rows
        ]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


def run_appeals(load: Load) -> list[Appeal]:
    references = [a.reference for a in load.attempts]
    return list(
        Appeal.objects.filter(complaint_reference__in=references)
        .select_related("organization")
        .prefetch_related("steps")
        .order_by("pk")
    )


# --- the load ------------------------------------------------------------------------------


def intakes(load: Load) -> list[Finding]:
    created = load.created
    kinds = Counter(a.kind for a in load.attempts)
    problems = [f"{a.reference}: {a.error}" for a in load.attempts if a.kind == OK and a.error]
    problems += [
        f"{a.reference} ({a.kind}) answered {a.status}, not refused"
        for a in load.attempts
        if a.kind != OK and (a.status == 201 or not a.status)
    ]
    problems += [
        f"{a.reference} (refused) answered {a.status}, not 400"
        for a in load.attempts
        if a.kind == REFUSED and a.status not in (0, 201, 400)
    ]
    verified = [a for a in created if a.verify_status == 200]
    rate = len(created) / load.seconds if load.seconds else 0.0
    waits = sorted(a.seconds for a in created)
    answers = Counter((a.kind, a.status) for a in load.attempts if a.kind != OK)
    faulty = ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(answers.items()))
    return [
        Finding(
            "intakes",
            f"{len(created)} created of {len(load.attempts)} sent ({kinds[REFUSED]} refused "
            f"and {kinds[ABORTED]} aborted on purpose: {faulty}); "
            f"{len(verified)} verified at step 3",
            problems[:10],
        ),
        Finding("seconds", f"{load.seconds:.1f} ({len(load.urls)} servers, client threads)"),
        Finding("appeals/s", f"{rate:.1f}"),
        Finding("intake request", f"median {_ms(waits, 0.5)} ms, p95 {_ms(waits, 0.95)} ms"),
    ]


def _ms(values: list[float], quantile: float) -> str:
    if not values:
        return "-"
    return f"{1000 * values[min(len(values) - 1, int(quantile * len(values)))]:.0f}"


def drained(drain: Drain) -> Finding:
    if drain.drained:
        return Finding("outbox and task queue drained", f"{drain.seconds:.1f} s after the load")
    return Finding(
        "outbox and task queue drained",
        f"not after {drain.seconds:.0f} s",
        [f"still pending: {drain.pending}"],
    )


# --- register numbers and what failed intakes left -----------------------------------------


def register_numbers(load: Load, appeals: list[Appeal]) -> Finding:
    problems = []
    found = {a.complaint_reference for a in appeals}
    created = {a.reference for a in load.created}
    problems += [f"{ref}: intake answered 201 but no appeal" for ref in sorted(created - found)]
    problems += [f"{ref}: failed intake left an appeal" for ref in sorted(found - created)]
    rows = list(Appeal.objects.values_list("year", "sequence", "number"))
    twice = [n for n, c in Counter(n for _, _, n in rows).items() if c > 1]
    problems += [f"number {n} given twice" for n in twice]
    by_year: dict[int, list[int]] = defaultdict(list)
    for year, sequence, number in rows:
        by_year[year].append(sequence)
        expected = settings.BANDING_REGISTER_FORMAT.format(year=year, seq=sequence)
        if number != expected:
            problems.append(f"{number} is not {expected}")
    counters = dict(RegisterSequence.objects.values_list("year", "last"))
    spans = []
    for year, sequences in sorted(by_year.items()):
        sequences.sort()
        if sequences != list(range(1, len(sequences) + 1)):
            missing = sorted(set(range(1, sequences[-1] + 1)) - set(sequences))
            problems.append(f"{year}: sequence has gaps or repeats (missing {missing[:10]})")
        if counters.get(year) != len(sequences):
            problems.append(f"{year}: counter at {counters.get(year)}, {len(sequences)} appeals")
        spans.append(f"{year}: 1-{sequences[-1]}")
    verdict = "unique and gapless" if not problems else "NOT unique/gapless"
    figure = f"{verdict} ({', '.join(spans)}; {len(appeals)} of the run, {len(rows)} in all)"
    return Finding("register numbers", figure, problems[:10])


def stored_files(media_root: Path) -> Finding:
    """Every stored upload belongs to a Document row and every row's file is there: an
    aborted intake removed the letter it had stored."""
    on_disk = {
        str(p.relative_to(media_root)) for p in (media_root / "appeals").rglob("*") if p.is_file()
    }
    rows = set(Document.objects.values_list("file", flat=True))
    problems = [f"file without a document: {n}" for n in sorted(on_disk - rows)]
    problems += [f"document without its file: {n}" for n in sorted(rows - on_disk)]
    return Finding(
        "failed intakes left no file",
        f"{len(on_disk)} files = {len(rows)} documents",
        problems[:10],
    )


# --- notifications -------------------------------------------------------------------------


def customers_of(appeals: Iterable[Appeal]) -> dict[int, dict[int, str]]:
    """Per organisation, its active customer accounts (id → e-mail): who hears milestones
    (banding.notifications.events.milestone_reached)."""
    orgs = {a.organization_id for a in appeals}
    accounts: dict[int, dict[int, str]] = defaultdict(dict)
    for org, pk, email in User.objects.filter(
        organization_id__in=orgs, is_active=True, groups__isnull=True
    ).values_list("organization_id", "pk", "email"):
        accounts[org][pk] = email
    return accounts


def expected_notices(appeals: list[Appeal]) -> Counter[tuple[int, int, str]]:
    """(recipient, step, kind) of every notice the code promises for these appeals: when a
    step opens, everyone playing its actor (not the customer's step; a staff intake records
    steps 1-2 at once, without opening them); when a step completes with an outcome that
    reaches a milestone, every customer account of the organisation."""
    players = Players(appeals)
    customers = customers_of(appeals)
    expected: Counter[tuple[int, int, str]] = Counter()
    for appeal in appeals:
        for step in appeal.steps.all():
            opened = appeal.channel == Channel.PORTAL or step.number > 2
            if opened and step.actor != Actor.PEL:
                for user in players.of(step.actor, appeal):
                    expected[(user, step.pk, Kind.STEP_ASSIGNED.value)] += 1
            if step.outcome and sop.reached_by(step.number, step.outcome):
                for user in customers[appeal.organization_id]:
                    expected[(user, step.pk, Kind.MILESTONE.value)] += 1
    return expected


def notifications(appeals: list[Appeal]) -> Finding:
    expected = expected_notices(appeals)
    found = Counter(
        Notification.objects.filter(appeal__in=appeals).values_list(
            "recipient_id", "step_id", "kind"
        )
    )
    problems = [f"lost: {key}" for key in sorted(expected - found)]
    problems += [f"not expected: {key}" for key in sorted(found - expected)]
    problems += [f"twice: {key}" for key, count in found.items() if count > 1]
    return Finding(
        "notifications expected/found",
        f"{expected.total()} / {found.total()} "
        f"({Counter(k for _, _, k in found.elements()).most_common()})",
        problems[:10],
    )


# --- mails ---------------------------------------------------------------------------------


def run_mails(appeals: list[Appeal]) -> Finding:
    """The run's appeals got one mail per notice (to a recipient with an address) and one per
    milestone to a contact address that is no account's."""
    problems = []
    notices = Notification.objects.filter(appeal__in=appeals).exclude(recipient__email="")
    per_notice = Counter(
        Mail.objects.filter(notification__in=notices).values_list("notification_id", flat=True)
    )
    missing = set(notices.values_list("pk", flat=True)) - set(per_notice)
    problems += [f"notice {pk} has no mail" for pk in sorted(missing)]
    problems += [f"notice {pk} has {n} mails" for pk, n in per_notice.items() if n > 1]
    customers = customers_of(appeals)
    expected: Counter[tuple[int, str]] = Counter()
    for appeal in appeals:
        known = {e.strip().lower() for e in customers[appeal.organization_id].values()}
        if appeal.contact_email.strip().lower() in known:
            continue
        for step in appeal.steps.all():
            reached = step.outcome and sop.reached_by(step.number, step.outcome)
            if reached:
                expected[(appeal.pk, reached.stage.value)] += 1
    found = Counter(
        (m.appeal_id, m.context.get("stage"))
        for m in Mail.objects.filter(appeal__in=appeals, notification__isnull=True)
    )
    problems += [f"contact mail lost: {k}" for k in sorted(expected - found)]
    problems += [f"contact mail extra: {k}" for k in sorted(found - expected)]
    total = per_notice.total() + found.total()
    return Finding(
        "mails of the run's appeals",
        f"{total} ({per_notice.total()} for notices, {found.total()} to contact addresses)",
        problems[:10],
    )


def mail_files(folder: Path) -> tuple[int, Counter[str]]:
    """How many files, and the Message-ID of every message written in them."""
    files = sorted(folder.glob("*.log")) if folder.is_dir() else []
    ids: Counter[str] = Counter()
    parser = BytesHeaderParser()
    for path in files:
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if chunk.strip():
                ids[str(parser.parsebytes(chunk.lstrip()).get("Message-ID", "")).strip()] += 1
    return len(files), ids


def mails_sent_once(mail_folder: Path) -> list[Finding]:
    """Every Mail row sent, claimed once, written once to the mail files (found by its
    Message-ID: the file backend may put several messages in one file) and, when it belongs
    to an appeal, told once on its timeline (`email.sent`)."""
    rows = list(
        Mail.objects.values_list("public_id", "state", "attempts", "message_id", "appeal_id")
    )
    problems = [f"mail {p} is {s}" for p, s, *_ in rows if s != MailState.SENT]
    problems += [f"mail {p} claimed {n} times" for p, _, n, *_ in rows if n != 1]
    db_ids = Counter(m for *_, m, _ in rows)
    files, file_ids = mail_files(mail_folder)
    problems += [f"{m} in no mail file" for m in sorted(set(db_ids) - set(file_ids))]
    problems += [f"{m} in a file but no mail row" for m in sorted(set(file_ids) - set(db_ids))]
    events = Counter(
        e["mail"] for e in Event.objects.filter(action="email.sent").values_list("data", flat=True)
    )
    of_appeals = {str(p) for p, *_, appeal in rows if appeal is not None}
    problems += [f"{m}: {n} email.sent events" for m, n in events.items() if n > 1]
    problems += [f"{m}: no email.sent event" for m in sorted(of_appeals - set(events))]
    problems += [f"{m}: email.sent event for no mail" for m in sorted(set(events) - of_appeals)]
    unique = [f"Message-ID {m!r} on {n} mails" for m, n in db_ids.items() if n > 1 or not m]
    unique += [f"{m} written {n} times" for m, n in file_ids.items() if n > 1]
    return [
        Finding(
            "mails rows/files/sent events",
            f"{len(rows)} rows, {file_ids.total()} messages in {files} files, "
            f"{events.total()} email.sent events ({len(of_appeals)} mails of appeals)",
            problems[:10],
        ),
        Finding(
            "Message-IDs unique",
            f"{len(db_ids)} distinct in rows, {len(file_ids)} in files",
            unique[:10],
        ),
    ]


# --- who did the work ----------------------------------------------------------------------


def worker_shares(cluster: Cluster) -> list[Finding]:
    """Each worker process's tasks (its own log) matched to a worker id of the task rows by
    count, with the mails that id's tasks sent; the outbox sweep's sends from the logs."""
    tasks: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    problems = []
    for worker_ids, status, value in DBTaskResult.objects.values_list(
        "worker_ids", "status", "return_value"
    ):
        if not worker_ids:
            problems.append(f"a task never claimed, {status}")
            continue
        tasks[worker_ids[-1]] += 1
        if status != TaskResultStatus.SUCCESSFUL:
            problems.append(f"a task of worker {worker_ids[-1][:8]} ended {status}")
        sent[worker_ids[-1]] += (value or {}).get("sent", 0)
    total_sent = Mail.objects.filter(state=MailState.SENT).count()
    unmatched = dict(tasks)
    findings = []
    for process in cluster.worker_processes:
        log = process.output()
        ran = sum(int(n) for n in TASK_LINE.findall(log))
        swept = sum(int(n) for n in SWEEP_LINE.findall(log))
        match = next((w for w, n in unmatched.items() if n == ran), None)
        mails = sent[match] if match else 0
        mine = []
        if match is None:
            mine.append(f"{ran} tasks in its log, no worker id ran as many: {dict(tasks)}")
        else:
            del unmatched[match]
        if ran == 0 or mails + swept == 0:
            mine.append("did no work")
        share = 100 * (mails + swept) / total_sent if total_sent else 0
        findings.append(
            Finding(
                f"{process.name} share",
                f"{ran} tasks, {mails + swept} mails sent ({share:.0f}%)"
                + (f", worker id {match[:8]}" if match else ""),
                mine,
            )
        )
    if unmatched:
        problems.append(f"task rows of unknown workers: {unmatched}")
    if problems:
        findings.append(Finding("task rows", "", problems[:10]))
    return findings


def app_shares(cluster: Cluster, load: Load) -> list[Finding]:
    sent = load.by_server()
    findings = []
    for i, process in enumerate(cluster.app_processes):
        logged = len(API_LINE.findall(process.output()))
        problems = [] if logged >= sent[i] > 0 else [f"{sent[i]} sent, {logged} in its access log"]
        findings.append(
            Finding(f"{process.name} requests", f"{sent[i]} API calls, {logged} logged", problems)
        )
    ok, tried = load.downloads
    findings.append(
        Finding(
            "letters read through another server",
            f"{ok} of {tried}",
            [] if ok == tried > 0 else [f"{tried - ok} of {tried} not read back"],
        )
    )
    return findings


def audit_chain(cluster: Cluster) -> Finding:
    done = subprocess.run(
        [sys.executable, "-m", "banding.cli", "audit", "verify"],
        cwd=ROOT,
        env=cluster.environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    said = [line for line in (done.stdout + done.stderr).splitlines() if "rantai" in line.lower()]
    line = said[-1] if said else f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
    return Finding("audit chain", line, [] if done.returncode == 0 else [line])


def check_all(cluster: Cluster, load: Load, drain: Drain) -> Verdict:
    appeals = run_appeals(load)
    var = cluster.var_dir
    findings = [
        *intakes(load),
        drained(drain),
        register_numbers(load, appeals),
        stored_files(var / "media"),
        notifications(appeals),
        run_mails(appeals),
        *mails_sent_once(var / "mail"),
        *worker_shares(cluster),
        *app_shares(cluster, load),
        audit_chain(cluster),
    ]
    return Verdict(findings)
