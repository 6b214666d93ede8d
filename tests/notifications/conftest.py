from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from banding.accounts.models import User
from banding.notifications.models import Kind, Notification
from banding.notifications.services import notify
from tests.factories import register


@pytest.fixture
def notices(p) -> Callable[..., list[Notification]]:
    """`notices(user, n)`: n notices to `user` about one appeal, newest last."""
    appeal = register(p)
    # The registration's own notices (the lead's turn, the customer's milestone) are not
    # what these tests count.
    Notification.objects.all().delete()

    def make(user: User, count: int = 1, *, kind: str = Kind.STEP_AT_RISK) -> list[Notification]:
        made = []
        for i in range(count):
            with transaction.atomic():
                notify(
                    recipients=[user],
                    kind=kind,
                    appeal=appeal,
                    step=None,
                    message=f"Pesan {len(made) + 1} untuk {user.username} ({i})",
                )
            made.append(Notification.objects.filter(recipient=user).latest("id"))
        return made

    return make
