"""Tugas saya paged by ids (selectors.inbox_pages, banding.paging.ByIds): each page holds
the rows of inbox() in its order, with their annotations, in one query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.accounts.roles import Role
from banding.appeals import selectors, services
from banding.appeals.selectors import InboxFilter
from banding.paging import window
from tests.factories import make_user
from tests.portal.helpers import submit


def test_a_page_of_ids_holds_the_inbox_rows_in_their_order(p):
    maria = make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")
    for i in range(7):
        appeal = submit(p, complaint_reference=f"kel/{i}")
        if i % 3 == 0:
            services.step_take(appeal=appeal, user=maria if i else p.staff)
    for view in InboxFilter:
        every = list(selectors.inbox(p.staff, view))
        pages = selectors.inbox_pages(p.staff, view)
        assert len(pages) == len(every)
        with CaptureQueriesContext(connection) as captured:
            shown = [list(window(pages, start, start + 3)) for start in range(0, 9, 3)]
        assert len(captured) == 3  # one query a page
        rows = [row for page in shown for row in page]
        assert [r.pk for r in rows] == [r.pk for r in every], view
        assert [getattr(r, selectors.TAKER) for r in rows] == [
            getattr(r, selectors.TAKER) for r in every
        ]
    mine = selectors.inbox_pages(p.staff, InboxFilter.TAKEN_BY_ME)
    assert [getattr(r, selectors.TAKER_ID) for r in mine] == [p.staff.public_id]
    assert mine[0].pk == next(iter(mine)).pk
