"""Who is told when a step opens (giliran) and when a milestone is reached (kemajuan): the
notices and their e-mails, written in the action's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Channel, Step
from banding.notifications import events
from banding.notifications.models import Kind, Mail, Notification
from banding.sop import definition as sop
from banding.sop.definition import Actor
from tests.factories import make_user, register, rejection_letter, similar_confirmed, walk
from tests.mail.conftest import ADDRESSES

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 2, 3, 9, 0, tzinfo=WIB)  # an ordinary working Tuesday


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def told(kind: str, step: int | None = None) -> set[str]:
    qs = Notification.objects.filter(kind=kind)
    if step is not None:
        qs = qs.filter(step__number=step)
    return set(qs.values_list("recipient__username", flat=True))


def mailed(kind: str) -> list[str]:
    return sorted(Mail.objects.filter(kind=kind).values_list("to_address", flat=True))


# --- step_opened -----------------------------------------------------------------------------


def test_registering_tells_the_lead_it_is_their_turn(mailable, clock):
    appeal = register(mailable)

    notice = Notification.objects.get(kind=Kind.STEP_ASSIGNED)
    assert notice.recipient == mailable.lead
    assert notice.step == appeal.steps.get(number=3)
    assert notice.message == (
        f"Giliran Anda: langkah 3 (Verifikasi kelengkapan dan relevansi) banding "
        f"{appeal.number}, tenggat Rabu, 4 Februari 2026 pukul 09:00 WIB."
    )
    mail = Mail.objects.get(kind="step_assigned")
    assert (mail.to_user, mail.to_address, mail.appeal, mail.notification) == (
        mailable.lead,
        ADDRESSES["ketua"],
        appeal,
        notice,
    )
    assert mail.context == {
        "message": notice.message,
        "link": f"http://127.0.0.1:8000/banding/{appeal.public_id}/",
        "step": 3,
        "step_title": "Verifikasi kelengkapan dan relevansi",
    }


@pytest.mark.parametrize(
    ("step", "who"),
    [
        (5, {"teknis_a"}),  # the appeal's technical team only, not teknis_b
        (6, {"kepala"}),
        (7, {"panel_1", "panel_2", "panel_3"}),  # the seats appointed, not panel_4
        (9, {"panel_1", "panel_2", "panel_3"}),
        (10, {"kepala"}),
        (11, {"ketua"}),
        (12, {"staff"}),
    ],
)
def test_each_step_opened_tells_whoever_plays_its_actor(mailable, step, who):
    walk(mailable, register(mailable), step)

    assert told(Kind.STEP_ASSIGNED, step) == who
    opened = Notification.objects.filter(kind=Kind.STEP_ASSIGNED, step__number=step)
    assert sorted(Mail.objects.filter(notification__in=opened).values_list("to_address")) == (
        sorted((ADDRESSES[u],) for u in who)
    )


def test_the_rejection_letter_step_tells_the_staff(mailable):
    appeal = register(mailable)
    services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=mailable.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=False,
        reasons="Bukan keputusan yang dapat dibanding.",
    )

    assert told(Kind.STEP_ASSIGNED, 4) == {"staff"}


def test_inactive_accounts_and_accounts_without_address_get_no_mail(mailable):
    make_user("ketua_cuti", Role.PJTK_LEAD, is_active=False, email="cuti@balai.example.go.id")
    make_user("ketua_baru", Role.PJTK_LEAD)  # active, no address: in-app only

    register(mailable)

    assert told(Kind.STEP_ASSIGNED, 3) == {"ketua", "ketua_baru"}
    assert mailed("step_assigned") == [ADDRESSES["ketua"]]


def test_the_customers_own_step_is_not_announced(mailable, django_assert_num_queries):
    appeal = register(mailable)
    step = Step(appeal=appeal, number=1, actor=Actor.PEL, started_at=timezone.now())

    with transaction.atomic(), django_assert_num_queries(0):
        events.step_opened(appeal=appeal, step=step)


def test_telling_a_step_costs_the_same_queries_however_many_people(
    mailable, django_assert_num_queries
):
    appeal = register(mailable)
    step = appeal.steps.get(number=3)

    def count() -> int:
        with transaction.atomic(), django_assert_num_queries(5) as captured:
            # players (1), upsert and re-read of the notices (2), outbox rows and their
            # task (2).
            events.step_opened(appeal=appeal, step=step)
        return len(captured)

    one = count()
    for i in range(5):
        make_user(f"ketua_{i}", Role.PJTK_LEAD, email=f"ketua{i}@balai.example.go.id")
    assert count() == one
    assert len(mailed("step_assigned")) == 1 + 1 + 6  # registration, then each call


# --- milestone_reached --------------------------------------------------------------------


def test_registering_tells_the_organisations_accounts_and_the_contact(mailable):
    appeal = register(mailable)

    notice = Notification.objects.get(kind=Kind.MILESTONE)
    assert notice.recipient == mailable.customer  # not the other organisation's
    assert notice.step == appeal.steps.get(number=1)
    assert notice.message == (
        f"Banding {appeal.number} — Diterima: Permohonan banding Anda telah kami terima."
    )
    assert notice.url == f"/portal/banding/{appeal.public_id}/"
    assert mailed("milestone") == ["budi@kimia.example", ADDRESSES["pelanggan"]]
    contact = Mail.objects.get(to_address="budi@kimia.example")
    portal = f"http://127.0.0.1:8000/portal/banding/{appeal.public_id}/"
    assert contact.to_user is None and contact.notification is None
    assert contact.context == {
        "message": notice.message,
        "link": portal,
        "stage": "diterima",
        "stage_label": "Diterima",
        "told": "Permohonan banding Anda telah kami terima.",
        "receipt_link": f"{portal}tanda-terima/",
        "survey_link": "",
        "outcome": None,
    }


def test_the_contact_gets_no_second_mail_when_an_account_has_that_address(mailable):
    register(mailable, contact_email="PELANGGAN@kimia.example")

    assert mailed("milestone") == [ADDRESSES["pelanggan"]]


def test_inactive_and_staff_accounts_of_the_organisation_are_not_told(mailable):
    p = mailable
    make_user("mantan", organization=p.org, is_active=False, email="mantan@kimia.example")
    make_user("pegawai", Role.PJTK_STAFF, organization=p.org, email="pegawai@balai.example")

    register(p, contact_email="")

    assert told(Kind.MILESTONE) == {"pelanggan"}
    assert mailed("milestone") == [ADDRESSES["pelanggan"]]


def test_a_walk_to_the_end_tells_every_milestone_once_and_asks_for_the_survey(mailable):
    walk(mailable, register(mailable), 13)

    messages = list(
        Notification.objects.filter(kind=Kind.MILESTONE)
        .order_by("created_at", "id")
        .values_list("step__number", "message")
    )
    assert [(n, m.split(" — ")[1].split(":")[0]) for n, m in messages] == [
        (1, "Diterima"),
        (3, "Diverifikasi"),
        (6, "Panel dibentuk"),
        (7, "Investigasi"),
        (9, "Rapat panel"),
        (10, "Diputuskan"),
        (12, "Selesai"),
    ]
    surveys = Mail.objects.filter(kind="milestone").exclude(context__survey_link="")
    assert sorted(m.context["stage"] for m in surveys) == ["selesai", "selesai"]
    assert all(m.context["survey_link"].endswith("/#survei") for m in surveys)


def test_the_rejection_is_told_with_the_survey(mailable):
    appeal = register(mailable)
    appeal = services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=mailable.lead,
        checklist=dict.fromkeys(sop.step(3).checklist, True),
        relevant=False,
        reasons="Bukan keputusan yang dapat dibanding.",
    )
    rejection_letter(mailable, appeal)
    services.appeal_reject(
        appeal=appeal,
        user=mailable.staff,
        delivered_at=timezone.now(),
        channel=Channel.EMAIL,
    )

    rejected = Mail.objects.get(
        kind="milestone", to_user=mailable.customer, context__stage="ditolak"
    )
    assert rejected.context["survey_link"] == (
        f"http://127.0.0.1:8000/portal/banding/{appeal.public_id}/#survei"
    )
    assert rejected.context["told"] == (
        "Permohonan banding Anda tidak dapat diproses; surat penolakan beserta alasannya telah "
        "disampaikan kepada Anda."
    )


def test_a_returned_decision_is_told_again_when_the_panel_meets_again(mailable):
    p = mailable
    appeal = walk(p, register(p), 10)
    services.decision_return(appeal=appeal, user=p.head, reasons="Perlu ditinjau ulang.")
    appeal.refresh_from_db()
    walk(p, appeal, 11)

    meetings = Notification.objects.filter(
        kind=Kind.MILESTONE, recipient=p.customer, message__contains="Rapat panel"
    )
    assert meetings.count() == 2
    assert len({n.step_id for n in meetings}) == 2  # one per occurrence of step 9


def test_telling_a_milestone_costs_the_same_queries_however_many_accounts(
    mailable, django_assert_num_queries
):
    from banding.sop.definition import reached_by

    appeal = register(mailable)
    milestone = reached_by(1, "submitted")

    def count() -> int:
        with transaction.atomic(), django_assert_num_queries(6) as captured:
            # the step (1), accounts (1), notices (2), their mails and the contact's together
            # (2).
            events.milestone_reached(appeal=appeal, milestone=milestone)
        return len(captured)

    one = count()
    for i in range(5):
        make_user(f"kontak_{i}", organization=mailable.org, email=f"k{i}@kimia.example")
    assert count() == one


def test_mails_collected_in_a_block_are_written_with_one_task_at_its_end(
    mailable, django_assert_num_queries
):
    from banding.notifications.outbox import collected
    from banding.sop.definition import reached_by

    appeal = register(mailable)
    Mail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    step = appeal.steps.get(number=3)
    first = appeal.steps.get(number=1)
    # players (1), notices (2); accounts (1), notices (2); the check inside (1); then all the
    # mails (1) and their one task (1) as the block ends. The step is handed in: no query.
    with transaction.atomic(), django_assert_num_queries(9), collected():
        events.step_opened(appeal=appeal, step=step)
        events.milestone_reached(appeal=appeal, milestone=reached_by(1, "submitted"), step=first)
        assert not Mail.objects.exists()  # nothing written before the block ends

    assert DBTaskResult.objects.count() == 1
    assert sorted(Mail.objects.values_list("to_address", flat=True)) == sorted(
        [ADDRESSES["ketua"], "pelanggan@kimia.example", "budi@kimia.example"]
    )
    (task,) = DBTaskResult.objects.all()
    assert sorted(task.args_kwargs["args"]) == sorted(Mail.objects.values_list("pk", flat=True))


def test_a_block_that_fails_writes_none_of_its_mails(mailable):
    from banding.notifications.outbox import collected

    appeal = register(mailable)
    Mail.objects.all().delete()
    step = appeal.steps.get(number=3)
    with pytest.raises(RuntimeError), transaction.atomic(), collected():
        events.step_opened(appeal=appeal, step=step)
        raise RuntimeError("gagal")
    assert not Mail.objects.exists()
    with transaction.atomic():  # and the next block starts clean
        events.step_opened(appeal=appeal, step=step)
    assert mailed("step_assigned") == [ADDRESSES["ketua"]]


# --- the deadline sweep's notices are mailed too -------------------------------------------


def test_the_sweeps_notices_are_mailed_to_their_recipients(mailable, clock):
    """As digests (banding.notifications.digests): one mail per person listing the step, not
    one mail per notice."""
    from banding.appeals.sla import sla_sweep
    from banding.notifications.digests import digest_sweep

    appeal = register(mailable)
    step = appeal.steps.get(number=3)
    clock.move_to(step.due_at + timedelta(minutes=1), tick=False)

    sla_sweep()
    digest_sweep()

    assert not Mail.objects.filter(kind__in=["step_overdue", "escalation"]).exists()
    overdue = Mail.objects.get(kind="digest", to_user=mailable.lead)
    escalation = Mail.objects.get(kind="digest", to_user=mailable.head)
    assert overdue.to_address == ADDRESSES["ketua"]
    assert escalation.to_address == ADDRESSES["kepala"]
    assert [i["kind"] for i in overdue.context["items"]] == [Kind.STEP_OVERDUE]
    assert [(i["kind"], i["number"], i["step"]) for i in escalation.context["items"]] == [
        (Kind.ESCALATION, appeal.number, 3)
    ]
