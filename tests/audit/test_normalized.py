"""An event's data is sealed as the database gives it back: `normalized` walks the data
instead of a JSON round trip, and must give exactly what the round trip gives."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import IntEnum
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from banding.audit.chain import normalized


def round_trip(data):
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


class Level(IntEnum):
    LOW = 1


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.uuids(),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
        st.dictionaries(st.integers(), inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_normalized_is_the_json_round_trip(data):
    assert normalized(data) == round_trip(data)
    assert json.dumps(normalized(data), sort_keys=True) == json.dumps(
        round_trip(data), sort_keys=True
    )


def test_what_the_walk_does_not_know_goes_through_json():
    moment = datetime(2026, 3, 17, 4, 0, 0, 123456, tzinfo=UTC)
    data = {
        "due_at": moment,
        "day": date(2026, 3, 17),
        "at": time(11, 0),
        "took": timedelta(hours=2),
        "amount": Decimal("1.50"),
        "id": UUID(int=7),
        "level": Level.LOW,  # an int subclass
        "label": gettext_lazy("Banding"),  # a lazy text
        "by_number": {3: "tiga"},  # keys that are not strings
        "pair": (1, "dua"),
        "none": None,
    }
    assert normalized(data) == round_trip(data)
    assert normalized(data)["due_at"] == "2026-03-17T04:00:00.123Z"
    assert normalized(None) == {} == normalized({})
