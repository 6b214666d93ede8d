"""Taking a shared step (*Saya kerjakan*): which steps can be taken, and who may take and
release one. The service that writes it is banding.appeals.services.claims; the inbox and the
appeal page read `claim_of` (no query: the step's taker is loaded with it).

A step can be taken when its actor is a role several people hold at once, each able to do
the step alone: the Staff PJTK (steps 2, 4, 12) and the members of the appeal's technical team
(step 5). They all get the same turn, and one of them says "I am on it". The Ketua Tim PJTK
and the Kepala Balai are one person's office each (a deputy stands in, not beside them): their
steps are not taken. The panel's steps (Tim Panel Banding) are not taken either: the panel
acts as a body, per seat. The customer's step is not the institute's.

Taking is a signal, not a lock: while A has the step, B (who plays the same actor) may still
act on it, warned on the appeal page that A has it; completing the step ends the claim (the
next step opens untaken, the completed one keeps who had it). A step is released by its taker,
by whom a late step of its actor escalates to (the Ketua Tim PJTK for Staff PJTK, the head for
the others), or by the head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import actors
from banding.appeals.models import Appeal, Step
from banding.sop.definition import ESCALATION, Actor

# The actors whose turn goes to several people at once, any one of whom does the step.
SHARED_ACTORS: frozenset[Actor] = frozenset({Actor.STF, Actor.TEK})


def shared(actor: str) -> bool:
    """Whether a step of `actor` can be taken by one of the people who play it."""
    return actor in SHARED_ACTORS


def supervises(user: User | AnonymousUser, appeal: Appeal, actor: str) -> bool:
    """Whether the user may release another's claim on a step of `actor`: the one its late
    steps escalate to, or the head."""
    boss = ESCALATION[Actor(actor)]
    return has_role(user, Role.HEAD) or (boss is not None and actors.plays(user, appeal, boss))


@dataclass(frozen=True)
class Claim:
    """Who has the open step, and what this user may do about it."""

    shared: bool
    taken_by: User | None
    taken_at: datetime | None
    mine: bool
    may_take: bool
    may_release: bool


NONE = Claim(False, None, None, False, False, False)


def claim_of(user: User | AnonymousUser, appeal: Appeal, step: Step | None) -> Claim:
    """The claim on `step` (the appeal's open step) as `user` sees it; no query when the
    step's taker was loaded with it (or none took it)."""
    if step is None or step.completed_at is not None or not appeal.is_open:
        return NONE
    if not shared(step.actor):
        return NONE
    taker = step.taken_by if step.taken_by_id is not None else None
    mine = taker is not None and taker.pk == user.pk
    plays = actors.plays(user, appeal, step.actor)
    return Claim(
        shared=True,
        taken_by=taker,
        taken_at=step.taken_at,
        mine=mine,
        may_take=taker is None and plays,
        may_release=taker is not None and (mine or supervises(user, appeal, step.actor)),
    )
