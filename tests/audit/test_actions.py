"""The audit log's vocabulary: one enum, one naming scheme, and record() refuses the rest."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

import banding
from banding.audit.actions import NAME, Action, known, step_action
from banding.audit.log import Entry, record, record_all
from banding.audit.models import ChainHead, Event
from banding.sop.definition import Result

ROOT = Path(banding.__file__).parent
WRITERS = {"record", "Entry"}


def test_every_action_is_object_dot_verb():
    assert [a.value for a in Action if not NAME.fullmatch(a.value)] == []


def test_step_events_are_named_from_the_definitions_outcomes():
    assert step_action(3, Result.NOT_RELEVANT) == "step.3.not_relevant"
    assert known(step_action(9, "pending"))
    with pytest.raises(ValueError):
        step_action(3, "Tidak Relevan")


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["calendar_override_added", "Letter.Issued", "step.x.done"])
def test_an_unknown_action_is_refused_and_nothing_is_written(action):
    with pytest.raises(ValueError, match="Unknown audit action"), transaction.atomic():
        record_all(
            None,
            [Entry(action=Action.SURVEY_ANSWERED, summary="a"), Entry(action=action, summary="b")],
        )
    assert not Event.objects.exists()
    assert not ChainHead.objects.exists()


@pytest.mark.django_db
def test_a_member_is_stored_as_its_name():
    with transaction.atomic():
        event = record(action=Action.REGISTER_EXPORTED, summary="Register diunduh")
    event.refresh_from_db()
    assert event.action == "register.exported"


def literal_actions() -> list[str]:
    """Calls of record()/Entry() in banding/ that name their action as literal text."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            for keyword in node.keywords:
                if (
                    name in WRITERS
                    and keyword.arg == "action"
                    and any(
                        isinstance(part, ast.Constant | ast.JoinedStr)
                        for part in ast.walk(keyword.value)
                    )
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_code_names_actions_through_the_enum():
    assert literal_actions() == []
