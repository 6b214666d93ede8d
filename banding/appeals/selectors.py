"""Reads: every list is one query (plus pagination's count) whatever the table size."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextChoices,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, NullIf, Substr, Trim
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import CustomerOrganization, User
from banding.accounts.roles import (
    Role,
    is_internal,
    panel_eligible,
    roles_of,
)
from banding.appeals import access, actors, involvement
from banding.appeals.deadlines import DeadlineState
from banding.appeals.models import Appeal, PanelSeat, Status
from banding.errors import NotFound
from banding.paging import ByIds
from banding.sop import definition as sop

LIST_RELATED = ("organization", "technical_team")


def visible_appeals(user: User) -> QuerySet[Appeal]:
    """What the user may see (access.viewable): institute staff the appeals they have a part
    in or oversee, a customer its organisation's."""
    qs = Appeal.objects.select_related(*LIST_RELATED)
    condition = access.viewable(user)
    if condition is None:
        return qs.none()
    return qs.filter(condition) if condition else qs


INVOLVED = "involved_people"  # the annotation of appeal_for(..., for_page=True)


def _involved_people() -> Subquery:
    """The persons involved in the original activity as JSON objects joined by commas, read
    with the appeal row by a subquery (the M2M table's (appeal, user) index answers it)
    rather than by a query of their own."""
    person = JSONObject(
        id="user_id",
        first_name="user__first_name",
        last_name="user__last_name",
        username="user__username",
    )
    return Subquery(
        Appeal.involved_persons.through.objects.filter(appeal=OuterRef("pk"))
        .values("appeal")
        .annotate(people=StringAgg(Cast(person, TextField()), delimiter=Value(",")))
        # django-stubs does not see a name annotated after values() as a field.
        .values("people")  # type: ignore[misc]
    )


def appeal_for(user: User, public_id: UUID | str, *, for_page: bool = False) -> Appeal:
    """One appeal the user may see. A customer, or an account without a role, gets 404 for
    another's (never 403: do not reveal that it exists); institute staff without a part in
    it get 403 saying why (access.require_view), read in the same query (access.with_part).
    `for_page`: with what the appeal page would otherwise read by queries of their own, in
    the same query: the persons involved (see involved_names) and the members of its
    technical team (see actors.team_members)."""
    if is_internal(user):
        appeals = Appeal.objects.select_related(*LIST_RELATED).annotate(**access.with_part(user))
    else:
        appeals = visible_appeals(user)
    if for_page:
        appeals = appeals.select_related("appealed_team").annotate(
            **{INVOLVED: _involved_people(), actors.TEAM_MEMBERS: actors.team_members()}
        )
    try:
        appeal = appeals.get(public_id=public_id)
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise NotFound(N_("Banding tidak ditemukan.")) from None
    access.require_view(user, appeal)
    return appeal


def involved_names(appeal: Appeal) -> list[str]:
    """The display names of the persons involved in the original activity, in alphabetical
    order: from the annotation of appeal_for(..., for_page=True) when the appeal has it,
    else one query."""
    if hasattr(appeal, INVOLVED):
        people = json.loads(f"[{getattr(appeal, INVOLVED) or ''}]")
        users = [
            User(first_name=p["first_name"], last_name=p["last_name"], username=p["username"])
            for p in people
        ]
    else:
        users = list(appeal.involved_persons.all())
    return sorted(user.display_name for user in users)


class InboxFilter(TextChoices):
    """The views of Tugas saya, each a link with its count."""

    MINE = "giliran", N_("Giliran saya")
    TAKEN_BY_ME = "saya", N_("Saya kerjakan")
    OTHERS = "lain", N_("Dikerjakan orang lain")
    OVERDUE = "terlambat", N_("Lewat tenggat")
    AT_RISK = "hampir", N_("Hampir jatuh tempo")
    ALL = "semua", N_("Semua")


# The annotations of an inbox row: who took its open step (banding.appeals.claims), their
# name, when; and the head of the grounds (the row's summary, banding.formats.summary).
TAKER_ID = "taker_public_id"
TAKER = "taker_name"
TAKEN_AT = "taken_at"
GROUNDS_HEAD = "grounds_head"
GROUNDS_READ = 240  # characters read for a summary of about 100


def inbox_condition(user: User, view: str, now: datetime | None = None) -> Q:
    """A view's rows among the user's turns: who took the open step is the appeal's own
    column (current_taken_by, in the appeal_queue index), no query of the steps. `now`: the
    instant the deadline views compare with (default: the current one)."""
    if view == InboxFilter.MINE:  # nobody's yet, or the user's own
        return Q(current_taken_by__isnull=True) | Q(current_taken_by=user)
    if view == InboxFilter.TAKEN_BY_ME:
        return Q(current_taken_by=user)
    if view == InboxFilter.OTHERS:
        return Q(current_taken_by__isnull=False) & ~Q(current_taken_by=user)
    if view == InboxFilter.OVERDUE:
        return deadline_condition(DeadlineState.OVERDUE, now)
    if view == InboxFilter.AT_RISK:
        return deadline_condition(DeadlineState.AT_RISK, now)
    return Q()


def open_turns(user: User) -> QuerySet[Appeal]:
    """The user's turns (actors.turns_of)."""
    return Appeal.objects.filter(actors.turns_of(user), status=Status.OPEN)


def taker_name() -> Coalesce:
    """The open step's taker's name (User.display_name in SQL), through the row's join to its
    taker: the rows shown only, by primary key (the list's order, its page of ids and its
    counts never read it)."""
    name = Trim(Concat("current_taken_by__first_name", Value(" "), "current_taken_by__last_name"))
    return Coalesce(NullIf(name, Value("")), "current_taken_by__username")


# What a row of Tugas saya reads of the appeal and its organisation and team, for the page and
# the API's /inbox (api.present.inbox_item) alike: not the appeal's other 30 columns, whose
# instants SQLite hands over as text to be parsed, row by row.
INBOX_FIELDS = (
    *("public_id", "number", "status", "service_type", "channel", "contact_name"),
    *("complaint_reference", "received_at", "created_at", "closed_at"),
    *("current_step", "current_actor", "current_since", "current_due_at"),
    *("current_at_risk_at", "current_taken_at"),
    *("organization__public_id", "organization__name"),
    *("technical_team__code", "technical_team__name"),
)


# Tugas saya's order: the nearest due date first (appeal_queue holds it after the actor).
INBOX_ORDER = (F("current_due_at").asc(nulls_last=True), "current_since", "id")


def _inbox_shown() -> QuerySet[Appeal]:
    """What a row of Tugas saya shows, in the list's order: its taker (TAKER_ID, TAKER,
    TAKEN_AT) and GROUNDS_HEAD."""
    return (
        Appeal.objects.select_related(*LIST_RELATED)
        .only(*INBOX_FIELDS)
        .annotate(**inbox_annotations())
        .order_by(*INBOX_ORDER)
    )


def inbox_annotations() -> dict[str, Any]:
    """What a row of Tugas saya shows beside the appeal's columns: who took its step and
    when, and the head of the grounds."""
    return {
        TAKER_ID: F("current_taken_by__public_id"),
        TAKER: taker_name(),
        TAKEN_AT: F("current_taken_at"),
        GROUNDS_HEAD: Substr("grounds", 1, GROUNDS_READ),
    }


def inbox(user: User, view: str = InboxFilter.MINE) -> QuerySet[Appeal]:
    """Tugas saya: open appeals whose current step is the user's to act on (the rule of
    banding.appeals.actors) in one of the InboxFilter views, the nearest due date first;
    each row with its taker (TAKER_ID, TAKER, TAKEN_AT) and GROUNDS_HEAD, in one query.
    A page of it: inbox_pages."""
    turns = Q(actors.turns_of(user), status=Status.OPEN)
    return _inbox_shown().filter(turns, inbox_condition(user, view))


def inbox_pages(user: User, view: str = InboxFilter.MINE) -> ByIds[Appeal]:
    """inbox() to be paged (banding.paging.ByIds): a page's ids read from the appeal_queue
    index alone, then its rows by those ids; one query."""
    ids = open_turns(user).filter(inbox_condition(user, view)).order_by(*INBOX_ORDER)
    return ByIds(ids, _inbox_shown())


def inbox_count(user: User, view: str = InboxFilter.MINE) -> int:
    """How many rows one InboxFilter view holds (inbox_counts counts them all)."""
    return open_turns(user).filter(inbox_condition(user, view)).count()


@dataclass(frozen=True)
class RegisterFilters:
    q: str = ""
    status: str = ""
    step: int | None = None
    service_type: str = ""
    organization: str = ""  # public_id
    received_from: date | None = None
    received_to: date | None = None
    deadline: str = ""  # DeadlineState value: open appeals on time, at risk or overdue


def deadline_condition(state: str, now: datetime | None = None) -> Q:
    """Open appeals in a deadline state, as plain comparisons of the stored instants with now
    (the (status, current_due_at) index answers them); the same rule as deadlines.state_of."""
    now = now or timezone.now()
    if state == DeadlineState.OVERDUE:
        return Q(status=Status.OPEN, current_due_at__lte=now)
    if state == DeadlineState.AT_RISK:
        return Q(status=Status.OPEN, current_due_at__gt=now, current_at_risk_at__lte=now)
    return Q(status=Status.OPEN, current_due_at__gt=now) & (
        Q(current_at_risk_at__gt=now) | Q(current_at_risk_at__isnull=True)
    )


def _start_of(day: date) -> datetime:
    """The first instant of a day in the institute's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


# Migration appeals 0002_search: an SQLite FTS5 trigram table of these appeal columns, and
# PostgreSQL pg_trgm GIN indexes on UPPER(column) of each.
SEARCH_FTS_TABLE = "appeals_appeal_register_fts"
TRIGRAM = 3  # the shortest text a trigram index can look up
# SQLite: a text found in more appeals than this is left to the scan (see _search).
COMMON_TEXT = 5000
# The organisations named like the text are passed as a list of ids up to this many.
LISTED_ORGANIZATIONS = 5000


def _fts_phrase(q: str) -> str:
    """`q` as one FTS5 string: taken literally ("" is a quote); with the trigram tokenizer it
    matches where it occurs as a substring, whatever the case."""
    return '"' + q.replace('"', '""') + '"'


def _is_common_text(phrase: str) -> bool:
    """Whether more than COMMON_TEXT appeals hold the text: read from the index up to that
    many, which stops early however common the text is (under a millisecond)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {SEARCH_FTS_TABLE} "
            f"WHERE {SEARCH_FTS_TABLE} MATCH %s LIMIT %s)",
            [phrase, COMMON_TEXT + 1],
        )
        return cursor.fetchone()[0] > COMMON_TEXT


def _search(q: str) -> Q:
    """Appeals whose register number, complaint reference, reference document or customer's
    name contains `q`, whatever the case: one query for the organisations, and on SQLite one
    for how common the text is; the appeals are then found through an index rather than by
    a LIKE '%q%' over every appeal.

    - The organisations named like it first, as a list of ids: a small table, and a list
      lets PostgreSQL see how many appeals they hold (for a subquery it guesses, and then
      walks the whole register backwards for a customer whose appeals are old).
    - The columns: PostgreSQL's icontains is UPPER(col::text) LIKE UPPER('%q%'), the
      expressions of the trigram indexes, and its planner knows from their statistics
      whether the text is rare (look it up) or common (walk the register's order). SQLite
      cannot tell, so it is asked: a rare text is looked up in the FTS table (then the
      matches are sorted), a common one (in more than COMMON_TEXT appeals, say "2026") is
      left to the scan, which fills a page of the newest appeals after a few rows.
    - Shorter than a trigram, no index can find it: the scan on both databases (SQLite's
      reads the narrow index appeal_register_search)."""
    named = CustomerOrganization.objects.filter(name__icontains=q).order_by()
    ids = list(named.values_list("pk", flat=True)[: LISTED_ORGANIZATIONS + 1])
    # Beyond a few thousand the list would outgrow a statement's parameters: the subquery.
    organizations = (
        Q(organization_id__in=ids)
        if len(ids) <= LISTED_ORGANIZATIONS
        else Q(organization__in=named.values("pk"))
    )
    if len(q) >= TRIGRAM and connection.vendor == "sqlite":
        phrase = _fts_phrase(q)
        if not _is_common_text(phrase):
            matches = RawSQL(
                f"SELECT rowid FROM {SEARCH_FTS_TABLE} WHERE {SEARCH_FTS_TABLE} MATCH %s",
                [phrase],
            )
            return Q(pk__in=matches) | organizations
    return (
        Q(number__icontains=q)
        | organizations
        | Q(complaint_reference__icontains=q)
        | Q(reference_document__icontains=q)
    )


def register(user: User, filters: RegisterFilters) -> QuerySet[Appeal]:
    """Buku agenda banding, filtered; newest first."""
    qs = visible_appeals(user)
    if filters.q:
        qs = qs.filter(_search(filters.q))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.step is not None:
        # Only an open appeal has a current step; saying so lets the status index serve.
        qs = qs.filter(status=Status.OPEN, current_step=filters.step)
    if filters.service_type:
        qs = qs.filter(service_type=filters.service_type)
    if filters.organization:
        qs = qs.filter(organization__public_id=filters.organization)
    # Dates as the local day's bounds, so the received_at index answers (a __date lookup
    # wraps the column in a function that no index serves).
    if filters.received_from:
        qs = qs.filter(received_at__gte=_start_of(filters.received_from))
    if filters.received_to:
        qs = qs.filter(received_at__lt=_start_of(filters.received_to + timedelta(days=1)))
    if filters.deadline in DeadlineState.values:
        qs = qs.filter(deadline_condition(filters.deadline))
    return qs.order_by("-created_at", "-id")


def panel_candidates() -> QuerySet[User]:
    """Staff who can sit on an appeal panel."""
    return (
        User.objects.filter(panel_eligible())
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def panel_choices(appeal: Appeal) -> tuple[list[User], list[tuple[User, str]]]:
    """The panel candidates for this appeal, split: those who may be chosen, and those who
    may not because they are involved (each with why, to be shown rather than hidden).
    One query, two with an appealed team not exempted, three without the page's annotation."""
    persons = None
    if hasattr(appeal, INVOLVED):  # read with the appeal (appeal_for(..., for_page=True))
        persons = [p["id"] for p in json.loads(f"[{getattr(appeal, INVOLVED) or ''}]")]
    involved = dict(involvement.involved(appeal, persons=persons))
    # A person who declared a conflict of interest on this appeal is not offered again (the
    # seats: the page's, prefetched, else one query; none before step 6 seats the panel).
    seated_yet = appeal.current_step is None or appeal.current_step > 6
    seats = appeal.panel_seats.all() if seated_yet else PanelSeat.objects.none()
    for seat in seats:
        if seat.conflict and seat.user_id not in involved:
            involved[seat.user_id] = gettext("menyatakan benturan kepentingan pada banding ini")
    candidates = list(panel_candidates())
    eligible = [u for u in candidates if u.pk not in involved]
    return eligible, [(u, involved[u.pk]) for u in candidates if u.pk in involved]


def replacement_choices(
    appeal: Appeal, seats: list[PanelSeat]
) -> tuple[list[User], list[tuple[User, str]]]:
    """The candidates to replace a vacated seat of this panel, split like panel_choices: who
    may be chosen, and who may not (involved, conflicted here, already seated), each with why.
    `seats` are the appeal's seats, vacated ones too."""
    eligible, ineligible = panel_choices(appeal)
    on_panel = {s.user_id: s for s in seats}
    chosen = []
    for user in eligible:
        seat = on_panel.get(user.pk)
        if seat is None:
            chosen.append(user)
        else:
            ineligible.append((user, gettext("sudah duduk di Tim Panel Banding banding ini")))
    return chosen, ineligible


def staff_users() -> QuerySet[User]:
    """Institute staff (for choosing the persons involved in the original activity)."""
    return (
        User.objects.filter(is_active=True, organization__isnull=True, groups__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def panel_vacancies(user: User) -> QuerySet[Appeal]:
    """For the head: open appeals with a panel seat vacated by a declared conflict of interest
    and no replacement appointed yet (the panel cannot act until the head appoints one)."""
    if Role.HEAD not in roles_of(user):
        return Appeal.objects.none()
    # From the vacated seats (the seat_vacated index: a handful), not from every open appeal
    # tested for one (3,000 probes of the seats, 3 ms on every request of the head's page).
    vacant = (
        PanelSeat.objects.filter(vacated_at__isnull=False)
        .exclude(Exists(PanelSeat.objects.filter(replaces=OuterRef("pk"))))
        .values("appeal_id")
    )
    return (
        Appeal.objects.select_related("organization")
        .filter(pk__in=vacant, status=Status.OPEN)
        .order_by("current_since", "id")
        # What the head's list shows, no more (a handful of rows, every request).
        .only("public_id", "number", "current_step", "organization__name")
    )


def for_acknowledgement(user: User) -> QuerySet[Appeal]:
    """Nota dinas the head acknowledges (diketahui): relevant appeals sent to a technical
    team and waiting for its panel proposal (the step that proposes it, 5)."""
    if Role.HEAD not in roles_of(user):
        return Appeal.objects.none()
    return (
        Appeal.objects.select_related(*LIST_RELATED)
        .filter(status=Status.OPEN, current_step=sop.step_of(sop.Result.PROPOSED))
        .order_by("current_since", "id")
        # What the head's list shows, no more (a few rows, every request).
        .only(
            "public_id",
            "number",
            "current_since",
            "organization__name",
            "technical_team__name",
        )
    )
