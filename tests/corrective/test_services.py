"""The corrective actions' services: who may add, complete and check, in which state, what
bad input is refused, and that a refusal writes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from banding.appeals.models import Decision
from banding.audit.models import Event
from banding.corrective import services
from banding.corrective.models import CorrectiveAction, Status
from banding.corrective.rules import MAY_NOT_ADD, NOT_DECIDED, NOT_LEAD, NOT_OWNER
from banding.corrective.services import UNKNOWN_OWNER, Due, FollowUp
from banding.errors import Conflict, Forbidden, Invalid, ServiceError
from banding.notifications.models import Notification
from tests.corrective.conftest import add, at_step_10, non_working_day, working_day
from tests.factories import approve, make_user, walk


def snapshot() -> tuple:
    return (
        list(CorrectiveAction.objects.order_by("pk").values()),
        Event.objects.count(),
        Notification.objects.count(),
    )


def refused(action, error: type[ServiceError], message: str, code: str) -> ServiceError:
    before = snapshot()
    with pytest.raises(ServiceError) as info:
        action()
    assert type(info.value) is error, info.value
    assert info.value.message == message
    assert info.value.code == code
    assert snapshot() == before
    return info.value


def test_the_lead_adds_an_action_its_owner_is_told_and_it_is_audited(p, decided):
    action = add(p, decided)
    assert action.status == Status.OPEN
    assert action.owner == p.tech and action.created_by == p.lead
    assert action.due_at > timezone.now() and action.remind_at < action.due_at
    event = Event.objects.filter(action="corrective_action.added").get()
    assert event.appeal_id == decided.pk and event.actor == p.lead
    notice = Notification.objects.get(recipient=p.tech, kind="step_assigned", step=None)
    assert decided.number in notice.message


def test_the_panel_chair_adds_at_step_10(p, decided):
    action = add(p, decided, user=p.panel[0])
    assert action.created_by == p.panel[0]


def test_the_chair_may_not_add_once_the_decision_is_approved(p, decided):
    appeal = approve(p, decided)
    refused(lambda: add(p, appeal, user=p.panel[0]), Forbidden, MAY_NOT_ADD, "not_your_role")


def test_the_lead_adds_after_closure(p, decided):
    appeal = walk(p, decided, 13)
    assert appeal.status == "closed"
    assert add(p, appeal).pk


@pytest.mark.parametrize("who", ["staff", "head", "auditor", "tech", "panel_2", "admin"])
def test_others_may_not_add(p, decided, who):
    from tests.state import persona

    user = persona(p, who)
    refused(lambda: add(p, decided, user=user), Forbidden, MAY_NOT_ADD, "not_your_role")


def test_a_dismissed_appeal_takes_no_action(p):
    appeal = at_step_10(p, Decision.DISMISSED)
    refused(lambda: add(p, appeal), Conflict, NOT_DECIDED, "not_decided")


def test_an_undecided_appeal_takes_no_action(p):
    from tests.factories import register

    appeal = walk(p, register(p), 9)
    refused(lambda: add(p, appeal), Conflict, NOT_DECIDED, "not_decided")


@pytest.mark.parametrize(
    "owner",
    ["00000000-0000-0000-0000-000000000000", "bukan-uuid", "customer", "inactive"],
)
def test_an_unknown_owner_is_refused(p, decided, owner):
    if owner == "customer":
        owner = str(p.customer.public_id)
    elif owner == "inactive":
        owner = str(make_user("pensiun", "technical", is_active=False).public_id)
    error = refused(lambda: add(p, decided, owner=owner), Invalid, UNKNOWN_OWNER, "unknown_owner")
    assert error.fields == {"owner": [UNKNOWN_OWNER]}


def test_a_due_date_in_the_past_is_refused(p, decided):
    day = working_day(-1)
    error = refused(
        lambda: add(p, decided, due=Due(on=day)), Invalid, "Tanggal tenggat sudah lewat.", "invalid"
    )
    assert list(error.fields) == ["due_date"]


def test_a_due_date_that_is_not_a_working_day_is_refused(p, decided):
    message = "Tanggal tenggat bukan hari kerja (akhir pekan, hari libur, atau cuti bersama)."
    refused(lambda: add(p, decided, due=Due(on=non_working_day())), Invalid, message, "invalid")


def test_a_working_due_date_is_due_at_the_close_of_office(p, decided):
    day = working_day(1)
    action = add(p, decided, due=Due(on=day))
    assert timezone.localtime(action.due_at).date() == day


@pytest.mark.parametrize(
    "due, message",
    [
        (Due(), "Isi tenggat: jumlah hari kerja atau tanggal (salah satu)."),
        (Due(days=0), "Jumlah hari kerja antara 1 dan 250."),
    ],
)
def test_a_missing_or_bad_due_is_refused(p, decided, due, message):
    refused(lambda: add(p, decided, due=due), Invalid, message, "invalid")


def test_an_empty_description_is_refused(p, decided):
    message = "Uraian tindakan perbaikan wajib diisi."
    refused(lambda: add(p, decided, description="  "), Invalid, message, "invalid")


def test_the_owner_completes_and_the_lead_checks_it_effective(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Neraca dikalibrasi ulang.")
    action.refresh_from_db()
    assert action.status == Status.DONE and action.completed_at is not None
    services.corrective_check(action=action, user=p.lead, effective=True, note="Hasil uji ulang.")
    action.refresh_from_db()
    assert action.status == Status.EFFECTIVE and action.checked_by == p.lead
    actions = list(
        Event.objects.filter(action__startswith="corrective_action.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "corrective_action.added",
        "corrective_action.completed",
        "corrective_action.checked",
    ]


def test_not_effective_is_followed_by_a_new_action(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    services.corrective_check(
        action=action,
        user=p.lead,
        effective=False,
        note="Penyimpangan masih terjadi.",
        follow_up=FollowUp("Ganti neraca.", str(p.staff.public_id), Due(days=10)),
    )
    action.refresh_from_db()
    assert action.status == Status.INEFFECTIVE
    follow = action.followed_by.get()
    assert (follow.owner, follow.status, follow.description) == (
        p.staff,
        Status.OPEN,
        "Ganti neraca.",
    )


def test_not_effective_without_a_follow_up_is_refused(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    message = (
        "Tindakan yang tidak efektif ditindaklanjuti dengan tindakan perbaikan baru: isi "
        "uraian, penanggung jawab dan tenggatnya."
    )
    refused(
        lambda: services.corrective_check(
            action=action, user=p.lead, effective=False, note="Belum efektif."
        ),
        Invalid,
        message,
        "invalid",
    )


def test_a_bad_follow_up_owner_refuses_the_whole_check(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    error = refused(
        lambda: services.corrective_check(
            action=action,
            user=p.lead,
            effective=False,
            note="Belum efektif.",
            follow_up=FollowUp("Ganti.", str(p.customer.public_id), Due(days=3)),
        ),
        Invalid,
        UNKNOWN_OWNER,
        "unknown_owner",
    )
    assert list(error.fields) == ["follow_up_owner"]


def test_effectiveness_before_completion_is_refused(p, decided):
    action = add(p, decided)
    message = (
        "Keefektifan diverifikasi setelah penanggung jawab menyelesaikan tindakan perbaikan ini."
    )
    refused(
        lambda: services.corrective_check(action=action, user=p.lead, effective=True, note="x"),
        Conflict,
        message,
        "not_completed",
    )


@pytest.mark.parametrize("who", ["head", "staff", "tech", "auditor", "panel_1"])
def test_only_the_lead_checks(p, decided, who):
    from tests.state import persona

    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    user = persona(p, who)
    refused(
        lambda: services.corrective_check(action=action, user=user, effective=True, note="x"),
        Forbidden,
        NOT_LEAD,
        "not_your_role",
    )


@pytest.mark.parametrize("who", ["lead", "head", "tech_other"])
def test_only_the_owner_completes(p, decided, who):
    from tests.state import persona

    action = add(p, decided)
    user = persona(p, who)
    refused(
        lambda: services.corrective_complete(action=action, user=user, note="x"),
        Forbidden,
        NOT_OWNER,
        "not_owner",
    )


def test_a_completed_action_is_not_completed_again(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    refused(
        lambda: services.corrective_complete(action=action, user=p.tech, note="lagi"),
        Conflict,
        "Tindakan perbaikan ini sudah selesai, menunggu verifikasi keefektifan.",
        "not_open",
    )


def test_a_checked_action_is_not_checked_again(p, decided):
    action = add(p, decided)
    services.corrective_complete(action=action, user=p.tech, note="Dikerjakan.")
    services.corrective_check(action=action, user=p.lead, effective=True, note="Efektif.")
    refused(
        lambda: services.corrective_check(action=action, user=p.lead, effective=True, note="x"),
        Conflict,
        "Keefektifan tindakan perbaikan ini sudah diverifikasi.",
        "already_checked",
    )
