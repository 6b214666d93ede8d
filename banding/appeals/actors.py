"""Who plays each SOP actor for an appeal: the one definition of the rule.

RULES maps every actor of the SOP definition (sop.step(n).actor) to its rule, and each rule
answers the same question three ways, so they cannot drift apart:
  - holds(user, appeal): whether this user plays the actor for this appeal (access checks);
  - condition(user): the appeals the user plays the actor for, as a filter on a query of
    appeals (Tugas saya), or None when the user never plays it;
  - people(players, appeal): the ids of the active users who play it (the notices of a turn
    and the deadline sweep's), read through a Players for a whole batch at once.

The rules: the roles of banding.accounts.roles.ACTOR_ROLES for the institute's actors, the
members (of the technical role) of the appeal's technical team for TEK, the appeal's panel
seats for TPB, the accounts of the appeal's organisation for PEL; active accounts only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.lookups import In

from banding.accounts.models import TechnicalTeam, User
from banding.accounts.roles import ACTOR_ROLES, Role, has_role, is_customer, roles_of
from banding.appeals.models import Appeal, PanelSeat, Step
from banding.sop.definition import ACTOR_LABELS, ESCALATION, Actor

TEAM_MEMBERS = "team_member_ids"  # the annotation of team_members()


def executor(actor: str | None, appeal: Appeal) -> str:
    """Who acts for `actor` on `appeal`, in words (the technical team by name); "" for none."""
    if actor != Actor.TEK:
        return executor_named(actor, None)
    # No query for an appeal without a team: the descriptor answers None from the empty id.
    team = appeal.technical_team
    return executor_named(actor, team.name if team is not None else None)


def executor_named(actor: str | None, team_name: str | None) -> str:
    """executor() from the actor and the name of the appeal's technical team (a row read as
    values, without the team's object)."""
    if not actor:
        return ""
    label = ACTOR_LABELS[Actor(actor)]
    if actor == Actor.TEK and team_name is not None:
        return f"{label}: {team_name}"
    return label


def team_members() -> Subquery:
    """An annotation for a query of appeals: the ids of the members of each appeal's
    technical team, comma-separated (NULL for none). An appeal loaded with it answers
    plays(..., Actor.TEK) without a query: the appeal page asks it for several cards."""
    return Subquery(
        TechnicalTeam.members.through.objects.filter(technicalteam=OuterRef("technical_team"))
        .values("technicalteam")
        .annotate(ids=StringAgg(Cast("user_id", TextField()), delimiter=Value(",")))
        # django-stubs does not see a name annotated after values() as a field.
        .values("ids")  # type: ignore[misc]
    )


class Rule(ABC):
    """How one actor is played (see the module's docstring)."""

    @abstractmethod
    def holds(self, user: User, appeal: Appeal) -> bool: ...

    @abstractmethod
    def condition(self, user: User) -> Q | None: ...

    def among(self, user: User) -> Q | None:
        """condition() for a whole list (the register, its count, search): the appeals as
        an IN over the user's own rows, read once from an index, rather than a correlated
        test per appeal (on 100,000 appeals the test per row took 350 ms)."""
        return self.condition(user)

    def turn(self, user: User) -> Q | None:
        """condition() for the turns (Tugas saya): the open appeals at this actor's step,
        a few hundred at most, so among()'s IN unless the rule says otherwise."""
        return self.among(user)

    def ids(self, user: User) -> QuerySet | None:
        """among() as a query of appeal ids (None: no appeal), for a union of parts."""
        condition = self.among(user)
        return None if condition is None else Appeal.objects.filter(condition).values("pk")

    @abstractmethod
    def people(self, players: Players, appeal: Appeal) -> frozenset[int]: ...


class ByRole(Rule):
    """An institute actor played by everyone holding its role, whatever the appeal."""

    def __init__(self, role: Role) -> None:
        self.role = role

    def holds(self, user: User, appeal: Appeal) -> bool:
        return has_role(user, self.role)

    def condition(self, user: User) -> Q | None:
        return Q() if self.role in roles_of(user) else None

    def people(self, players: Players, appeal: Appeal) -> frozenset[int]:
        return players.role_holders().get(self.role, frozenset())


class TeamMember(Rule):
    """The technical role, and a seat in the technical team the appeal is sent to."""

    def holds(self, user: User, appeal: Appeal) -> bool:
        if not has_role(user, Role.TECHNICAL) or appeal.technical_team_id is None:
            return False
        if hasattr(appeal, TEAM_MEMBERS):
            return str(user.pk) in (getattr(appeal, TEAM_MEMBERS) or "").split(",")
        return user.technical_teams.filter(pk=appeal.technical_team_id).exists()

    def condition(self, user: User) -> Q | None:
        # EXISTS rather than a join of the team's members: a join ORed with another rule's
        # condition (part_of) would repeat an appeal once per member of its team.
        if Role.TECHNICAL not in roles_of(user):
            return None
        seat = TechnicalTeam.members.through.objects.filter(
            technicalteam=OuterRef("technical_team"), user=user
        )
        return Q(Exists(seat))

    def among(self, user: User) -> Q | None:
        if Role.TECHNICAL not in roles_of(user):
            return None
        teams = TechnicalTeam.members.through.objects.filter(user=user)
        return Q(technical_team__in=teams.values("technicalteam_id"))

    def people(self, players: Players, appeal: Appeal) -> frozenset[int]:
        if appeal.technical_team_id is None:
            return frozenset()
        return players.team_members().get(appeal.technical_team_id, frozenset())


class PanelMember(Rule):
    """A seat on the appeal's panel (Tim Panel Banding), whatever the user's roles; a seat
    vacated by a declared conflict of interest no longer counts."""

    def holds(self, user: User, appeal: Appeal) -> bool:
        # all(): the seats loaded with the appeal when a page prefetched them (no query).
        return any(
            seat.user_id == user.pk and seat.vacated_at is None for seat in appeal.panel_seats.all()
        )

    def condition(self, user: User) -> Q | None:
        # EXISTS per candidate row, answered by the seats' unique (appeal, user) index.
        # `pk IN (the user's seats)` built the list of every seat the user ever held first:
        # 7,598 seats for the busiest bench member, 5.4 ms per query, twice a page.
        return Q(Exists(PanelSeat.objects.seated().filter(user=user, appeal=OuterRef("pk"))))

    def among(self, user: User) -> Q | None:
        # The seats' (user, appeal) index holds the answer.
        return Q(pk__in=self.ids(user))

    def turn(self, user: User) -> Q | None:
        # The few hundred open appeals at the panel's steps, each tested by the seats'
        # unique (appeal, user) index: the IN of among() first lists every seat the user
        # ever held (7,714 for a busy member on 100,000 appeals: 8 ms, twice a page).
        return self.condition(user)

    def ids(self, user: User) -> QuerySet:
        return PanelSeat.objects.seated().filter(user=user).values("appeal_id")

    def people(self, players: Players, appeal: Appeal) -> frozenset[int]:
        return players.panel_seats().get(appeal.pk, frozenset())


class Customer(Rule):
    """An account of the appeal's organisation (no institute role)."""

    def holds(self, user: User, appeal: Appeal) -> bool:
        return is_customer(user) and appeal.organization_id == user.organization_id

    def condition(self, user: User) -> Q | None:
        return Q(organization_id=user.organization_id) if is_customer(user) else None

    def people(self, players: Players, appeal: Appeal) -> frozenset[int]:
        # The customer's turns reach them through the portal and the milestone notices
        # (banding.notifications.events), not as a staff turn.
        return frozenset()


RULES: dict[Actor, Rule] = {
    **{actor: ByRole(role) for actor, role in ACTOR_ROLES.items() if actor != Actor.TEK},
    Actor.TEK: TeamMember(),
    Actor.TPB: PanelMember(),
    Actor.PEL: Customer(),
}

# The actors whose turns are the institute's tasks (Tugas saya, turn notices, the sweep).
INSTITUTE_ACTORS = tuple(actor for actor in RULES if actor != Actor.PEL)


def plays(user: User | AnonymousUser, appeal: Appeal, actor: Actor | str) -> bool:
    """Whether the user plays `actor` for this appeal (a deactivated account plays none)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return RULES[Actor(actor)].holds(user, appeal)


def turns_of(user: User) -> Q:
    """The appeals whose current step's actor the user plays, as a filter on a query of
    appeals: the institute's actors only (a customer's turns are shown by the portal)."""
    everywhere: list[str] = []  # actors the user plays on every appeal: one IN (...)
    particular = Q()
    for actor in INSTITUTE_ACTORS:
        condition = RULES[actor].turn(user)
        if condition is None:
            continue
        if not condition:
            everywhere.append(actor.value)
        else:
            particular |= Q(current_actor=actor.value) & condition
    turns = Q(current_actor__in=everywhere) if everywhere else Q()
    return turns | particular


def turns_shape(user: User) -> frozenset[str]:
    """What the SQL of turns_of(user) depends on besides the user's id: the roles (each
    rule's turn() asks the roles, then names the user only as a parameter). A prepared query
    of the turns (banding.prepared) is compiled once per value of this."""
    return roles_of(user)


class Member(Func):
    """An appeal's id tested for membership in a set of ids. SQLite, asked for a page of an
    ordered list, otherwise looks up every member by its id and sorts them all; written `+id`
    (not an index term) it walks the list's order index instead and stops at the page's end.
    A count keeps the plain id: its lookups are cheaper than a walk of the whole table."""

    template = "%(expressions)s"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        query = compiler.query
        ordered = query.order_by or (query.default_ordering and query.get_meta().ordering)
        if ordered:
            extra["template"] = "+%(expressions)s"
        return self.as_sql(compiler, connection, **extra)


def _acted(user: User) -> list[QuerySet]:
    """Appeals with a step the user completed or recorded (a part kept after a team change,
    or after leaving a panel): ids read from the steps' (completed_by, appeal) and
    (recorded_by, appeal) indexes alone."""
    return [
        Step.objects.filter(completed_by=user).values("appeal_id"),
        Step.objects.filter(recorded_by=user).values("appeal_id"),
    ]


def part_of(user: User) -> Q | None:
    """The appeals in which the user has a part, as a filter on a query of appeals: those
    where the user plays the institute actor of any of its steps (by the rules above: a role
    that acts on every appeal, its technical team, a seat on its panel), acted on one of its
    steps, or registered it. Q() for every appeal (Staff PJTK, Ketua Tim PJTK and Kepala Balai
    are actors of steps of every appeal); None for none (a deactivated account).

    The parts are one UNION of ids, each read from its own index, tested as a membership
    (`Member`): on 100,000 appeals with 16,000 of them a technical member's, an OR of five
    IN lists took 54 ms to count and 53 ms for a page, the UNION 26 ms and 10 ms."""
    if not user.is_authenticated or not user.is_active:
        return None
    ids = [Appeal.objects.filter(created_by=user).values("pk"), *_acted(user)]
    for actor in INSTITUTE_ACTORS:
        condition = RULES[actor].among(user)
        if condition is None:
            continue
        if not condition:
            return Q()
        part = RULES[actor].ids(user)
        assert part is not None  # among() answered a condition
        ids.append(part)
    ids = [part.order_by() for part in ids]
    return Q(In(Member(F("pk")), ids[0].union(*ids[1:]).order_by()))


def has_part(user: User | AnonymousUser, appeal: Appeal) -> bool:
    """part_of for one appeal: the rules' answers first (no query for a role that plays on
    every appeal), then the appeal's steps (one query)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if appeal.created_by_id == user.pk:
        return True
    if any(RULES[actor].holds(user, appeal) for actor in INSTITUTE_ACTORS):
        return True
    return appeal.steps.filter(Q(completed_by=user) | Q(recorded_by=user)).exists()


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
        return RULES[Actor(actor)].people(self, appeal)

    def supervisors(self, actor: Actor | str, appeal: Appeal) -> frozenset[int]:
        """Ids of the users a late step of `actor` escalates to (none for the head)."""
        boss = ESCALATION[Actor(actor)]
        return self.of(boss, appeal) if boss is not None else frozenset()

    def role_holders(self) -> dict[str, frozenset[int]]:
        """Role name -> ids of its active holders, for the roles that play an actor."""
        if self._roles is None:
            rows = User.objects.filter(
                is_active=True, groups__name__in=[r.value for r in ACTOR_ROLES.values()]
            ).values_list("groups__name", "pk")
            self._roles = _grouped(rows)
        return self._roles

    def team_members(self) -> dict[int, frozenset[int]]:
        """Team id -> ids of its active members of the technical role."""
        if self._teams is None:
            team_ids = {
                a.technical_team_id
                for a in self._appeals.values()
                if a.technical_team_id is not None
            }
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

    def panel_seats(self) -> dict[int, frozenset[int]]:
        """Appeal id -> ids of the active users seated on its panel."""
        if self._seats is None:
            rows = (
                PanelSeat.objects.seated()
                .filter(appeal_id__in=list(self._appeals), user__is_active=True)
                .values_list("appeal_id", "user_id")
            )
            self._seats = _grouped(rows)
        return self._seats


def _grouped(rows: Iterable[tuple]) -> dict:
    grouped: dict = defaultdict(set)
    for key, user_id in rows:
        grouped[key].add(user_id)
    return {key: frozenset(ids) for key, ids in grouped.items()}
