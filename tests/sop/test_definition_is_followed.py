"""The SOP's facts live in its definition only: re-title a step and rename an outcome (and its
words to the customer) in a copy of the definition, and the forms, the actions, the
milestones, the customer's timeline, the monitoring report and the printed SOP follow. And no
module outside the definition spells an outcome key as text."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from banding.appeals.forms.steps import VerifyForm
from banding.appeals.views import actions
from banding.audit.models import Event
from banding.portal.timeline import entry
from banding.reports.stats import step_stats
from banding.sop import definition as sop
from banding.sop import document
from banding.sop.definition import Result
from banding.workdays.periods import Period
from tests.factories import register, verify_relevant

TITLE = "Pemeriksaan berkas dan kelayakan"
LABEL = "Layak ditindaklanjuti"
TOLD = "Banding Anda layak ditindaklanjuti oleh tim teknis."
APPROVE_ACTION = "Sahkan keputusan"


@pytest.fixture
def renamed(monkeypatch):
    """A copy of the definition with step 3 re-titled, its relevant outcome renamed (label
    and customer words) and step 10's approval action renamed, in place of the original."""
    three = sop.step(3)
    relevant = dataclasses.replace(three.outcome(Result.RELEVANT), label=LABEL, told=TOLD)
    three = dataclasses.replace(
        three,
        title=TITLE,
        outcomes=tuple(relevant if o.key == Result.RELEVANT else o for o in three.outcomes),
    )
    ten = sop.step(10)
    approved = dataclasses.replace(ten.outcome(Result.APPROVED), action=APPROVE_ACTION)
    ten = dataclasses.replace(
        ten, outcomes=tuple(approved if o.key == Result.APPROVED else o for o in ten.outcomes)
    )
    steps = tuple({3: three, 10: ten}.get(s.number, s) for s in sop.STEPS)
    monkeypatch.setattr(sop, "STEPS", steps)
    monkeypatch.setattr(sop, "STEP_BY_NUMBER", {s.number: s for s in steps})


def test_the_step_form_and_the_actions_follow(renamed, p):
    appeal = register(p)
    form = VerifyForm(appeal=appeal, user=p.lead)

    assert (Result.RELEVANT.value, LABEL) in list(form.fields["relevant"].choices)
    assert actions.ACTIONS["verifikasi"].title == TITLE
    assert actions.ACTIONS["setujui"].title == APPROVE_ACTION


def test_the_appeal_page_follows(renamed, p, client):
    appeal = register(p)
    client.force_login(p.lead)

    html = client.get(reverse("appeals:detail", args=[appeal.public_id])).content.decode()

    assert f"Langkah 3: {TITLE}" in html
    assert LABEL in html


def test_the_milestone_and_the_customers_timeline_follow(renamed, p, client):
    appeal = verify_relevant(p, register(p))
    milestone = sop.reached_by(3, Result.RELEVANT)
    assert milestone.told == TOLD
    event = Event.objects.get(appeal=appeal, action="step.3.relevant")
    assert entry(event).text == TOLD

    client.force_login(p.customer)
    html = client.get(reverse("portal:appeal", args=[appeal.public_id])).content.decode()
    assert TOLD in html


def test_the_monitoring_figures_follow(renamed, p):
    verify_relevant(p, register(p))
    stats = {s.number: s for s in step_stats(Period.year(timezone.localdate().year))}

    assert stats[3].title == TITLE


def test_the_printed_sop_follows(renamed):
    html = document.render_html()

    # The diamond of step 3 carries the outcomes' labels.
    assert LABEL in html
    assert "Tidak relevan" in html


def _outcome_texts() -> set[str]:
    return {r.value for r in Result}


def _keys(tree: ast.AST) -> set[int]:
    """The ids of the constants used as names of things, not as values: dict keys, subscripts
    and the key of a .get() (the data field "relevant" is not the outcome "relevant")."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            found.update(id(k) for k in node.keys if k is not None)
        elif isinstance(node, ast.Subscript):
            found.add(id(node.slice))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            found.add(id(node.args[0]))
    return found


# Where a value equal to an outcome key is something else: the Status an appeal closes as (the
# definition's closes_as), an account registration's or a calendar day's state.
NOT_OUTCOMES = {
    ("banding/appeals/models.py", "rejected"),
    ("banding/appeals/models.py", "closed"),
    ("banding/accounts/models.py", "rejected"),
    ("banding/workdays/models.py", "closed"),
}


# The definition: its lookups, its vocabulary and its data (banding.sop.definition imports both).
DEFINITION = {"banding/sop/definition.py", "banding/sop/types.py", "banding/sop/signed.py"}


def test_no_module_but_the_definition_spells_an_outcome_key():
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted((root / "banding").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        # The volume-data generator (bulk/) writes rows by hand, its words as plain strings
        # for speed; its tests compare what it writes with what the services write.
        if "/migrations/" in relative or "/bulk/" in relative or relative in DEFINITION:
            continue
        tree = ast.parse(path.read_text())
        names = _keys(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in _outcome_texts()
                and id(node) not in names
                and (relative, node.value) not in NOT_OUTCOMES
            ):
                found.append(f"{relative}:{node.lineno} {node.value!r}")
    assert found == []


def test_the_check_finds_an_outcome_spelled_as_a_value():
    tree = ast.parse('step.outcome == "relevant"\ndata = {"relevant": True}')
    names = _keys(tree)
    values = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value == "relevant" and id(n) not in names
    ]
    assert values == ["relevant"]
