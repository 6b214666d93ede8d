"""The generated history has what the product requires of each step (banding.letters.outputs):
every completed step its required outputs, issued for that occurrence before it completed by
someone who may sign them; record-first steps their record before their letters; letters as
the letter services draft and issue them; and the same events, data and rows as an appeal
walked through the services themselves."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime

from banding.accounts.models import TechnicalTeam, User
from banding.appeals import services
from banding.appeals.models import Appeal, Status, Step
from banding.appeals.services import recorded
from banding.audit.models import Event
from banding.letters import outputs, render
from banding.letters import services as letters
from banding.letters.kinds import SPECS
from banding.letters.models import Letter, LetterStatus
from banding.sop import definition as sop
from bench.bulk.timeline import EXPECTED, LETTERS_OF, RECORD_FIRST
from tests.factories import (
    PASSWORD,
    Personas,
    decide,
    not_relevant,
    register,
    reject,
    walk,
)

# Every kind the SOP requires of some step.
REQUIRED_KINDS = {r.output.key for s in sop.STEPS for r in s.outputs if r.output.letter}


def _appeals():
    return Appeal.objects.order_by("pk").prefetch_related(
        "steps",
        "documents",
        "panel_seats",
        "involved_persons",
        Prefetch("letters", queryset=Letter.objects.select_related("signer").order_by("pk")),
    )


def test_every_completed_step_has_its_outputs_issued_for_it_by_an_allowed_signer(seeded):
    signed = Counter()
    for appeal in _appeals():
        steps = list(appeal.steps.all())
        found_letters = list(appeal.letters.all())
        documents = list(appeal.documents.all())
        involved = {u.pk for u in appeal.involved_persons.all()}
        for step in steps:
            if step.completed_at is None:
                continue
            found = outputs.states(
                appeal,
                step,
                step.outcome,
                steps=steps,
                letters=found_letters,
                documents=documents,
            )
            required = sop.step(step.number).required(step.outcome)
            assert [s.output for s in found] == list(required)
            missing = [(s.label, s.state) for s in found if not s.done]
            assert not missing, (appeal.number, step.number, missing)
            if found:
                assert step.data["outputs"] == outputs.described(found)
            else:
                assert "outputs" not in step.data, (appeal.number, step.number)
            for state in found:
                letter = state.letter
                if letter is None:  # the investigation report: a document of step 7
                    assert state.document.uploaded_at <= step.completed_at
                    continue
                kind = SPECS[letter.kind]
                maker = outputs.maker(state.output, step, steps)
                assert letter.occurrence_id == maker.pk
                assert letter.step == maker.number == kind.step.number
                # Drafted and issued at its own step, before that step completed.
                assert (
                    maker.started_at
                    <= letter.created_at
                    <= letter.issued_at
                    <= maker.completed_at
                    <= step.completed_at
                )
                assert letter.signer_id == letter.issued_by_id
                assert letter.signer_id not in involved, (appeal.number, letter.kind)
                assert letters.capacity(letter.signer, appeal, kind) is letter.on_behalf
                assert letter.signed_as == letters.signed_as(kind, letter.on_behalf)
                signed[letter.kind, letter.on_behalf] += 1
    assert {kind for kind, _ in signed} == REQUIRED_KINDS
    # The Ketua Tim PJTK signs a share of the letters in the head's name a.n. Kepala Balai.
    assert {kind for kind, on_behalf in signed if on_behalf} == {
        kind for kind in REQUIRED_KINDS if SPECS[kind].signer.on_behalf is not None
    }


@pytest.mark.parametrize("data", ["seeded", "all_open"])
def test_each_letter_is_of_the_occurrence_that_makes_it(db, request, data):
    request.getfixturevalue(data)
    per_occurrence = Counter()
    drafts = issued_open = 0
    found = Letter.objects.select_related("occurrence", "appeal", "signer").prefetch_related(
        "appeal__involved_persons", "appeal__panel_seats"
    )
    for letter in found:
        step = letter.occurrence
        assert step is not None
        assert (step.appeal_id, step.number) == (letter.appeal_id, letter.step)
        assert SPECS[letter.kind].step.number == step.number
        outcome = step.outcome or step.recorded_outcome or EXPECTED[step.number]
        assert letter.kind in LETTERS_OF[step.number, outcome]
        assert letter.version == 1 and letter.supersedes_id is None
        assert letter.withdrawn_at is None and letter.amendment_authorised_by_id is None
        per_occurrence[step.pk, letter.kind] += 1
        if letter.status == LetterStatus.DRAFT:
            assert step.completed_at is None  # a completed step's letters are all issued
            assert letter.number == letter.pdf.name == letter.sha256 == letter.signed_as == ""
            assert letter.sequence is letter.year is letter.verification_code is None
            assert letter.issued_at is letter.signer_id is None
            assert not letter.on_behalf
            drafts += 1
        else:
            assert letter.status == LetterStatus.ISSUED
            assert letter.number and letter.verification_code and letter.signed_as
            # Signed by someone who may, in the capacity the row says, never by the person
            # involved in the original activity (open steps' letters too).
            appeal, kind = letter.appeal, SPECS[letter.kind]
            assert letters.capacity(letter.signer, appeal, kind) is letter.on_behalf
            assert letter.signer not in appeal.involved_persons.all()
            issued_open += step.completed_at is None
        if step.recorded_outcome:
            assert letter.created_at >= step.recorded_at
    assert set(per_occurrence.values()) == {1}  # one of each kind per occurrence
    if data == "all_open":
        # Open steps stand part of the way: letters still drafts, some already issued.
        assert drafts > 0 and issued_open > 0


@pytest.mark.parametrize("data", ["seeded", "all_open"])
def test_record_first_steps_record_their_facts_before_their_letters(db, request, data):
    request.getfixturevalue(data)
    pending = {
        (e.appeal_id, e.step, e.created_at): e
        for e in Event.objects.filter(action__startswith="step.", action__endswith=".pending")
    }
    completions = {
        (e.appeal_id, e.action, e.created_at): e
        for e in Event.objects.filter(step__in=RECORD_FIRST, action__startswith="step.")
    }
    open_recorded = 0
    steps = Step.objects.filter(number__in=RECORD_FIRST).prefetch_related("letters")
    for step in steps.order_by("pk"):
        s = sop.step(step.number)
        made = list(step.letters.all())
        if step.completed_at is not None and not s.required(step.outcome):
            # Step 3 found not relevant: completed at once, nothing recorded apart.
            assert (step.number, step.outcome) == (3, sop.Result.NOT_RELEVANT)
            assert step.recorded_outcome == "" and step.recorded_data == {}
            assert step.recorded_at is None and step.recorded_by_id is None
            assert not made
            continue
        if not step.recorded_outcome:
            assert step.completed_at is None and not made  # not recorded yet
            assert step.recorded_data == {} and step.recorded_at is step.recorded_by_id is None
            continue
        event = pending.pop((step.appeal_id, step.number, step.recorded_at))
        assert not event.public
        assert event.actor_id == step.recorded_by_id
        assert event.data == step.recorded_data
        labels = ", ".join(o.label for o in s.required(step.recorded_outcome))
        summary = recorded.RECORD_FIRST[step.number].summary(step.recorded_data)
        assert event.summary == f"Hasil langkah {step.number} dicatat: {summary}; menunggu {labels}"
        assert step.started_at <= step.recorded_at
        assert all(step.recorded_at <= letter.created_at for letter in made)
        if step.number == 9:  # the meeting took place before it was recorded
            assert step.started_at <= parse_datetime(step.recorded_data["meeting_at"])
            assert parse_datetime(step.recorded_data["meeting_at"]) <= step.recorded_at
        if step.completed_at is None:
            assert step.recorded_outcome == EXPECTED[step.number]
            open_recorded += 1
            continue
        assert step.recorded_outcome == step.outcome
        assert step.recorded_by_id == step.completed_by_id
        assert step.recorded_at <= step.completed_at
        assert step.data == {**step.recorded_data, "outputs": step.data["outputs"]}
        completed = completions[
            step.appeal_id, f"step.{step.number}.{step.outcome}", step.completed_at
        ]
        assert completed.summary == recorded.RECORD_FIRST[step.number].summary(step.data)
    assert not pending  # every pending event is a recorded step's
    if data == "all_open":
        assert open_recorded > 0


def test_letters_hold_the_parts_the_product_prefills(seeded):
    appeals = Appeal.objects.filter(letters__isnull=False).distinct().order_by("pk")
    for appeal in appeals.select_related("organization")[:80]:
        for letter in appeal.letters.all():
            assert letter.fields == render.defaults(appeal, letter.kind), letter.kind


def test_letter_events_are_the_letter_services(seeded):
    by_id = {str(x.public_id): x for x in Letter.objects.select_related("signer", "created_by")}
    for event in Event.objects.filter(action="letter.drafted"):
        letter = by_id.pop(event.data["letter"])
        label = SPECS[letter.kind].label
        assert event.data == {"letter": str(letter.public_id), "kind": letter.kind}
        assert (event.actor_id, event.step, event.public) == (
            letter.created_by_id,
            letter.step,
            False,
        )
        assert event.created_at == letter.created_at
        assert event.summary == f"Draf {label} dibuat"
        if letter.status == LetterStatus.DRAFT:
            continue
        issued = Event.objects.get(action="letter.issued", data__letter=str(letter.public_id))
        assert issued.data == {
            "letter": str(letter.public_id),
            "kind": letter.kind,
            "number": letter.number,
            "sha256": letter.sha256,
            "version": 1,
            "supersedes": None,
            "signed_as": letter.signed_as,
            "on_behalf": letter.on_behalf,
            "reauthenticated": True,
        }
        assert (issued.actor_id, issued.step) == (letter.signer_id, letter.step)
        assert issued.created_at == letter.issued_at == letter.signed_at == letter.updated_at
        capacity = letter.signed_as.replace("\n", ", ")
        assert issued.summary == (
            f"{label} {letter.number} terbit, ditandatangani secara elektronik oleh "
            f"{letter.signer.display_name} ({capacity})"
        )
    assert not by_id  # every letter was drafted


# -- the same as the services write ----------------------------------------------------------


def _personas() -> Personas:
    """The demo accounts seed-bulk makes, as the factories' personas (their password the
    factories' own, which issuing a letter asks for)."""
    names = ["staf", "ketua", "kepala", "admin", "teknis.uji", "teknis.kal", "pelanggan.sinar"]
    names += ["hendra", "nuraini", "yusuf", "maria"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    customer = users["pelanggan.sinar"]
    return Personas(
        staff=users["staf"],
        lead=users["ketua"],
        head=users["kepala"],
        auditor=users["admin"],
        admin=users["admin"],
        tech=users["teknis.uji"],
        tech_other=users["teknis.kal"],
        panel=[users[n] for n in ("hendra", "nuraini", "yusuf", "maria")],
        customer=customer,
        customer_other=customer,
        team_a=TechnicalTeam.objects.get(code="pengujian"),
        team_b=TechnicalTeam.objects.get(code="kalibrasi-sertifikasi"),
        org=customer.organization,
        org_other=customer.organization,
    )


def _walked(p: Personas, path: str) -> Appeal:
    """An appeal registered by the staff and walked through the services to its end."""
    appeal = register(p)
    if path == "rejected":
        not_relevant(p, appeal)
        return reject(p, appeal)
    if path == "returned":
        appeal = walk(p, appeal, 10)
        services.decision_return(appeal=appeal, user=p.head, reasons="Lengkapi pertimbangan.")
        appeal.refresh_from_db()
        decide(p, appeal)
        appeal.refresh_from_db()
    return walk(p, appeal, 99)


def _skeleton(value):
    """A value's shape: the keys of objects, the types of scalars, the shapes a list holds."""
    if isinstance(value, dict):
        # Which similar earlier appeals are listed (steps 3 and 9) depends on the history in
        # the database, not on the writer: their record's keys are compared, not its lists.
        return {
            key: sorted(value[key]) if key == "similar" else _skeleton(value[key])
            for key in sorted(value)
        }
    if isinstance(value, list):
        return sorted({repr(_skeleton(v)) for v in value})
    return type(value).__name__


def _history(appeal: Appeal) -> tuple[list, list, list]:
    """From step 3 on: the step and letter events (action, step, public, data's shape, the
    outputs' kinds), the step rows and the letters (per occurrence, in order)."""
    events = []
    for event in Event.objects.filter(appeal=appeal, step__gte=3).order_by("id"):
        if event.action.split(".")[0] not in ("step", "letter"):
            continue
        data = event.data
        kinds = [o["kind"] for o in data.get("outputs", [])]
        events.append(
            (event.action, event.step, event.public, _skeleton(data), data.get("kind"), kinds)
        )
    steps = list(appeal.steps.filter(number__gte=3).order_by("started_at", "id"))
    rows = [
        (
            s.number,
            s.outcome,
            s.recorded_outcome,
            _skeleton(s.recorded_data),
            s.recorded_at is not None,
            s.recorded_by_id == s.completed_by_id if s.recorded_at else None,
            _skeleton(s.data),
        )
        for s in steps
    ]
    index = {s.pk: i for i, s in enumerate(steps)}
    made = [
        (index[x.occurrence_id], x.kind, x.status, x.step, sorted(x.fields), x.version)
        for x in appeal.letters.order_by("occurrence__started_at", "occurrence_id", "pk")
    ]
    return events, rows, made


def _step_events(appeal: Appeal):
    return Event.objects.filter(appeal=appeal, step__gte=3, action__startswith="step.").order_by(
        "id"
    )


def _path_of(appeal: Appeal) -> str:
    if appeal.status == Status.REJECTED:
        return "rejected"
    return "returned" if appeal.steps.filter(outcome=sop.Result.RETURNED).exists() else "usual"


@pytest.mark.parametrize("path", ["usual", "returned", "rejected"])
def test_the_history_is_what_the_services_write(seeded, path):
    generated = next(
        a for a in Appeal.objects.exclude(status=Status.OPEN).order_by("pk") if _path_of(a) == path
    )
    walked = _walked(_personas(), path)
    assert walked.status == generated.status
    events, rows, made = _history(walked)
    expected_events, expected_rows, expected_made = _history(generated)
    assert len(events) >= (4 if path == "rejected" else 26)
    assert events == expected_events
    assert rows == expected_rows
    assert made == expected_made
    # The summaries that name no one are the services' own, word for word.
    for mine, theirs in zip(_step_events(generated), _step_events(walked), strict=True):
        number = int(mine.action.split(".")[1])
        if number in recorded.RECORD_FIRST and not mine.action.endswith(".pending"):
            assert mine.summary == recorded.RECORD_FIRST[number].summary(mine.data)
        elif number == 4:
            assert mine.summary.split(" (")[0] == theirs.summary.split(" (")[0]
        elif number > 2 and not mine.action.endswith(".pending"):
            assert mine.summary == theirs.summary, mine.action
