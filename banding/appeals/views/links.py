"""Links of a list's rows, reversed once per list rather than once per row: a list of 100 rows
with a link each would otherwise resolve the same URL pattern 100 times (`{% url %}` in a
loop). RowLink reverses the URL once with marker ids and puts each row's public ids in their
place by string substitution; the result is the text reverse() gives for those ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.urls import reverse


class RowLink:
    """The URL named `name` taking `arity` public ids (UUIDs), for many rows:
    `RowLink("appeals:detail")(appeal.public_id) == reverse("appeals:detail", args=[...])`."""

    def __init__(self, name: str, arity: int = 1) -> None:
        marks = [str(UUID(int=i + 1)) for i in range(arity)]
        url = reverse(name, args=marks)
        pattern = url.replace("{", "{{").replace("}", "}}")
        for i, mark in enumerate(marks):
            if pattern.count(mark) != 1:
                raise ValueError(f"{name}: argument {i} does not appear once in {url!r}")
            pattern = pattern.replace(mark, f"{{{i}}}")
        self.name = name
        self._pattern = pattern

    def __call__(self, *public_ids: UUID | str) -> str:
        # A public id is a UUID: hex digits and dashes, which a URL keeps as they are (the
        # path converter's to_url is str() too).
        return self._pattern.format(*map(str, public_ids))

    def __repr__(self) -> str:
        return f"RowLink({self.name!r})"


def _own_id(row: Any) -> tuple[Any, ...]:
    return (row.public_id,)


def with_links[R](
    rows: list[R], key: Callable[[R], tuple[Any, ...]] = _own_id, **links: RowLink
) -> list[R]:
    """Each row given an attribute per link (`detail_url=RowLink("appeals:detail")` sets
    row.detail_url), from the ids `key` reads of the row (its public_id unless told): one
    pass over a list already read."""
    for row in rows:
        ids = key(row)
        for attribute, link in links.items():
            setattr(row, attribute, link(*ids))
    return rows
