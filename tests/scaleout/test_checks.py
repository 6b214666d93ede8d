"""The scale-out checks (tests/scaleout/checks.py) on appeals written by the services in this
process: they pass on what the services really write, and they report a gap, a lost notice, a
mail not sent and a mail written twice. Any database."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage, mailers
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Appeal, Status
from banding.notifications.models import Kind, Mail, Notification
from banding.notifications.outbox import mail_deliver_pending
from banding.sop import definition as sop
from tests.factories import register, rejection_letter, similar_confirmed, walk
from tests.scaleout.checks import (
    mail_files,
    mails_sent_once,
    notifications,
    register_numbers,
    run_appeals,
    run_mails,
)
from tests.scaleout.load import OK, Attempt, Load


@pytest.fixture
def file_mail(settings, tmp_path):
    folder = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


def load_of(appeals: list[Appeal]) -> Load:
    attempts = [
        Attempt(i, OK, a.complaint_reference, 0, status=201, public_id=str(a.public_id))
        for i, a in enumerate(appeals)
    ]
    return Load(attempts, seconds=1.0, urls=["http://127.0.0.1:1"])


@pytest.fixture
def appeals(p) -> list[Appeal]:
    """At step 3; at step 7 (panel seated); closed, its contact no account; rejected."""
    first = register(p, complaint_reference="KEL/1")
    second = walk(p, register(p, complaint_reference="KEL/2"), 7)
    third = walk(p, register(p, complaint_reference="KEL/3", contact_email="x@lain.example"), 99)
    fourth = register(p, complaint_reference="KEL/4")
    checklist = dict.fromkeys(sop.step(3).checklist, True)
    services.appeal_verify(
        appeal=fourth,
        **similar_confirmed(fourth),
        user=p.lead,
        checklist=checklist,
        relevant=False,
        reasons="Di luar.",
    )
    rejection_letter(p, fourth)
    services.appeal_reject(
        appeal=fourth,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="courier",
    )
    return [first, second, third, fourth]


def test_it_passes_what_the_services_write(appeals, file_mail):
    load = load_of(appeals)
    found = run_appeals(load)
    mail_deliver_pending()

    findings = [
        register_numbers(load, found),
        notifications(found),
        run_mails(found),
        *mails_sent_once(file_mail),
    ]

    assert [a.status for a in found] == [Status.OPEN, Status.OPEN, Status.CLOSED, Status.REJECTED]
    assert [(f.name, f.problems) for f in findings if f.problems] == []
    assert notifications(found).figure.startswith(f"{Notification.objects.count()} / ")


def test_it_reports_a_gap_in_the_register_numbers(appeals):
    Appeal.objects.filter(pk=appeals[1].pk).update(sequence=5, number="BDG/2026/0005")

    finding = register_numbers(load_of(appeals), run_appeals(load_of(appeals)))

    assert finding.problems[0].startswith(f"{appeals[0].year}: sequence has gaps or repeats")


def test_it_reports_an_appeal_the_client_saw_fail(appeals):
    load = load_of(appeals)
    load.attempts[0].status = 500

    finding = register_numbers(load, run_appeals(load))

    assert finding.problems == ["KEL/1: failed intake left an appeal"]


def test_it_reports_a_lost_and_an_unexpected_notice(appeals, p):
    lost = Notification.objects.filter(appeal=appeals[0], kind=Kind.MILESTONE).first()
    key = (lost.recipient_id, lost.step_id, lost.kind)
    lost.delete()
    Notification.objects.create(
        recipient=p.auditor, kind=Kind.STEP_ASSIGNED, appeal=appeals[0], step=lost.step, message="x"
    )

    finding = notifications(run_appeals(load_of(appeals)))

    assert finding.problems == [
        f"lost: {key}",
        f"not expected: {(p.auditor.pk, lost.step_id, 'step_assigned')}",
    ]


def test_it_reports_a_mail_not_sent_and_a_mail_written_twice(appeals, file_mail):
    mail_deliver_pending()
    unsent = Mail.objects.order_by("pk").first()
    Mail.objects.filter(pk=unsent.pk).update(state="sending")
    first = sorted(file_mail.glob("*.log"))[0]
    (file_mail / "again.log").write_bytes(first.read_bytes())

    sent, unique = mails_sent_once(file_mail)

    twice = [m for m, n in mail_files(file_mail)[1].items() if n == 2]
    assert f"mail {unsent.public_id} is sending" in sent.problems
    assert twice
    assert unique.problems == [f"{m} written 2 times" for m in twice][:10]


def test_mail_files_reads_every_message_of_one_file(file_mail):
    messages = [
        EmailMessage("S", "Isi.", to=["a@b.example"], headers={"Message-ID": f"<m{i}@x>"})
        for i in range(3)
    ]

    mailers.default.send_messages(messages)

    files, ids = mail_files(file_mail)

    assert (files, sorted(ids.elements())) == (1, ["<m0@x>", "<m1@x>", "<m2@x>"])
