"""Issue 19 item 6: Tugas saya formats its rows without Django's per-date format parsing and
links them without a reverse() per row (banding.formats.format_wib and RowLink of
banding.appeals.views.links); the text is the same as before, and the head's page keeps its
queries however many rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from banding.appeals import services
from banding.appeals.views.links import RowLink, with_links
from banding.formats import WIB, format_wib
from tests.factories import register, walk
from tests.portal.helpers import submit
from tests.state import open_step

INBOX = reverse("appeals:inbox")


def old_wib(value: datetime | None) -> str:
    """format_wib as it was: Django's dateformat with 'j F Y H:i'."""
    if not value:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, WIB)
    return f"{dateformat.format(value.astimezone(WIB), 'j F Y H:i')} WIB"


INSTANTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),  # 07:00 WIB
    datetime(2026, 12, 31, 17, 0, tzinfo=UTC),  # 1 January 2027 00:00 WIB
    datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC),
    datetime(2028, 2, 29, 9, 5, tzinfo=WIB),
    datetime(2026, 11, 24, 10, 5, 30, 999_999, tzinfo=WIB),
    datetime(999, 3, 7, 8, 9, tzinfo=UTC),  # a year of three digits: still four
    datetime(2026, 6, 15, 3, 4),  # noqa: DTZ001 -- naive: read as WIB
    *(datetime(2026, month, 9, 13, 30, tzinfo=UTC) for month in range(1, 13)),
]


@pytest.mark.parametrize("language", ["id", "en"])
def test_format_wib_writes_what_dateformat_wrote_in_every_language(language):
    with translation.override(language):
        for instant in [*INSTANTS, None]:
            assert format_wib(instant) == old_wib(instant)
    with translation.override("id"):
        assert format_wib(datetime(2026, 11, 24, 3, 5, tzinfo=UTC)) == "24 November 2026 10:05 WIB"
        assert format_wib(datetime(2026, 8, 1, 1, 0, tzinfo=UTC)) == "1 Agustus 2026 08:00 WIB"
    with translation.override("en"):
        assert format_wib(datetime(2026, 8, 1, 1, 0, tzinfo=UTC)) == "1 August 2026 08:00 WIB"


def test_a_row_link_is_what_reverse_gives():
    ids = [uuid4() for _ in range(5)] + [UUID(int=0), UUID(int=1), UUID(int=2)]
    for name in ("appeals:detail", "appeals:take", "appeals:release"):
        link = RowLink(name)
        for public_id in ids:
            assert link(public_id) == reverse(name, args=[public_id])
            assert link(str(public_id)) == reverse(name, args=[public_id])
    letter = RowLink("letters:letter", arity=2)
    for first, second in zip(ids, reversed(ids), strict=True):
        assert letter(first, second) == reverse("letters:letter", args=[first, second])


def test_with_links_sets_an_attribute_per_link():
    class Row:
        def __init__(self) -> None:
            self.public_id = uuid4()

    rows = with_links([Row(), Row()], detail_url=RowLink("appeals:detail"))
    assert [r.detail_url for r in rows] == [
        reverse("appeals:detail", args=[r.public_id]) for r in rows
    ]


def _head_page(client) -> tuple[str, int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INBOX)
    assert response.status_code == 200
    return response.content.decode(), len(captured), response.context


def test_the_heads_rows_link_and_date_as_before(client, p, time_machine):
    turn = walk(p, register(p), 6)  # the head appoints the panel
    acknowledged = walk(p, register(p), 5)  # nota dinas to be acknowledged
    time_machine.move_to(timezone.now() + timedelta(days=60), tick=False)  # every step late
    client.force_login(p.head)
    body, _, context = _head_page(client)

    row = context["page"].object_list[0]
    assert row.number == turn.number
    # The row as the template wrote it before: {% url %} and the dateformat filter.
    assert f'<a href="{reverse("appeals:detail", args=[turn.public_id])}">{turn.number}</a>' in body
    assert f"{old_wib(turn.current_due_at)}<div>" in body
    assert f"sejak {old_wib(turn.current_since)}" in body
    # The head's other lists: the nota dinas and the overdue steps.
    assert [a.number for a in context["acknowledgements"]] == [acknowledged.number]
    ack_href = reverse("appeals:detail", args=[acknowledged.public_id])
    assert body.count(f'<a href="{ack_href}">{acknowledged.number}</a>') == 2  # and overdue
    overdue = section(body, 'id="terlambat"')
    assert f"jatuh tempo {old_wib(acknowledged.current_due_at)}" in overdue


def section(body: str, marker: str) -> str:
    return body.split(marker, 1)[1]


def test_the_take_and_release_forms_post_where_they_did(client, p):
    free, mine = submit(p), submit(p)  # step 2, any Staff PJTK's
    services.step_take(appeal=mine, user=p.staff)
    client.force_login(p.staff)
    body = client.get(INBOX).content.decode()
    assert f'action="{reverse("appeals:take", args=[free.public_id])}"' in body
    assert f'action="{reverse("appeals:release", args=[mine.public_id])}"' in body
    assert f"Anda mengerjakannya sejak {old_wib(open_step(mine).taken_at)}" in body


def test_the_heads_tugas_saya_costs_the_same_queries_with_few_and_many_rows(
    client, p, time_machine
):
    """Tugas saya of the head with a row in each list, then with a full page of turns, 30
    nota dinas and 60 late steps (the side lists show 10 each, then a link to all of them):
    the same queries."""
    walk(p, register(p), 6)
    walk(p, register(p), 5)
    now = timezone.now()
    time_machine.move_to(now + timedelta(days=60), tick=False)
    client.force_login(p.head)
    _, few, context = _head_page(client)
    assert len(context["page"].object_list) == 1 and len(context["acknowledgements"]) == 1
    time_machine.move_to(now, tick=False)
    for _ in range(29):
        walk(p, register(p), 6)
        walk(p, register(p), 5)
    time_machine.move_to(now + timedelta(days=60), tick=False)
    client.force_login(p.head)
    body, many, context = _head_page(client)
    assert len(context["page"].object_list) == 25  # a full page
    assert len(context["acknowledgements"]) == 10 and context["acknowledgements_more"]
    assert len(context["overdue"]) == 10 and context["overdue_more"]
    assert many == few
    # "All of them": the register filtered to the open appeals at step 5, and to the late ones.
    register_url = reverse("appeals:register")
    assert f'<a href="{register_url}?status=open&amp;step=5">' in body
    assert f'<a href="{register_url}?deadline=overdue">' in body
    listed = client.get(register_url, {"status": "open", "step": 5}).context["page"].paginator
    assert listed.count == 30
