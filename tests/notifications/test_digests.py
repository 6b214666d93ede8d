"""Digests, not floods (banding.notifications.digests): the deadline sweep's notices reach each
person as one e-mail per digest window, within office hours; the head's escalations once a
working day at BANDING_DIGEST_HEAD_TIME. Time is controlled with time-machine, from an
ordinary working Tuesday (3 February 2026); 16–17 February 2026 are cuti bersama Imlek and
Imlek."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from banding.accounts.models import User
from banding.appeals.models import Step
from banding.appeals.sla import sla_sweep
from banding.notifications import digests
from banding.notifications.checks import digest_settings_check
from banding.notifications.digests import digest_sweep
from banding.notifications.models import Cadence, Digest, Kind, Mail, MailState, Notification
from banding.notifications.outbox import ORPHAN_GRACE, outbox_sweep
from tests.factories import register

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 2, 3, 9, 0, tzinfo=WIB)  # an ordinary working Tuesday
DEADLINE_KINDS = ["step_at_risk", "step_overdue", "escalation"]


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def clock(time_machine):
    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    move(START)
    return move


@pytest.fixture
def people(p):
    for user in (p.staff, p.lead, p.head):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@balai.example.go.id")
    return p


def late_steps(p, dues: list[datetime]) -> list[Step]:
    """One registered appeal per due instant; its open step (3, the lead's) falls due then
    (never at risk before: the at-risk instant is the due instant)."""
    steps = []
    for due in dues:
        step = register(p).steps.get(completed_at__isnull=True)
        Step.objects.filter(pk=step.pk).update(due_at=due, at_risk_at=due)
        step.refresh_from_db()
        steps.append(step)
    return steps


def digests_to(user: User) -> list[Mail]:
    return list(Mail.objects.filter(kind="digest", to_user=user).order_by("pk"))


def sweep(at: datetime, clock) -> None:
    clock(at)
    sla_sweep()
    digest_sweep()


# --- one digest, not a flood ---------------------------------------------------------------


def test_many_late_steps_make_one_digest_per_person_most_overdue_first(people, clock):
    # An outage: steps fell due over two days and nobody swept; the catch-up sweep.
    dues = [wib(2026, 2, 3, 10, 0) + timedelta(hours=5 * i) for i in range(12)][::-1]
    steps = late_steps(people, dues)
    sweep(wib(2026, 2, 6, 9, 0), clock)  # Friday 09:00

    # In the app: one notice per step, as before.
    assert Notification.objects.filter(kind=Kind.STEP_OVERDUE).count() == 12
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 12
    # By e-mail: no mail per step; one digest to the lead, one to the head.
    assert not Mail.objects.filter(kind__in=DEADLINE_KINDS).exists()
    (lead,) = digests_to(people.lead)
    (head,) = digests_to(people.head)
    assert lead.context["cadence"] == Cadence.HOURLY
    assert head.context["cadence"] == Cadence.DAILY
    assert [i["kind"] for i in head.context["items"]] == [Kind.ESCALATION] * 12
    by_due = sorted(steps, key=lambda s: s.due_at)
    assert [i["number"] for i in lead.context["items"]] == [s.appeal.number for s in by_due]
    first = lead.context["items"][0]
    assert (first["step"], first["overdue"], first["executor"]) == (3, True, "Ketua Tim PJTK")
    assert first["link"].endswith(f"/banding/{by_due[0].appeal.public_id}/")
    assert not Notification.objects.filter(digest_pending=True).exists()

    # Nothing more to send: a second run writes nothing.
    assert not digest_sweep()
    assert Mail.objects.filter(kind="digest").count() == 2


def test_the_digest_mail_lists_every_step_and_is_sent_by_the_outbox(people, clock, mailoutbox):
    """A worker that dies after the claim loses nothing: the claim and the mail commit
    together; no task runs here, and a later outbox sweep sends the mail."""
    steps = late_steps(people, [wib(2026, 2, 3, 10, 0), wib(2026, 2, 3, 11, 0)])
    sweep(wib(2026, 2, 3, 11, 30), clock)
    (mail,) = digests_to(people.lead)
    assert mail.state == MailState.QUEUED
    assert Digest.objects.get(mail=mail).notifications.count() == 2

    clock(wib(2026, 2, 3, 11, 30) + ORPHAN_GRACE + timedelta(minutes=1))
    assert outbox_sweep().sent >= 2  # the digests (and the registrations' mails)
    mail.refresh_from_db()
    assert mail.state == MailState.SENT
    assert "Ringkasan tenggat: 2 langkah" in mail.subject
    for step in steps:
        assert f"banding {step.appeal.number}, langkah 3 (" in mail.text
    assert mail.text.index(steps[0].appeal.number) < mail.text.index(steps[1].appeal.number)
    assert [m.to for m in mailoutbox if "Ringkasan tenggat" in m.subject] == [[mail.to_address]]


def test_the_claim_and_the_mail_are_one_transaction(people, clock, monkeypatch):
    late_steps(people, [wib(2026, 2, 3, 10, 0)])
    clock(wib(2026, 2, 3, 10, 30))
    sla_sweep()

    def broken(**kwargs):
        raise RuntimeError("kotak keluar rusak")

    monkeypatch.setattr(digests, "mail_enqueue", broken)
    result = digest_sweep()

    assert result.failed == 2 and result.digests == 0
    assert not Digest.objects.exists()
    assert Notification.objects.filter(digest_pending=True).count() == 2  # still waiting
    monkeypatch.undo()
    assert digest_sweep().digests == 2


# --- windows -------------------------------------------------------------------------------


def test_a_person_gets_at_most_one_digest_per_window(people, clock, settings):
    settings.BANDING_DIGEST_WINDOW_MINUTES = "60"
    _a, b, c = late_steps(
        people, [wib(2026, 2, 3, 10, 0), wib(2026, 2, 3, 10, 30), wib(2026, 2, 3, 10, 50)]
    )
    sweep(wib(2026, 2, 3, 10, 1), clock)
    assert [len(m.context["items"]) for m in digests_to(people.lead)] == [1]

    sweep(wib(2026, 2, 3, 10, 31), clock)  # b is late; the lead's window runs to 11:01
    sweep(wib(2026, 2, 3, 10, 51), clock)  # c too
    assert len(digests_to(people.lead)) == 1
    sweep(wib(2026, 2, 3, 11, 1), clock)
    second = digests_to(people.lead)[1]
    assert [i["number"] for i in second.context["items"]] == [b.appeal.number, c.appeal.number]

    # The head: the first step's escalation today (after 08:00), b's and c's the next working day.
    assert [len(m.context["items"]) for m in digests_to(people.head)] == [1]
    sweep(wib(2026, 2, 4, 7, 45), clock)  # office open, before the head's time
    assert len(digests_to(people.head)) == 1
    sweep(wib(2026, 2, 4, 8, 0), clock)
    assert [len(m.context["items"]) for m in digests_to(people.head)] == [1, 2]


def test_the_head_time_is_a_setting(people, clock, settings):
    settings.BANDING_DIGEST_HEAD_TIME = "13:00"
    late_steps(people, [wib(2026, 2, 3, 10, 0)])
    sweep(wib(2026, 2, 3, 12, 59), clock)
    assert digests_to(people.head) == [] and len(digests_to(people.lead)) == 1
    sweep(wib(2026, 2, 3, 13, 0), clock)
    assert len(digests_to(people.head)) == 1


def test_no_digest_outside_office_hours_across_a_weekend_and_a_holiday(people, clock):
    # Friday 13 February 2026 after closing (16:30); Monday 16 (cuti bersama Imlek) and
    # Tuesday 17 (Imlek) are closed: the office opens again on Wednesday 18 at 07:30.
    late_steps(people, [wib(2026, 2, 13, 16, 40)])
    for at in (
        wib(2026, 2, 13, 16, 45),
        wib(2026, 2, 14, 10, 0),
        wib(2026, 2, 16, 9, 0),
        wib(2026, 2, 17, 9, 0),
        wib(2026, 2, 18, 7, 29),
    ):
        sweep(at, clock)
        assert not Mail.objects.filter(kind="digest").exists(), at
    assert Notification.objects.filter(kind=Kind.STEP_OVERDUE).count() == 1  # in the app

    sweep(wib(2026, 2, 18, 7, 30), clock)
    assert len(digests_to(people.lead)) == 1 and digests_to(people.head) == []
    sweep(wib(2026, 2, 18, 8, 0), clock)
    assert len(digests_to(people.head)) == 1


def test_a_step_completed_before_its_digest_is_not_listed(people, clock):
    a, b = late_steps(people, [wib(2026, 2, 3, 10, 0), wib(2026, 2, 3, 10, 0)])
    clock(wib(2026, 2, 3, 10, 5))
    sla_sweep()
    Step.objects.filter(pk=a.pk).update(completed_at=wib(2026, 2, 3, 10, 4))
    digest_sweep()
    (mail,) = digests_to(people.lead)
    assert [i["number"] for i in mail.context["items"]] == [b.appeal.number]
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_a_person_without_an_address_gets_no_mail_and_no_backlog(p, clock):
    late_steps(p, [wib(2026, 2, 3, 10, 0)])
    sweep(wib(2026, 2, 3, 10, 5), clock)
    assert not Mail.objects.filter(kind="digest").exists()
    assert not Notification.objects.filter(digest_pending=True).exists()


# --- settings that make no sense are refused at start-up ----------------------------------


@pytest.mark.parametrize(
    ("window", "head", "ids"),
    [
        ("60", "08:00", []),
        ("0", "08:00", ["banding.E101"]),
        ("-15", "08:00", ["banding.E101"]),
        ("sejam", "08:00", ["banding.E101"]),
        ("60", "06:00", ["banding.E102"]),
        ("60", "16:15", ["banding.E102"]),  # open on Friday only (16:30)
        ("60", "8 pagi", ["banding.E102"]),
        ("0", "25:00", ["banding.E101", "banding.E102"]),
    ],
)
def test_digest_settings_that_make_no_sense_are_refused(settings, window, head, ids):
    settings.BANDING_DIGEST_WINDOW_MINUTES = window
    settings.BANDING_DIGEST_HEAD_TIME = head
    found = digest_settings_check(None)
    assert [e.id for e in found] == ids
    assert all(isinstance(e, Error) for e in found)


def test_banding_check_stops_on_a_bad_digest_setting(settings):
    settings.BANDING_DIGEST_WINDOW_MINUTES = "0"
    with pytest.raises(
        SystemCheckError, match="BANDING_DIGEST_WINDOW_MINUTES harus paling sedikit 1 menit"
    ):
        call_command("check")
