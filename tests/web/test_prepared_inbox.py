"""Issue 19, the head's Tugas saya within 10× the floor: its queries are compiled once per
shape (banding.prepared) and run with each request's user and instant. The SQL and parameters
a prepared query runs are exactly what the ORM compiles for that user at that instant, for
every persona and mixed roles, whoever's request compiled the shape first; a builder that
reads the database or writes a stand-in into the SQL is refused; the page's rows say who
took a step as the template said it (escaped)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banding.accounts.models import User
from banding.accounts.roles import Role, roles_of
from banding.appeals import actors, inbox_reads, services
from banding.appeals.models import Appeal
from banding.appeals.selectors import InboxFilter
from banding.letters import selectors as letter_selectors
from banding.letters import services as letter_services
from banding.prepared import USER_MARK, Prepared, ReadInBuild
from tests.factories import make_user, register, walk
from tests.portal.helpers import submit
from tests.state import open_step
from tests.web.test_inbox_rows import old_wib

INBOX = reverse("appeals:inbox")


def queries(user: User) -> list[tuple[Prepared, object, tuple]]:
    """Every prepared query of the page with the shape and arguments the page gives it."""
    turns = actors.turns_shape(user)
    return [
        (inbox_reads.COUNTS_SQL, turns, ()),
        *((inbox_reads.INBOX_ROWS_SQL, turns, (view.value, 0, 25)) for view in InboxFilter),
        (inbox_reads.INBOX_ROWS_SQL, turns, (InboxFilter.MINE.value, 25, 50)),
        (inbox_reads.ACKNOWLEDGEMENTS_SQL, roles_of(user), (11,)),
        (inbox_reads.VACANCIES_SQL, roles_of(user), (50,)),
        (inbox_reads.OVERDUE_SQL, None, (11,)),
        (letter_selectors.TO_SIGN_SQL, letter_selectors.to_sign_shape(user), (11,)),
    ]


def fresh(prepared: Prepared, user: User, args: tuple, now) -> tuple[str, list] | None:
    """What the ORM compiles for this user and instant, now."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = prepared.build(user, now, *args).query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, list(params)


@pytest.fixture
def people(p):
    """Every persona, and mixed roles: two with the same roles (a shape compiled for one
    serves the other), a head who also sits on panels, a staff member in a technical team."""
    both = make_user("kepala_teknis", Role.HEAD, Role.TECHNICAL)
    staff_tech = make_user("staf_teknis", Role.PJTK_STAFF, Role.TECHNICAL)
    p.team_a.members.add(staff_tech)
    second_staff = make_user("staf_dua", Role.PJTK_STAFF)
    return [*p.everyone(), both, staff_tech, second_staff]


def test_a_prepared_query_runs_what_the_orm_compiles_for_each_user(p, people, time_machine):
    walk(p, register(p), 6)
    submit(p)
    instants = [timezone.now(), timezone.now() + timedelta(days=40)]
    for now in instants:
        for user in people:
            user = User.objects.get(pk=user.pk)  # roles read afresh, as a request's user
            for prepared, shape, args in queries(user):
                found = prepared.statement(user, shape, *args, now=now)
                expected = fresh(prepared, user, args, now)
                if expected is None:
                    assert found is None, (user, prepared.build)
                    continue
                assert found is not None, (user, prepared.build)
                compiled, params = found
                assert (compiled.sql, params) == expected, (user.username, prepared.build)


def test_the_letters_to_sign_follow_the_signers_in_force(p, settings):
    """Who signs a kind is a setting: a changed setting is another shape, not a stale SQL."""
    letter_services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima")
    assert len(letter_selectors.to_sign_rows(p.head, 11)) == 1
    assert letter_selectors.to_sign_rows(p.lead, 11) != []  # a.n. Kepala Balai
    settings.BANDING_LETTER_SIGNERS = {"tanda_terima": {"signer": "KAB"}}
    lead = User.objects.get(pk=p.lead.pk)
    for prepared, shape, args in queries(lead)[-1:]:
        compiled, params = prepared.statement(lead, shape, *args, now=timezone.now())
        assert (compiled.sql, params) == fresh(prepared, lead, args, timezone.now())
    assert letter_selectors.to_sign_rows(lead, 11) == []


def test_counts_and_rows_are_each_users_own(p, time_machine):
    """Two Staff PJTK share a compiled shape; each sees the step they took as theirs."""
    other = make_user("staf_dua", Role.PJTK_STAFF)
    mine, theirs, free = submit(p), submit(p), submit(p)
    services.step_take(appeal=mine, user=p.staff)
    services.step_take(appeal=theirs, user=other)
    for user, own, others in ((p.staff, mine, theirs), (other, theirs, mine)):
        counts = inbox_reads.inbox_counts(user)
        assert counts[InboxFilter.TAKEN_BY_ME] == 1 and counts[InboxFilter.OTHERS] == 1
        rows = inbox_reads.InboxRows(user, InboxFilter.TAKEN_BY_ME)[0:25]
        assert [r["number"] for r in rows] == [own.number]
        rows = inbox_reads.InboxRows(user, InboxFilter.MINE)[0:25]
        assert {r["number"] for r in rows} == {own.number, free.number}
        assert others.number not in {r["number"] for r in rows}
    # The deadline views compare with the request's instant, not the compiling one's.
    assert inbox_reads.inbox_counts(p.staff)[InboxFilter.OVERDUE] == 0
    time_machine.move_to(timezone.now() + timedelta(days=60), tick=False)
    assert inbox_reads.inbox_counts(p.staff)[InboxFilter.OVERDUE] == 3


def test_a_builder_that_reads_the_database_is_refused(p):
    def reads(user, now):
        list(User.objects.filter(pk=user.pk))  # runs a query while building
        return Appeal.objects.values("pk")

    with pytest.raises(ReadInBuild):
        Prepared(reads).rows(p.staff, "shape")


def test_a_stand_in_written_into_the_sql_is_refused(p):
    def inlined(user, now):
        return Appeal.objects.extra(where=[f"id <> {user.pk}"]).values("pk")

    with pytest.raises(ValueError, match="stand-in"):
        Prepared(inlined).rows(p.staff, "shape")
    assert str(USER_MARK) not in str(Appeal.objects.filter(Q(pk=1)).query)


def test_an_empty_query_reads_nothing(p):
    roles_of(p.staff)  # read once per request, by the page's first query
    with CaptureQueriesContext(connection) as captured:
        assert inbox_reads.acknowledgement_rows(p.staff, 11) == []
    assert len(captured) == 0


def test_the_taker_cell_says_what_the_template_said(client, p):
    """Taken by another (a name to be escaped), and by the user: the sentences are made once
    per page in Python now, with the values escaped as {% blocktranslate %} escaped them."""
    odd = make_user("odd", Role.PJTK_STAFF, first_name="O'Neil <b>", last_name="& Co")
    theirs, mine = submit(p), submit(p)
    services.step_take(appeal=theirs, user=odd)
    services.step_take(appeal=mine, user=p.staff)
    client.force_login(p.staff)
    body = client.get(INBOX, {"tampil": "semua"}).content.decode()
    name = "O&#x27;Neil &lt;b&gt; &amp; Co"
    taken = old_wib(open_step(theirs).taken_at)
    assert f'<span class="badge text-bg-warning text-wrap">Dikerjakan oleh {name}</span>' in body
    assert f'<div class="small text-body-secondary">sejak {taken}</div>' in body
    own = old_wib(open_step(mine).taken_at)
    assert f'<div class="small">Anda mengerjakannya sejak {own}</div>' in body
