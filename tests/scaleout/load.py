"""The load of the scale-out run: demo accounts and API tokens, then client threads that send
API intakes (the real multipart endpoint, POST /api/v1/appeals, a small PDF letter) spread
over every app server, and the step-3 verification of every other appeal on another server,
so step_assigned notices and milestone mails flow; then a wait until the workers have drained
the outbox and the task queue.

Some intakes fail on purpose, to show a failed intake leaves nothing behind: for every 20
meant to succeed, one more is refused by the service's checks (no grounds: 400) and one more
is aborted inside its transaction, after its register number was taken and its letter stored
(a contact phone longer than its column: the database refuses the row, 500)."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlparse

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.accounts.models import CustomerOrganization, User
from banding.accounts.services import api_token_create
from banding.notifications.models import Mail, MailState
from banding.platform import demo
from banding.platform.demo.data import ORGANIZATIONS, TEAMS
from banding.sop import definition as sop

REFUSED, ABORTED, OK = "refused", "aborted", "ok"
INTAKE_PATH = "/api/v1/appeals"
HTTP_TIMEOUT = 60
JSON = "application/json"


@dataclass(frozen=True)
class Customer:
    organization: str  # public id
    email: str  # the organisation's customer account


@dataclass(frozen=True)
class Setup:
    """What the client threads need: tokens, organisations, the letter to upload."""

    run: str
    staff_token: str
    lead_token: str
    customers: tuple[Customer, ...]
    team: str
    checklist: tuple[str, ...]
    letter: bytes


def prepare(*, demo_appeals: bool) -> Setup:
    """The demo accounts (and with `demo_appeals` the demo's appeals, whose mails the workers
    send too), and API tokens for the PJTK staff (intake) and the PJTK lead (step 3)."""
    if demo_appeals:
        demo.seed()
    else:
        demo.seed_accounts()
    _, staff_token = api_token_create(user=User.objects.get(username="staf"), name="skala")
    _, lead_token = api_token_create(user=User.objects.get(username="ketua"), name="skala")
    customers = []
    for name in ORGANIZATIONS:
        org = CustomerOrganization.objects.get(name=name)
        account = User.objects.filter(organization=org, groups__isnull=True).order_by("pk")[0]
        customers.append(Customer(str(org.public_id), account.email))
    return Setup(
        run=uuid.uuid4().hex[:6],
        staff_token=staff_token,
        lead_token=lead_token,
        customers=tuple(customers),
        team=next(iter(TEAMS)),
        checklist=sop.step(3).checklist,
        letter=demo.pdf_bytes("Surat Permohonan Banding", ["Uji beban penerimaan banding."]),
    )


@dataclass
class Attempt:
    """One intake as the client saw it (and its step-3 verification, if any)."""

    index: int
    kind: str  # ok, refused, aborted
    reference: str
    server: int
    status: int = 0
    public_id: str = ""
    verify: str = ""  # "", "relevant" or "not_relevant"
    verify_server: int = 0
    verify_status: int = 0
    error: str = ""
    seconds: float = 0.0  # the intake request, as the client waited for it


@dataclass
class Load:
    attempts: list[Attempt]
    seconds: float
    urls: list[str]
    downloads: tuple[int, int] = (0, 0)  # letters read back through another server: ok, tried
    read_back_requests: list[int] = field(default_factory=list)  # per server

    @property
    def created(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status == 201]

    def by_server(self) -> list[int]:
        """API requests sent to each server (intakes, verifications, read-backs)."""
        counts = [0] * len(self.urls)
        for a in self.attempts:
            counts[a.server] += 1
            if a.verify_status:
                counts[a.verify_server] += 1
        for server, requests in enumerate(self.read_back_requests):
            counts[server] += requests
        return counts


def plan(setup: Setup, appeals: int, servers: int) -> list[Attempt]:
    """`appeals` intakes meant to succeed, plus one refused and one aborted per 20 (at least
    one each), spread round-robin over the servers; every other appeal of each server is
    verified at step 3 on the next server, alternately relevant and not relevant."""
    faulty = max(1, appeals // 20)
    total = appeals + 2 * faulty
    spacing = total / (2 * faulty)  # the faulty ones run among the others, evenly
    bad = {int(spacing * (k + 0.5)): (REFUSED, ABORTED)[k % 2] for k in range(2 * faulty)}
    order = [bad.get(i, OK) for i in range(total)]
    attempts = []
    verified = 0
    for i, kind in enumerate(order):
        a = Attempt(i, kind, f"SKALA-{setup.run}-{i:05d}", server=i % servers)
        if kind == OK and (i // servers) % 2 == 0:
            a.verify = "relevant" if verified % 2 == 0 else "not_relevant"
            a.verify_server = (a.server + 1) % servers
            verified += 1
        attempts.append(a)
    return attempts


def drive(urls: list[str], setup: Setup, *, appeals: int, threads: int) -> Load:
    """Send the planned intakes from `threads` client threads; returns what each got."""
    attempts = plan(setup, appeals, len(urls))
    todo: queue.SimpleQueue[Attempt] = queue.SimpleQueue()
    for a in attempts:
        todo.put(a)

    def client() -> None:
        while True:
            try:
                a = todo.get_nowait()
            except queue.Empty:
                return
            try:
                _intake(urls, setup, a)
                if a.status == 201 and a.verify:
                    _verify(urls, setup, a)
            except Exception as error:  # a broken connection is a failed request, reported
                a.error = a.error or f"{type(error).__name__}: {error}"

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    load = Load(attempts, time.monotonic() - started, urls)
    load.downloads, load.read_back_requests = read_back(urls, setup, load.created[:6])
    return load


def _intake(urls: list[str], setup: Setup, a: Attempt) -> None:
    customer = setup.customers[a.index % len(setup.customers)]
    now = timezone.now()
    fields = {
        "organization": customer.organization,
        "contact_name": f"Narahubung {a.index}",
        # Every third appeal names an address that is no account's: a mail of its own.
        "contact_email": (
            customer.email if a.index % 3 else f"kontak.{setup.run}.{a.index}@pelanggan.example"
        ),
        "contact_phone": "0" * 60 if a.kind == ABORTED else "021-5550123",
        "channel": "email",
        "received_at": (now - timedelta(minutes=30)).isoformat(),
        "complaint_reference": a.reference,
        "complaint_outcome_date": (timezone.localdate(now) - timedelta(days=7)).isoformat(),
        "service_type": "pengujian",
        "reference_document": f"LHU-{a.index}",
        "grounds": "" if a.kind == REFUSED else "Hasil uji berbeda dengan data pembanding.",
        "remedy_sought": "Pengujian ulang sampel pembanding.",
        "no_involved_reason": "Tidak ada pegawai yang terlibat (beban uji).",
    }
    files = {"letter": ("surat-permohonan-banding.pdf", setup.letter, "application/pdf")}
    started = time.monotonic()
    a.status, body = _post_multipart(urls[a.server], INTAKE_PATH, setup.staff_token, fields, files)
    a.seconds = time.monotonic() - started
    if a.status == 201:
        a.public_id = body["id"]
    elif a.kind == OK:
        a.error = f"intake {a.status}: {body}"


def _verify(urls: list[str], setup: Setup, a: Attempt) -> None:
    relevant = a.verify == "relevant"
    payload = {
        "checklist": {item: True for item in setup.checklist},
        "relevant": relevant,
        "reasons": "" if relevant else "Keberatan tidak menyangkut hasil kegiatan teknis.",
        "technical_team": setup.team if relevant else None,
    }
    path = f"{INTAKE_PATH}/{a.public_id}/verify"
    body = json.dumps(payload).encode()
    url = urls[a.verify_server]
    a.verify_status, answer = _request(url, "POST", path, setup.lead_token, body, JSON)
    if a.verify_status != 200:
        a.error = f"verify {a.verify_status}: {answer}"


def read_back(
    urls: list[str], setup: Setup, created: list[Attempt]
) -> tuple[tuple[int, int], list[int]]:
    """Download the letters of a few appeals through a server other than the one that stored
    them (the media directory is shared). Returns (read, tried) and the requests per server."""
    ok, requests = 0, [0] * len(urls)
    for a in created:
        server = (a.server + 1) % len(urls)
        path = f"{INTAKE_PATH}/{a.public_id}/documents"
        status, docs = _request(urls[server], "GET", path, setup.staff_token)
        requests[server] += 1
        if status != 200 or not docs:
            continue
        status, content = _request(urls[server], "GET", docs[0]["download_url"], setup.staff_token)
        requests[server] += 1
        ok += status == 200 and content == setup.letter
    return (ok, len(created)), requests


def _post_multipart(
    url: str, path: str, token: str, fields: dict[str, str], files: dict[str, tuple]
) -> tuple[int, object]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return _request(url, "POST", path, token, body, f"multipart/form-data; boundary={boundary}")


def _request(
    url: str,
    method: str,
    path: str,
    token: str,
    body: bytes | None = None,
    content_type: str = "",
) -> tuple[int, object]:
    """One request on its own connection (gunicorn's sync workers close after each answer);
    returns the status and the JSON body (bytes when it is not JSON)."""
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=HTTP_TIMEOUT)
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    if response.getheader("Content-Type", "").startswith(JSON):
        return response.status, json.loads(data)
    return response.status, data


@dataclass
class Drain:
    drained: bool
    seconds: float
    pending: dict[str, int] = field(default_factory=dict)


def wait_drained(*, timeout: float, stall: float = 20.0, poll: float = 0.25) -> Drain:
    """Wait until no mail is queued or being sent and no task is ready or running; give up
    after `timeout`, or once nothing has moved for `stall` seconds (a mail left in "sending"
    waits for the outbox sweep's BANDING_MAIL_STALE_MINUTES)."""
    started = moved = time.monotonic()
    last: dict[str, int] = {}
    while True:
        pending = {
            "mails": Mail.objects.filter(state__in=[MailState.QUEUED, MailState.SENDING]).count(),
            "tasks": DBTaskResult.objects.filter(
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ).count(),
        }
        now = time.monotonic()
        if not any(pending.values()):
            return Drain(True, now - started)
        if pending != last:
            last, moved = pending, now
        if now - started > timeout or now - moved > stall:
            return Drain(False, now - started, pending)
        time.sleep(poll)
