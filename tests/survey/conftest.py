"""Closed appeals (archived or rejected) and answers, through the real services."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Appeal
from banding.survey.elements import CODES
from banding.survey.models import SurveyResponse
from banding.survey.services import survey_answer
from tests.factories import Personas, register, rejection_letter, similar_confirmed, walk

WIB = timezone.get_fixed_timezone(7 * 60)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def rejected(p: Personas, **overrides) -> Appeal:
    """The short way to a closed appeal: not relevant at step 3, rejected at step 4."""
    appeal = register(p, **overrides)
    services.appeal_verify(
        appeal=appeal,
        **similar_confirmed(appeal),
        user=p.lead,
        checklist={},
        relevant=False,
        reasons="Tidak relevan.",
    )
    rejection_letter(p, appeal)
    return services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="email",
    )


def archived(p: Personas) -> Appeal:
    return walk(p, register(p), 13)


def scores(*values: int) -> dict[str, int]:
    """`scores(3)`: every element 3; `scores(1, 2, …)`: the nine in order."""
    if len(values) == 1:
        values = values * len(CODES)
    return dict(zip(CODES, values, strict=True))


def answer(p: Personas, appeal: Appeal, *values: int, **overrides) -> SurveyResponse:
    fields = dict(appeal=appeal, user=p.customer, scores=scores(*(values or (3,))), comment="")
    fields.update(overrides)
    return survey_answer(**fields)
