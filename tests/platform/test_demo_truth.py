"""The demo tells the truth: every step its appeals completed has the outputs the SOP requires,
issued by a signer the letter kind allows, for that occurrence of the step, with a valid
verification page; and its history is days of office work, not one second."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from banding.appeals.models import Appeal, Document, Status
from banding.letters.kinds import spec
from banding.letters.models import LetterStatus
from banding.letters.services import capacity
from banding.platform import demo
from banding.sop import definition as sop
from banding.workdays.calendar import load_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo.seed()
    return list(Appeal.objects.prefetch_related("steps", "letters", "documents"))


def test_every_finished_appeal_has_every_required_output_issued_by_its_signer(client, seeded):
    finished = [a for a in seeded if a.status != Status.OPEN]
    assert {a.status for a in finished} == {Status.CLOSED, Status.REJECTED}
    checked = 0
    for appeal in finished:
        for step in appeal.steps.all():
            for output in sop.step(step.number).required(step.outcome):
                if not output.letter:
                    assert Document.objects.filter(
                        appeal=appeal, kind=output.key, step=step.number
                    ).exists(), (appeal.number, output.key)
                    continue
                made_at = max(
                    (s for s in appeal.steps.all() if s.number == spec(output.key).step.number),
                    key=lambda s: s.started_at,
                )
                (letter,) = [
                    x
                    for x in appeal.letters.all()
                    if x.kind == output.key
                    and x.occurrence_id == made_at.pk
                    and x.status == LetterStatus.ISSUED
                ]
                assert capacity(letter.signer, appeal, spec(letter.kind)) is not None
                assert letter.issued_at <= step.completed_at
                page = client.get(reverse("verification", args=[letter.verification_code]))
                assert page.status_code == 200
                assert "Berlaku" in page.content.decode()
                checked += 1
    # Two closed appeals (7 letters each on the panel path, 11 at step 11 counts again) and
    # one rejected (its rejection letter).
    assert checked >= 2 * 8 + 1


def test_no_demo_letter_is_left_unissued_on_a_finished_appeal(seeded):
    for appeal in seeded:
        if appeal.status != Status.OPEN:
            assert all(x.status != LetterStatus.DRAFT for x in appeal.letters.all())


def test_demo_history_is_office_work_on_working_days(seeded):
    calendar = load_calendar()
    for appeal in seeded:
        steps = list(appeal.steps.all())
        for step in steps:
            for instant in (step.started_at, step.completed_at):
                if instant is None:
                    continue
                local = timezone.localtime(instant)
                assert calendar.is_working_day(local.date()), (appeal.number, step.number)
                opening, closing = calendar.window(local.date())
                assert opening <= local <= closing, (appeal.number, step.number, local)
        done = [s for s in steps if s.completed_at is not None]
        if len(done) > 3:
            # A path of several steps takes hours or days, not one second.
            assert done[-1].completed_at - done[0].completed_at > timedelta(hours=2)


def test_the_monitoring_report_has_a_late_step_and_steps_within_standard(seeded):
    verdicts = {s.within_standard for a in seeded for s in a.steps.all() if s.completed_at}
    assert verdicts == {True, False}
