"""Digests, not floods: the deadline sweep's notices by e-mail (`digest_sweep`, run by `banding
worker` each cycle and by `banding sla` after the sweep).

The sweep writes one in-app notice per step and person (banding.notifications.services), and
marks each at-risk reminder, overdue notice and escalation as waiting for a digest
(Notification.digest_pending). This job sends each person ONE e-mail listing every notice
waiting for them, most overdue first:
  - reminders and overdue notices (and escalations to anyone but the Kepala Balai) at most
    once per BANDING_DIGEST_WINDOW_MINUTES, and only while the office is open (the work
    calendar, banding.workdays);
  - escalations to the Kepala Balai once a working day, from BANDING_DIGEST_HEAD_TIME (WIB).
After an outage the person gets one catch-up digest, never one mail per missed step.

Exactly once: per person and cadence, one transaction
  1. locks the person's account row (skipping one another job holds: it is being digested);
  2. checks the window again (the last digest of that cadence, now visible);
  3. writes the Digest row and claims the waiting notices with a conditional UPDATE
     (`digest_pending AND digest IS NULL` → this digest), which matches no row another job
     claimed first;
  4. queues the mail through the outbox (banding.notifications.outbox), whose delivery and
     retries are the outbox's.
The mail row commits with the claim: a worker that dies after the claim loses nothing, the
outbox sends it later.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from banding.accounts.models import User
from banding.accounts.roles import Role
from banding.appeals.actors import executor
from banding.configured import whole_number
from banding.formats import format_instant
from banding.notifications.links import absolute, staff_url
from banding.notifications.models import Cadence, Digest, Kind, Notification
from banding.notifications.outbox import mail_enqueue
from banding.sop import definition as sop
from banding.workdays.calendar import OfficeHours, WorkCalendar, current_calendar

logger = logging.getLogger(__name__)

MAIL_KIND = "digest"  # templates notifications/email/digest-*


# --- settings ------------------------------------------------------------------------------


def digest_window() -> timedelta:
    """BANDING_DIGEST_WINDOW_MINUTES as a duration; ImproperlyConfigured when it makes no
    sense (not a whole number, zero or negative)."""
    return timedelta(minutes=whole_number("BANDING_DIGEST_WINDOW_MINUTES", "menit"))


def head_time(hours: OfficeHours | None = None) -> time:
    """BANDING_DIGEST_HEAD_TIME ("HH:MM", WIB); ImproperlyConfigured when it is not a time or
    falls outside the office hours of a working weekday."""
    raw = settings.BANDING_DIGEST_HEAD_TIME
    try:
        at = raw if isinstance(raw, time) else time.fromisoformat(str(raw).strip())
    except ValueError:
        raise ImproperlyConfigured(
            f'BANDING_DIGEST_HEAD_TIME harus jam dalam bentuk "HH:MM", mis. "08:00", bukan {raw!r}.'
        ) from None
    hours = hours if hours is not None else current_calendar().hours
    for weekday, (opening, closing) in sorted(hours.items()):
        if not opening <= at < closing:
            raise ImproperlyConfigured(
                f"BANDING_DIGEST_HEAD_TIME {at:%H:%M} di luar jam kantor "
                f"({opening:%H:%M}–{closing:%H:%M} pada hari {weekday}, 0 = Senin): "
                "ringkasan eskalasi harian dikirim pada jam kantor."
            )
    return at


# --- the job -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    digests: int = 0  # digest e-mails queued
    steps: int = 0  # notices they list
    failed: int = 0  # people whose digest could not be written (logged; retried next run)

    def __bool__(self) -> bool:
        return bool(self.digests or self.failed)

    def __str__(self) -> str:
        text = f"{self.digests} ringkasan tenggat diantrekan ({self.steps} langkah)"
        return f"{text}, {self.failed} gagal" if self.failed else text


def office_open(now: datetime, calendar: WorkCalendar) -> bool:
    return calendar.next_open(now) == calendar.local(now)


def digest_sweep(now: datetime | None = None) -> DigestResult:
    """Queue every digest due at `now` (default: the clock): nothing while the office is
    closed; otherwise one mail per person and cadence whose window has passed."""
    now = now or timezone.now()
    calendar = current_calendar()
    if not office_open(now, calendar):
        return DigestResult()
    waiting: dict[int, set[str]] = defaultdict(set)
    rows = (
        Notification.objects.filter(digest_pending=True)
        .order_by()
        .values_list("recipient_id", "kind")
        .distinct()
    )
    for recipient_id, kind in rows:
        waiting[recipient_id].add(kind)
    if not waiting:
        return DigestResult()
    heads = set(
        User.objects.filter(pk__in=waiting, groups__name=Role.HEAD).values_list("pk", flat=True)
    )
    digests = steps = failed = 0
    for recipient_id in sorted(waiting):
        for cadence, kinds in _cadences(waiting[recipient_id], recipient_id in heads):
            if not _due(recipient_id, cadence, now, calendar):
                continue
            try:
                listed = _send(recipient_id, cadence, kinds, now, calendar)
            except Exception:
                logger.exception("Ringkasan tenggat untuk pengguna %s gagal.", recipient_id)
                failed += 1
                continue
            if listed:
                digests += 1
                steps += listed
    return DigestResult(digests=digests, steps=steps, failed=failed)


def _cadences(kinds: set[str], head: bool) -> list[tuple[str, list[str]]]:
    """The person's waiting kinds by cadence: the head's escalations daily, the rest hourly."""
    daily = sorted(k for k in kinds if head and k == Kind.ESCALATION)
    hourly = sorted(k for k in kinds if k not in daily)
    return [(c, ks) for c, ks in ((Cadence.HOURLY, hourly), (Cadence.DAILY, daily)) if ks]


def _due(recipient_id: int, cadence: str, now: datetime, calendar: WorkCalendar) -> bool:
    """Whether the person's next digest of `cadence` may go at `now` (office open)."""
    sent = Digest.objects.filter(recipient_id=recipient_id, cadence=cadence)
    if cadence == Cadence.DAILY:
        today = calendar.local(now).date()
        if not calendar.is_working_day(today):
            return False
        at = datetime.combine(today, head_time(calendar.hours), tzinfo=calendar.tz)
        return now >= at and not sent.filter(created_at__gte=at).exists()
    last = sent.order_by("-created_at").values_list("created_at", flat=True).first()
    return last is None or last <= now - digest_window()


def _lock_recipient(recipient_id: int) -> User | None:
    """The person's account, locked for this transaction; None when another job holds it."""
    qs = User.objects.filter(pk=recipient_id)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(no_key=True, skip_locked=True)
    return qs.first()


def _send(
    recipient_id: int, cadence: str, kinds: list[str], now: datetime, calendar: WorkCalendar
) -> int:
    """Claim the person's waiting notices of `kinds` and queue their digest, in one
    transaction. Returns the number of steps its mail lists (0: no mail queued)."""
    with transaction.atomic():
        recipient = _lock_recipient(recipient_id)
        if recipient is None or not _due(recipient_id, cadence, now, calendar):
            return 0
        digest = Digest.objects.create(recipient=recipient, cadence=cadence, created_at=now)
        claimed = Notification.objects.filter(
            recipient_id=recipient_id, kind__in=kinds, digest_pending=True, digest__isnull=True
        ).update(digest=digest, digest_pending=False)
        if not claimed:  # another job took them first
            digest.delete()
            return 0
        items = _items(digest, now)
        if items:
            digest.count = len(items)
            digest.mail = mail_enqueue(
                kind=MAIL_KIND,
                to_user=recipient,
                context={
                    "cadence": cadence,
                    "items": items,
                    "count": len(items),
                    "overdue": sum(1 for item in items if item["overdue"]),
                    "link": absolute(reverse("notifications:list")),
                },
            )
            digest.save(update_fields=["count", "mail"])
    # No address: claimed (the notices stay in the app), nothing mailed.
    return len(items) if digest.mail is not None else 0


def _items(digest: Digest, now: datetime) -> list[dict]:
    """The claimed notices whose step is still open, most overdue first (a step completed
    meanwhile needs no reminder: claimed, not listed)."""
    notices = (
        Notification.objects.filter(digest=digest, step__completed_at__isnull=True)
        .select_related("appeal__technical_team", "step")
        .order_by("step__due_at", "appeal_id", "step_id", "kind")
    )
    items = []
    for n in notices:
        step, appeal = n.step, n.appeal
        assert step is not None  # filtered on the step
        items.append(
            {
                "kind": n.kind,
                "number": appeal.number,
                "step": step.number,
                "title": str(sop.step(step.number).title),
                "executor": executor(step.actor, appeal),
                "due": format_instant(step.due_at, pukul=True) if step.due_at else "—",
                "overdue": step.due_at is not None and step.due_at <= now,
                "link": staff_url(appeal),
            }
        )
    return items
