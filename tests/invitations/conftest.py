"""An appeal at step 7 whose second panel member (p.panel[1]) has declared, and short ways
to invite and answer through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from banding.appeals import invitations, services
from banding.appeals.models import Appeal, PanelInvitation

# Fixtures of other test packages, for test_api and test_browser.
from tests.api.conftest import api  # noqa: F401
from tests.browser.conftest import browser, clock, page, shot, watch  # noqa: F401
from tests.factories import Personas, register, walk

# A Tuesday morning in WIB: every date below is relative to it.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def appeal(p: Personas) -> Appeal:
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1])
    return appeal


def later(**delta) -> datetime:
    return timezone.now() + timedelta(**delta)


def send(p: Personas, appeal: Appeal, **overrides) -> PanelInvitation:
    fields = dict(
        appeal=appeal,
        user=p.panel[1],
        mode="meeting",
        meeting_at=later(days=3),
        place="Ruang Rapat 2, Gedung B",
        message="Mohon membawa data hasil uji laboratorium Anda.",
    )
    fields.update(overrides)
    return invitations.invitation_send(**fields)


def send_written(p: Personas, appeal: Appeal, **overrides) -> PanelInvitation:
    fields = dict(mode="written", meeting_at=None, place="", respond_by=later(days=5))
    fields.update(overrides)
    return send(p, appeal, **fields)


def answer(p: Personas, invitation: PanelInvitation, **overrides) -> PanelInvitation:
    fields = dict(invitation=invitation, user=p.customer, response="attend", note="")
    fields.update(overrides)
    return invitations.invitation_answer(**fields)
