"""Who plays each SOP actor (banding.appeals.actors): the per-appeal check, the inbox's
filter and the people notified are one rule, so they agree for every persona and actor."""

from __future__ import annotations

import pytest

from banding.accounts.models import User
from banding.accounts.roles import may_sit_on_panel, panel_eligible
from banding.appeals import access, selectors
from banding.appeals.actors import INSTITUTE_ACTORS, RULES, Players, turns_of
from banding.appeals.models import Appeal
from banding.sop.definition import Actor
from tests.factories import make_user, register, walk


def test_every_actor_of_the_sop_has_a_rule():
    assert set(RULES) == set(Actor)
    assert Actor.PEL not in INSTITUTE_ACTORS


@pytest.mark.parametrize("to_step", [3, 5, 7])
def test_the_check_the_inbox_and_the_notices_agree_for_everyone(p, to_step):
    appeal = walk(p, register(p), to_step)
    players = Players([appeal])
    for actor in INSTITUTE_ACTORS:
        told = players.of(actor, appeal)
        for user in p.everyone():
            plays = access.plays(user, appeal, actor)
            assert plays == (user.pk in told), (actor, user.username)
            in_filter = (
                Appeal.objects.filter(turns_of(user), pk=appeal.pk).exists()
                if appeal.current_actor == actor
                else None
            )
            if in_filter is not None:
                assert in_filter == plays, (actor, user.username)
                assert (appeal in selectors.inbox(user)) == plays, (actor, user.username)


def test_the_customer_plays_its_own_appeals_only(p):
    appeal = register(p)
    assert access.plays(p.customer, appeal, Actor.PEL)
    assert not access.plays(p.customer_other, appeal, Actor.PEL)
    assert not access.plays(p.staff, appeal, Actor.PEL)
    # A customer's turns are shown by the portal, never in Tugas saya.
    assert not selectors.inbox(p.customer).exists()


def test_a_deactivated_account_plays_nothing(p):
    appeal = register(p)
    p.staff.is_active = False
    assert not access.plays(p.staff, appeal, Actor.STF)


def test_panel_eligibility_allowed_for_pjtk_and_technical_staff(p):
    for user in (p.staff, p.lead, p.tech, *p.panel):
        assert may_sit_on_panel(user), user.username
    eligible = set(User.objects.filter(panel_eligible()).distinct())
    assert {p.staff, p.lead, p.tech, *p.panel} <= eligible
    assert set(selectors.panel_candidates()) == eligible


def test_panel_eligibility_refused_to_others(p):
    gone = make_user("pensiun", "technical", is_active=False)
    for user in (p.head, p.auditor, p.admin, p.customer, gone):
        assert not may_sit_on_panel(user), user.username
    eligible = set(User.objects.filter(panel_eligible()).distinct())
    assert not {p.head, p.auditor, p.customer, gone} & eligible
