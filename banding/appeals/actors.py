"""Who plays each SOP actor for an appeal, and who supervises them: the one place that turns
an actor of the SOP definition (sop.step(n).actor) into people to notify.

The same rule as banding.appeals.access.plays: the roles of banding.accounts.roles.ACTOR_ROLES
for the institute's actors, the members of the appeal's technical team for TEK, the appeal's
panel seats for TPB; active accounts only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from banding.accounts.models import TechnicalTeam, User
from banding.accounts.roles import ACTOR_ROLES, Role
from banding.appeals.models import Appeal, PanelSeat
from banding.sop.definition import ESCALATION, Actor


class Players:
    """The people playing each actor for a set of appeals, read in at most three queries
    (role holders, team members, panel seats), however many appeals: the sweep builds one per
    batch of steps instead of asking once per step."""

    def __init__(self, appeals: Iterable[Appeal]) -> None:
        self._appeals = {a.pk: a for a in appeals}
        self._roles: dict[str, frozenset[int]] | None = None
        self._teams: dict[int, frozenset[int]] | None = None
        self._seats: dict[int, frozenset[int]] | None = None

    def of(self, actor: Actor | str, appeal: Appeal) -> frozenset[int]:
        """Ids of the active users who play `actor` for `appeal`."""
        actor = Actor(actor)
        if actor == Actor.PEL:
            return frozenset()
        if actor == Actor.TPB:
            return self._panel_seats().get(appeal.pk, frozenset())
        if actor == Actor.TEK:
            if appeal.technical_team_id is None:
                return frozenset()
            return self._team_members().get(appeal.technical_team_id, frozenset())
        return self._role_holders().get(ACTOR_ROLES[actor], frozenset())

    def supervisors(self, actor: Actor | str, appeal: Appeal) -> frozenset[int]:
        """Ids of the users a late step of `actor` escalates to (none for the head)."""
        boss = ESCALATION[Actor(actor)]
        return self.of(boss, appeal) if boss is not None else frozenset()

    def _role_holders(self) -> dict[str, frozenset[int]]:
        if self._roles is None:
            rows = User.objects.filter(
                is_active=True, groups__name__in=[r.value for r in ACTOR_ROLES.values()]
            ).values_list("groups__name", "pk")
            self._roles = _grouped(rows)
        return self._roles

    def _team_members(self) -> dict[int, frozenset[int]]:
        if self._teams is None:
            team_ids = {a.technical_team_id for a in self._appeals.values()} - {None}
            rows = (
                TechnicalTeam.members.through.objects.filter(
                    technicalteam_id__in=team_ids,
                    user__is_active=True,
                    user__groups__name=Role.TECHNICAL,
                ).values_list("technicalteam_id", "user_id")
                if team_ids
                else []
            )
            self._teams = _grouped(rows)
        return self._teams

    def _panel_seats(self) -> dict[int, frozenset[int]]:
        if self._seats is None:
            rows = PanelSeat.objects.filter(
                appeal_id__in=list(self._appeals), user__is_active=True
            ).values_list("appeal_id", "user_id")
            self._seats = _grouped(rows)
        return self._seats


def _grouped(rows: Iterable[tuple]) -> dict:
    grouped: dict = defaultdict(set)
    for key, user_id in rows:
        grouped[key].add(user_id)
    return {key: frozenset(ids) for key, ids in grouped.items()}
