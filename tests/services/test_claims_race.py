"""Two Staff PJTK take the same step at once (PostgreSQL, real threads): exactly one wins,
the other hears who has it; one event. The first holds inside its transaction until the
other waits for its lock (tests/services/test_concurrency.py's race)."""

from __future__ import annotations

import pytest

from banding.accounts.models import User
from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Appeal
from banding.audit.models import Event
from tests.factories import make_user
from tests.portal.helpers import submit
from tests.services.test_concurrency import one_winner, race
from tests.state import open_step

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_people_take_the_same_step_at_once_one_wins(p, monkeypatch):
    maria = make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")
    appeal = submit(p)
    takers = [p.staff.pk, maria.pk]

    def take(i: int):
        return services.step_take(
            appeal=Appeal.objects.get(pk=appeal.pk),
            user=User.objects.get(pk=takers[i]),
            number=2,
        )

    racers = race(monkeypatch, take)
    error = one_winner(racers, "already_taken")

    winner = next(r.result for r in racers if r.error is None)
    assert open_step(appeal).taken_by_id == winner.taken_by_id
    assert f"sudah dikerjakan oleh {winner.taken_by.display_name} sejak" in error.message
    assert Event.objects.filter(action="step.taken").count() == 1
