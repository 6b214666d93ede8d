"""`banding seed-bulk`: its options and the table it prints."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from banding.appeals.models import Appeal, Status, Step
from banding.notifications.models import Kind, Notification
from bench.bulk.load import NOTICE_DAYS


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_bulk", *args, stdout=out)
    return out.getvalue()


def test_it_prints_rows_per_table_seconds_and_the_rate(db):
    output = run("--appeals", "40", "--seed", "5", "--jobs", "1")
    assert "| appeals_appeal | 40 | 1.00 |" in output
    assert "| audit_event |" in output and "| appeals_step |" in output
    assert "40 banding (" in output and "banding/detik" in output
    assert Appeal.objects.count() == 40


def test_open_share_one_leaves_every_appeal_open(db):
    run("--appeals", "30", "--open-share", "1", "--jobs", "1")
    assert set(Appeal.objects.values_list("status", flat=True)) == {Status.OPEN}


def test_notice_days_zero_keeps_every_notice(db):
    run("--appeals", "30", "--seed", "2", "--notice-days", "0", "--jobs", "1")
    old = timezone.now() - timedelta(days=NOTICE_DAYS)
    older = Notification.objects.filter(created_at__lt=old).count()
    assert older > Notification.objects.filter(created_at__gte=old).count()
    # Every step someone was told to act on, and every milestone, has its notices.
    opened = Step.objects.filter(number__gte=3).count()
    opened += Step.objects.filter(number=2, appeal__channel="portal").count()
    told = Notification.objects.filter(kind=Kind.STEP_ASSIGNED).order_by().values("step")
    assert told.distinct().count() == opened


@pytest.mark.parametrize(
    "args, message",
    [
        (["--appeals", "0"], "--appeals harus paling sedikit 1."),
        (["--appeals", "5", "--years", "0"], "--years harus paling sedikit 1."),
        (["--appeals", "5", "--notice-days", "-1"], "--notice-days tidak boleh negatif."),
    ],
)
def test_it_refuses_bad_options(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
