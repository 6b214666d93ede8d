"""Hooks: how a lower layer triggers a higher one without importing it.

The lower layer declares what happened as a hook, from a stub that gives its name, its
keyword arguments and its meaning, and calls it where it happens:

    @hook
    def step_opened(*, appeal: Appeal, step: Step) -> None:
        '''A step opened: whoever acts on it is told.'''

    step_opened(appeal=appeal, step=step)

The higher layer connects its receiver in its AppConfig.ready(), so the wiring exists
whenever Django is set up (the web, the worker, the commands and the tests alike):

    step_opened.connect(notify_step_opened)

Receivers run in order, in the caller's transaction: what they write commits or rolls back
with the action (the notices and the mail outbox rows). Calling a hook that nothing is
connected to is an error, so a missing wiring cannot silently drop a customer's notice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class Hook[**P]:
    def __init__(self, stub: Callable[P, None]) -> None:
        self.name = f"{stub.__module__}.{stub.__qualname__}"
        self.__doc__ = stub.__doc__
        self._receivers: list[Callable[P, None]] = []

    def connect(self, receiver: Callable[P, None]) -> Callable[P, None]:
        """Connect `receiver` (once, however often ready() runs)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        if not self._receivers:
            raise ImproperlyConfigured(
                f"Hook {self.name} has no receiver: the app that handles it is not installed "
                "or did not connect it in its AppConfig.ready()."
            )
        for receiver in self._receivers:
            receiver(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"


def hook[**P](stub: Callable[P, None]) -> Hook[P]:
    """Declare a hook from its stub (the stub's body is never run)."""
    return Hook(stub)
