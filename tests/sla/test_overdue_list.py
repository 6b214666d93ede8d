"""The head's overdue list in Tugas saya: every late open step, the head's own included (they
escalate to no one), most overdue first; one query whatever the number."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals.sla import overdue_steps
from banding.appeals.views.inbox import SIDE_SHOWN
from tests.factories import register, walk
from tests.sla.conftest import MINUTE, START, open_step

INBOX = reverse("appeals:inbox")


def section(body: str) -> str:
    return body.split('id="terlambat"', 1)[1] if 'id="terlambat"' in body else ""


def test_overdue_steps_are_the_open_steps_past_due_most_overdue_first(p, clock):
    clock(START + 60 * MINUTE)
    head_step = walk(p, register(p), 6)  # step 6, the head's own, 1 day from 10:00
    clock(START)
    lead_step = register(p)  # step 3, 1 day from 09:00
    panel_step = walk(p, register(p), 7)  # step 7, 30 days: not yet late
    closed = walk(p, register(p), 13)

    clock(open_step(lead_step).due_at)
    assert list(overdue_steps()) == [lead_step]
    clock(open_step(head_step).due_at)
    assert list(overdue_steps()) == [lead_step, head_step]
    assert list(overdue_steps(START)) == []
    panel_due = open_step(panel_step).due_at
    assert panel_step not in overdue_steps(panel_due - MINUTE)
    assert panel_step in overdue_steps(panel_due)
    assert closed.current_due_at is None


def test_the_head_sees_the_overdue_list_in_tugas_saya(client, p, clock):
    lead_step = register(p)
    head_step = walk(p, register(p), 6)
    team_step = walk(p, register(p), 5)
    clock(open_step(lead_step).due_at + MINUTE)
    client.force_login(p.head)

    body = section(client.get(INBOX).content.decode())

    # All three fell due at the same instant: then in the order they were registered.
    positions = [body.index(f">{a.number}</a>") for a in (lead_step, head_step, team_step)]
    assert positions == sorted(positions)
    assert "langkah 6. Penunjukan Tim Panel Banding (Kepala Balai)" in body
    assert "langkah 5. Usulan Tim Panel Banding (Bagian/Tim Teknis: Tim Pengujian)" in body
    assert "jatuh tempo 4 Februari 2026 09:00 WIB" in body


def test_only_the_head_gets_the_overdue_list(client, p, clock):
    appeal = register(p)
    clock(open_step(appeal).due_at)
    for user in (p.lead, p.staff, p.tech, p.auditor):
        client.force_login(user)
        assert section(client.get(INBOX).content.decode()) == "", user


def test_no_overdue_list_when_nothing_is_late(client, p, clock):
    register(p)
    client.force_login(p.head)
    assert section(client.get(INBOX).content.decode()) == ""


def test_the_overdue_list_is_one_query_for_5_or_60_late_steps(client, p, clock, settings):
    for _ in range(5):
        register(p)
    late = open_step(register(p)).due_at
    clock(late)
    client.force_login(p.head)  # at `late`: the session is not idle there (sessions.py)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    clock(START)
    for _ in range(55):
        register(p)
    clock(late)
    with CaptureQueriesContext(connection) as many:
        body = client.get(INBOX).content.decode()

    assert len(few) == len(many)
    assert section(body).count('<li class="list-group-item">') == SIDE_SHOWN
    assert f"Ditampilkan {SIDE_SHOWN} langkah yang paling lama terlambat" in body
