import pytest
from django.core.exceptions import ImproperlyConfigured

from banding.hooks import hook


def test_a_hook_calls_its_receivers_in_order_with_the_callers_arguments():
    @hook
    def happened(*, what: str) -> None:
        """Something happened."""

    heard = []
    happened.connect(lambda *, what: heard.append(("first", what)))
    second = happened.connect(lambda *, what: heard.append(("second", what)))
    happened.connect(second)  # connecting twice (ready() run again) adds nothing

    happened(what="x")

    assert heard == [("first", "x"), ("second", "x")]
    assert happened.__doc__ == "Something happened."
    assert happened.name.endswith("happened")


def test_a_hook_nothing_is_connected_to_refuses_rather_than_dropping_the_event():
    @hook
    def unheard(*, what: str) -> None:
        """Nobody listens."""

    with pytest.raises(ImproperlyConfigured, match="unheard has no receiver"):
        unheard(what="x")


def test_a_receivers_error_reaches_the_caller():
    @hook
    def failing() -> None:
        """Its receiver fails."""

    def receiver() -> None:
        raise RuntimeError("boom")

    failing.connect(receiver)
    with pytest.raises(RuntimeError, match="boom"):
        failing()
