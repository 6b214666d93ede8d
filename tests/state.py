"""What a refused or failed action must leave untouched, captured from the database and the
media root, and the assertions the service tests share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from banding.accounts.models import User
from banding.appeals.models import Appeal, Document, Note, PanelSeat, RegisterSequence, Step
from banding.audit.actions import Action
from banding.audit.models import Event
from banding.errors import ServiceError
from banding.letters.models import Letter
from banding.sop import definition as sop


def stored_files() -> frozenset[str]:
    """Every file under the media root, as paths relative to it, but the files kept for a
    form shown again after a refusal (staged/, banding.appeals.staging: staged_files)."""
    return frozenset(f for f in _media() if not f.startswith("staged/"))


def staged_files() -> frozenset[str]:
    return frozenset(f for f in _media() if f.startswith("staged/"))


def _media() -> frozenset[str]:
    root = Path(default_storage.location)
    if not root.exists():
        return frozenset()
    return frozenset(str(f.relative_to(root)) for f in root.rglob("*") if f.is_file())


@dataclass(frozen=True)
class State:
    appeals: tuple[dict, ...]
    involved: tuple[dict, ...]
    steps: tuple[dict, ...]
    seats: tuple[dict, ...]
    documents: tuple[dict, ...]
    notes: tuple[dict, ...]
    letters: tuple[dict, ...]
    sequences: tuple[dict, ...]
    events: int
    files: frozenset[str]


def action_events() -> QuerySet[Event]:
    """The events an action may write: token and log-in events are the test callers' own
    set-up (tests/api, force_login), not the action's doing."""
    return Event.objects.exclude(action__startswith="api_token.").exclude(
        action__in=[Action.ACCOUNT_LOGGED_IN, Action.ACCOUNT_LOGIN_FAILED]
    )


def capture() -> State:
    def rows(qs) -> tuple[dict, ...]:
        return tuple(qs.order_by("pk").values())

    return State(
        appeals=rows(Appeal.objects),
        involved=rows(Appeal.involved_persons.through.objects),
        steps=rows(Step.objects),
        seats=rows(PanelSeat.objects),
        documents=rows(Document.objects),
        notes=rows(Note.objects),
        letters=rows(Letter.objects),
        sequences=rows(RegisterSequence.objects),
        events=action_events().count(),
        files=stored_files(),
    )


def refused(
    action: Callable[[], object], error: type[ServiceError], message: str, code: str
) -> ServiceError:
    """Run `action`, expect exactly `error` with `message` and `code`, and check that nothing
    changed: appeal rows, steps, seats, documents, notes, letters, register numbers, events,
    files."""
    before = capture()
    with pytest.raises(ServiceError) as info:
        action()
    assert type(info.value) is error, info.value
    assert info.value.message == message
    assert info.value.code == code
    assert capture() == before
    return info.value


def new_events(since: int) -> list[str]:
    """The actions of the events written after the first `since` events, oldest first."""
    return list(action_events().order_by("pk").values_list("action", flat=True)[since:])


def open_step(appeal: Appeal) -> Step | None:
    return appeal.steps.filter(completed_at__isnull=True).first()


def step_numbers(appeal: Appeal) -> list[int]:
    return list(appeal.steps.order_by("pk").values_list("number", flat=True))


def assert_stands_at(appeal: Appeal, number: int) -> None:
    """The appeal's denormalised columns and its one open Step agree on step `number`."""
    appeal.refresh_from_db()
    s = sop.step(number)
    assert appeal.status == "open"
    assert appeal.current_step == number
    assert appeal.current_actor == s.actor.value
    step = open_step(appeal)
    assert step is not None
    assert (step.number, step.actor) == (number, s.actor.value)
    assert appeal.current_since == step.started_at


def assert_completed(appeal: Appeal, number: int, *, by: User, outcome: str) -> Step:
    """The latest occurrence of step `number` is completed by `by` with `outcome`."""
    step = appeal.steps.filter(number=number).order_by("-pk").first()
    assert step is not None
    assert step.completed_at is not None
    assert step.completed_by_id == by.pk
    assert step.outcome == outcome
    return step


def persona(p, name: str) -> User:
    """A persona by name, as used in parametrised refusal tests (`panel_4` is p.panel[3])."""
    if name.startswith("panel_"):
        return p.panel[int(name.removeprefix("panel_")) - 1]
    return getattr(p, name)


def audit_writers_replaced(monkeypatch, **writers: Callable) -> None:
    """Replace the audit log's writers (`record`, `record_all`, `record_each`) in every module
    of the appeal services that writes with them, to act at the moment an event is written."""
    import importlib
    import pkgutil

    from banding.appeals import services

    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{info.name}")
        for name, writer in writers.items():
            if hasattr(module, name):
                monkeypatch.setattr(module, name, writer)
