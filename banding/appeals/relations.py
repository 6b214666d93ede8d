"""Related rows a caller already holds, handed on as Django's prefetch cache: a new appeal's
steps, documents and so on are known to the service that wrote them, so what shows the
appeal next (the API's 201 body) need not read them back. What is remembered is made to look
as if read back: its instants in UTC, as the database returns them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.db.models import DateTimeField, Model


def remember(instance: Model, **related: Iterable[Model]) -> None:
    """Make `instance.<name>.all()` answer from `related[name]` without a query, as
    `prefetch_related` would have left it."""
    as_read(instance)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        queryset = getattr(instance, name).all()
        queryset._result_cache = [as_read(row) for row in rows]
        queryset._prefetch_done = True
        cache[name] = queryset


def remembered(instance: Model, names: Iterable[str]) -> bool:
    """Whether every relation in `names` is in the instance's prefetch cache."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return all(name in cache for name in names)


def as_read(instance: Model) -> Model:
    """The instance's date-times in UTC, as reading the row back would give them."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, DateTimeField):
            value = getattr(instance, field.attname)
            if value is not None:
                setattr(instance, field.attname, value.astimezone(UTC))
    return instance
