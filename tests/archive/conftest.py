from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Appeal, Channel
from tests.api.conftest import api  # noqa: F401 - the API callers fixture
from tests.factories import Personas, register, rejection_letter, walk


def closed(p: Personas) -> Appeal:
    """An appeal walked through every step and closed (step 12)."""
    return walk(p, register(p), 13)


def rejected(p: Personas) -> Appeal:
    appeal = services.appeal_verify(
        appeal=register(p),
        user=p.lead,
        checklist={},
        relevant=False,
        reasons="Bukan keberatan atas hasil penanganan keluhan.",
    )
    rejection_letter(p, appeal)
    return services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now() - timedelta(minutes=1),
        channel=Channel.COURIER,
    )


@pytest.fixture
def closed_appeal(p) -> Appeal:
    return closed(p)
