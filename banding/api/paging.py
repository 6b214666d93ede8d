"""One way to page an API list: `limit` with `offset` or `page`, one count and one query."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

from banding.paging import ByIds, window

# Far beyond any list SiBanding holds, and within what both databases take as an OFFSET (a
# 64-bit integer): a larger number is a 400, not a database overflow.
MAX_OFFSET = 10**9


class PageQuery(Schema):
    limit: int | None = Field(None, ge=1, le=100, description="Baris per halaman (bawaan 25).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    page: int | None = Field(
        None, ge=1, le=MAX_OFFSET // 100, description="Nomor halaman; menggantikan offset."
    )


def page_of(
    qs: QuerySet | ByIds,
    paging: PageQuery,
    present: Callable[[Any], dict],
    *,
    count: int | None = None,
) -> dict:
    """The page's rows, presented, with the total count (`count` when the caller counted
    already); the cost does not grow with the table (the list's queryset carries its own
    select_related)."""
    limit = paging.limit or settings.BANDING_PAGE_SIZE
    offset = (paging.page - 1) * limit if paging.page else paging.offset
    return {
        "count": qs.count() if count is None else count,
        "limit": limit,
        "offset": offset,
        "items": [present(row) for row in window(qs, offset, offset + limit)],
    }
