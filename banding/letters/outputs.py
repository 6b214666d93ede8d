"""The outputs a step must have before it completes (the SOP definition's `Step.outputs`):
which exist, in what state, and the gate a step passes before it completes.

A letter output counts when a letter of its kind is issued and in force for the occurrence of
the step that makes it (the step's own occurrence, or for an output passed on — the approved
decision at step 11 — the latest occurrence of the step that made it). A document output
counts when a document of its kind was added to that occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banding.appeals.models import Appeal, Document, Step
from banding.errors import Conflict
from banding.letters.kinds import spec
from banding.letters.models import Letter, LetterStatus
from banding.sop import definition as sop

MISSING = "missing"
DRAFT = "draft"
ISSUED = "issued"
STATE_LABELS = {
    MISSING: gettext_lazy("Belum dibuat"),
    DRAFT: gettext_lazy("Draf"),
    ISSUED: gettext_lazy("Terbit"),
}


@dataclass(frozen=True)
class OutputState:
    output: sop.Output
    state: str  # MISSING, DRAFT or ISSUED
    letter: Letter | None = None  # the draft or the issued letter
    document: Document | None = None

    @property
    def label(self) -> str:
        return self.output.label

    @property
    def state_label(self) -> str:
        if self.state == MISSING and not self.output.letter:
            return _("Belum diunggah")
        return str(STATE_LABELS[self.state])

    @property
    def done(self) -> bool:
        return self.state == ISSUED


def maker(output: sop.Output, step: Step, steps: Iterable[Step]) -> Step | None:
    """The occurrence whose record the output documents: `step` itself when the output is
    made at its step, else the latest occurrence of the step that makes it."""
    number = spec(output.key).step.number if output.letter else step.number
    if number == step.number:
        return step
    earlier = [s for s in steps if s.number == number]
    return max(earlier, key=lambda s: (s.started_at, s.pk), default=None)


def states(
    appeal: Appeal,
    step: Step,
    outcome: str,
    *,
    steps: Sequence[Step] | None = None,
    letters: Sequence[Letter] | None = None,
    documents: Sequence[Document] | None = None,
) -> list[OutputState]:
    """The outputs completing `step` with `outcome` requires, each with its state. The caller
    may pass the appeal's steps, letters and documents it holds (the appeal page does: no
    query); else they are read, at most one query each."""
    required = sop.step(step.number).required(outcome)
    if not required:
        return []
    if steps is None:
        steps = list(appeal.steps.all())
    makers = {o.key: maker(o, step, steps) for o in required}
    if letters is None and any(o.letter for o in required):
        letters = list(
            Letter.objects.filter(
                appeal=appeal,
                kind__in=[o.key for o in required if o.letter],
                occurrence__in=[m for m in makers.values() if m is not None],
            ).exclude(status__in=[LetterStatus.SUPERSEDED, LetterStatus.WITHDRAWN])
        )
    if documents is None and any(not o.letter for o in required):
        documents = list(
            Document.objects.filter(
                appeal=appeal, kind__in=[o.key for o in required if not o.letter]
            )
        )
    result = []
    for output in required:
        made_at = makers[output.key]
        if output.letter:
            mine = [
                letter
                for letter in letters or ()
                if letter.kind == output.key
                and made_at is not None
                and letter.occurrence_id == made_at.pk
                and letter.status in (LetterStatus.DRAFT, LetterStatus.ISSUED)
            ]
            issued = next((x for x in mine if x.status == LetterStatus.ISSUED), None)
            if issued is not None:
                result.append(OutputState(output, ISSUED, letter=issued))
            elif mine:
                result.append(OutputState(output, DRAFT, letter=mine[0]))
            else:
                result.append(OutputState(output, MISSING))
        else:
            doc = next(
                (
                    d
                    for d in documents or ()
                    if d.kind == output.key
                    and d.step == step.number
                    and d.uploaded_at >= step.started_at
                ),
                None,
            )
            result.append(
                OutputState(output, ISSUED, document=doc) if doc else OutputState(output, MISSING)
            )
    return result


def of_open_step(
    appeal: Appeal,
    step: Step | None,
    *,
    steps: Sequence[Step] | None = None,
    letters: Sequence[Letter] | None = None,
    documents: Sequence[Document] | None = None,
) -> list[OutputState]:
    """The outputs the open step needs now: for the outcome recorded (a record-first step;
    none before its record), else for its way forward (the rejection letter at 4, the
    approved decision at 10 and 11, the delivery letter at 12)."""
    if step is None:
        return []
    s = sop.step(step.number)
    outcome = step.recorded_outcome if s.record_first else s.outcomes[0].key
    if not outcome:
        return []
    return states(appeal, step, outcome, steps=steps, letters=letters, documents=documents)


def _missing_said(m: OutputState) -> str:
    if m.output.letter:
        if m.state == DRAFT:
            text = _("%(label)s belum terbit (masih draf)")
        else:
            text = _("%(label)s belum terbit")
    elif m.state == DRAFT:
        text = _("%(label)s belum diunggah (masih draf)")
    else:
        text = _("%(label)s belum diunggah")
    return text % {"label": m.label}


def refusal(number: int, missing: Sequence[OutputState]) -> Conflict:
    s = sop.step(number)
    said = "; ".join(_missing_said(m) for m in missing)
    return Conflict(
        _(
            "Langkah %(number)s (%(title)s) belum dapat diselesaikan: %(outputs)s. Output "
            "langkah ini wajib ada sebelum langkah diselesaikan."
        )
        % {"number": s.number, "title": s.title, "outputs": said},
        code="output_missing",
        fields={"outputs": [m.output.key for m in missing]},
    )


def check(*, appeal: Appeal, step: Step, outcome: str, data: dict) -> None:
    """The gate a step passes before it completes (banding.appeals.hooks.completing): the
    outputs of `step` for `outcome`, all there, described in `data["outputs"]`; else the
    refusal naming what is not."""
    found = states(appeal, step, outcome)
    missing = [s for s in found if not s.done]
    if missing:
        raise refusal(step.number, missing)
    if found:
        data["outputs"] = described(found)


def described(found: Sequence[OutputState]) -> list[dict]:
    """The outputs as the completed step's data records them."""
    rows = []
    for s in found:
        if s.letter is not None:
            rows.append(
                {
                    "kind": s.output.key,
                    "letter": str(s.letter.public_id),
                    "number": s.letter.number,
                    "sha256": s.letter.sha256,
                }
            )
        elif s.document is not None:
            rows.append(
                {
                    "kind": s.output.key,
                    "document": str(s.document.public_id),
                    "sha256": s.document.sha256,
                }
            )
    return rows
