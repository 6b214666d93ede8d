"""Pages of a long list whose cost does not grow with the page number.

`qs[50000:50025]` makes the database build 50,025 whole rows (with their joins) and throw
away all but 25. `window` asks first for the page's primary keys only — which the index of the
list's order answers without reading the table — and then for those 25 rows, in one query:
`WHERE id IN (SELECT id ... ORDER BY ... LIMIT 25 OFFSET 50000)`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.core import paginator
from django.db.models import Model, QuerySet


@overload
def window[M: Model](rows: QuerySet[M], start: int, stop: int) -> QuerySet[M]: ...
@overload
def window[T](rows: Sequence[T], start: int, stop: int) -> Sequence[T]: ...


def window(rows: Any, start: int, stop: int) -> Any:
    """rows[start:stop]; for a queryset, fetched by its primary keys first (see above)."""
    if not isinstance(rows, QuerySet):
        return rows[start:stop]
    return rows.filter(pk__in=rows.values("pk")[start:stop])


class Paginator(paginator.Paginator):
    """Django's paginator, with each page fetched through `window`."""

    def page(self, number: int | str) -> paginator.Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # django-stubs does not declare Paginator._get_page, Django's hook for building a Page.
        rows: Any = self.object_list  # a queryset or a sequence: window takes either
        return self._get_page(window(rows, bottom, top), number, self)  # type: ignore[attr-defined]
