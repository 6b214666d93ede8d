"""What the generated history says: the services' actions, public flags and data, the notices
to the people the product notifies, the deadline sweep's work left for the open steps, and the
same rows for the same seed."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from banding.appeals.actors import Players
from banding.appeals.models import Appeal, PanelSeat, Status, Step
from banding.appeals.sla import sla_sweep
from banding.audit.models import Event
from banding.formats import format_instant
from banding.letters.kinds import SPECS
from banding.letters.models import Letter
from banding.notifications.models import Kind, Notification
from banding.sop import definition as sop
from banding.survey.models import SurveyResponse
from bench.bulk.load import seed_bulk

# The actions the services, the letters, the survey and the sweep write, and their flag.
PUBLIC = {
    "appeal.registered": True,
    "appeal.submitted": True,
    "document.added": False,
    "panel.declared": False,
    "investigation.note": False,
    "investigation.contact": False,
    "letter.drafted": False,
    "survey.answered": True,
    "deadline.at_risk": False,
    "deadline.overdue": False,
}


def test_events_are_the_services_actions_with_their_public_flags(seeded):
    for action, public in Event.objects.values_list("action", "public").distinct():
        if action.startswith("step.") and action.endswith(".pending"):
            # A record-first step's facts, recorded while its letters are made: staff only
            # (services._settle); the customer hears of the step when it completes.
            assert not public, action
        elif action.startswith("step."):
            assert public, action
        elif action == "letter.issued":
            continue
        else:
            assert PUBLIC[action] == public, action
    for event in Event.objects.filter(action="letter.issued"):
        # The customer hears of a letter when the SOP delivers it (letters.letter_issue).
        kind = SPECS[event.data["kind"]]
        assert event.public == (kind.to_customer and kind.delivered_by is None)
        assert not event.public
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"deadline.at_risk", "deadline.overdue", "panel.declared", "survey.answered"} <= actions
    pending = {f"step.{n}.pending" for n in (3, 5, 6, 9)}
    assert pending | {"letter.drafted", "letter.issued"} <= actions


def test_step_events_carry_the_steps_data(seeded):
    for step in Step.objects.filter(number__gte=3, completed_at__isnull=False)[:300]:
        event = Event.objects.get(
            appeal_id=step.appeal_id, action=f"step.{step.number}.{step.outcome}",
            created_at=step.completed_at,
        )  # fmt: skip
        assert event.data == step.data
        assert event.actor_id == step.completed_by_id


def test_panels_declare_before_the_investigation_ends(seeded):
    closed = Appeal.objects.filter(status=Status.CLOSED)
    seats = PanelSeat.objects.filter(appeal__in=closed)
    assert seats.exists()
    assert not seats.filter(declared_at__isnull=True).exists()
    assert seats.filter(role="chair").count() == closed.count()
    for seat in seats.select_related("appeal")[:100]:
        step7 = seat.appeal.steps.get(number=7)
        assert step7.started_at <= seat.declared_at <= step7.completed_at


def test_notices_go_to_the_people_the_product_notifies(seeded, now):
    recent = Notification.objects.filter(created_at__gte=now - timedelta(days=90))
    assert recent.count() == Notification.objects.count() > 0
    for notice in recent.filter(kind=Kind.STEP_ASSIGNED).select_related("step", "appeal"):
        step = notice.step
        players = Players([notice.appeal]).of(step.actor, notice.appeal)
        assert notice.recipient_id in players
        assert notice.created_at == step.started_at
        assert notice.message == (
            f"Giliran Anda: langkah {step.number} ({sop.step(step.number).title}) banding "
            f"{notice.appeal.number}, tenggat {format_instant(step.due_at, pukul=True)}."
        )
    for step in Step.objects.filter(
        completed_at__isnull=True, started_at__gte=now - timedelta(days=90)
    ):
        told = set(
            Notification.objects.filter(step=step, kind=Kind.STEP_ASSIGNED).values_list(
                "recipient_id", flat=True
            )
        )
        if step.actor != "PEL":
            assert told == set(Players([step.appeal]).of(step.actor, step.appeal))
    customers = recent.filter(kind=Kind.MILESTONE)
    assert customers.exists()
    assert not customers.filter(recipient__organization__isnull=True).exists()


def test_the_sweep_finds_open_steps_to_remind_once(all_open):
    # The clock stands still: on a slow machine a step could otherwise reach its warning
    # between two sweeps, and the second would rightly remind it.
    with time_machine.travel(timezone.now(), tick=False):
        first = sla_sweep()
        assert first.at_risk > 0 and first.overdue > 0 and first.failed == 0
        assert sla_sweep().at_risk == sla_sweep().overdue == 0


def test_surveys_answer_closed_appeals_only(seeded):
    answered = SurveyResponse.objects.select_related("appeal")
    assert answered.exists()
    for response in answered:
        assert response.appeal.status in (Status.CLOSED, Status.REJECTED)
        assert response.submitted_at > response.appeal.closed_at
        assert response.respondent.organization_id == response.appeal.organization_id


def _fingerprint() -> list:
    """The generated content without database ids (which a database sequence may move)."""
    rows = []
    for appeal in Appeal.objects.order_by("number"):
        # Not the steps' whole data: the demo accounts the panel names are made afresh (with
        # new public ids) by each run here, which rolls the first one back.
        steps = [
            (number, started, completed, recorded, data.get("outputs"))
            for number, started, completed, recorded, data in appeal.steps.order_by(
                "id"
            ).values_list("number", "started_at", "completed_at", "recorded_at", "data")
        ]
        events = list(
            Event.objects.filter(appeal=appeal)
            .order_by("id")
            .values_list("action", "created_at", "summary")
        )
        letters = list(
            appeal.letters.order_by("id").values_list(
                "public_id", "kind", "status", "occurrence__started_at", "signer__username",
                "on_behalf", "fields",
            )
        )  # fmt: skip
        rows.append((appeal.number, appeal.public_id, appeal.received_at, steps, events, letters))
    rows.append(
        sorted(Letter.objects.exclude(number="").values_list("number", "verification_code"))
    )
    return rows


def test_the_same_seed_gives_the_same_history_built_here_or_in_a_second_process(db):
    now = timezone.now().replace(microsecond=0)
    prints = []
    for jobs in (1, 2):
        with transaction.atomic():
            seed_bulk(appeals=120, seed=3, now=now, jobs=jobs, batch=25)
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert len(prints[0]) == 121
