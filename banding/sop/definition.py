"""SOP 5.1.24/BBSPJIKFK/2025, Penanganan Banding Pelanggan: the one place callers read it from.

Who may act, which step follows which, the labels, what each step form asks for, the timeline
and the `banding sop` output are all derived from it. Its vocabulary is in banding.sop.types,
its steps and identity sheet, as signed, in banding.sop.signed (both imported here, so callers
import this module only); here are the lookups over the steps, what the customer is told of the
end and who a late step escalates to. The whole definition as plain data is
banding.sop.export.as_dict. The official numbering has no step 8; keep it so.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_noop as N_

from banding.sop.signed import (
    CALIBRATION_PT_EXCEPTION,
    DAFTAR_HADIR,
    IDENTITY,
    IMPARTIALITY,
    KEPUTUSAN,
    LAPORAN_INVESTIGASI,
    NOTA_DINAS,
    NOTULEN,
    STEPS,
    SURAT_PENOLAKAN,
    SURAT_PENYAMPAIAN,
    SURAT_TUGAS_PANEL,
    USULAN_PANEL,
)
from banding.sop.types import (
    ACTOR_LABELS,
    END,
    STAGE_LABELS,
    VERDICT_LABELS,
    Actor,
    Duration,
    Milestone,
    Outcome,
    Output,
    Required,
    Result,
    Stage,
    Step,
    Told,
    Unit,
    Verdict,
)

__all__ = [  # what callers import from here: the vocabulary, the data and the lookups
    "ACTOR_LABELS",
    "CALIBRATION_PT_EXCEPTION",
    "DAFTAR_HADIR",
    "DUPLICATE_TOLD",
    "END",
    "ENDED_EARLY",
    "ESCALATION",
    "FIRST_STEP",
    "IDENTITY",
    "IMPARTIALITY",
    "KEPUTUSAN",
    "LAPORAN_INVESTIGASI",
    "NOTA_DINAS",
    "NOTULEN",
    "REJECTION_TOLD",
    "STAGE_LABELS",
    "STEPS",
    "STEP_BY_NUMBER",
    "STEP_NUMBERS",
    "SURAT_PENOLAKAN",
    "SURAT_PENYAMPAIAN",
    "SURAT_TUGAS_PANEL",
    "USULAN_PANEL",
    "VERDICT_LABELS",
    "VERDICT_TOLD",
    "WITHDRAWAL_TOLD",
    "Actor",
    "Duration",
    "Milestone",
    "Outcome",
    "Output",
    "Required",
    "Result",
    "Stage",
    "Step",
    "Told",
    "Unit",
    "Verdict",
    "closing_outcome",
    "closing_stages",
    "ladder",
    "milestones",
    "next_stage",
    "outcome_path",
    "path_from",
    "paths",
    "reached_by",
    "stage_path",
    "step",
    "step_choices",
    "step_of",
    "steps_until",
    "taking",
    "told_of",
]


STEP_BY_NUMBER: dict[int, Step] = {step.number: step for step in STEPS}
STEP_NUMBERS: tuple[int, ...] = tuple(STEP_BY_NUMBER)
FIRST_STEP = STEPS[0].number


def step(number: int) -> Step:
    try:
        return STEP_BY_NUMBER[number]
    except KeyError:
        raise KeyError(f"SOP 5.1.24 tidak memiliki langkah {number}.") from None


def step_choices() -> list[tuple[int, str]]:
    return [(s.number, f"{s.number}. {s.title}") for s in STEPS]


def path_from(number: int, outcome_keys: Mapping[int, str] | None = None) -> list[int]:
    """The steps still ahead of `number`, following the first outcome of each decision
    unless `outcome_keys` chooses another; used to show the remaining path of an appeal."""
    chosen = outcome_keys or {}
    path: list[int] = []
    current = number
    seen: set[int] = set()
    while current != END and current not in seen:
        seen.add(current)
        path.append(current)
        s = step(current)
        key = chosen.get(current)
        outcome = s.outcome(key) if key else s.outcomes[0]
        current = outcome.next_step
    return path


def step_of(result: Result) -> int:
    """The number of the step that has `result` among its outcomes (each result is one
    step's): code names a step by what it decides, not by its number."""
    for s in STEPS:
        if any(o.key == result for o in s.outcomes):
            return s.number
    raise KeyError(f"Tidak ada langkah dengan hasil {result!r}.")


def taking(result: Result) -> dict[int, str]:
    """The choice at a decision that takes `result` (for path_from and outcome_path)."""
    return {step_of(result): result}


def outcome_path(number: int, outcome_keys: dict[int, str] | None = None) -> list[Outcome]:
    """The outcomes along path_from(number): how each step ahead is left."""
    chosen = outcome_keys or {}
    result = []
    for n in path_from(number, chosen):
        s = step(n)
        key = chosen.get(n)
        result.append(s.outcome(key) if key else s.outcomes[0])
    return result


# --- the customer's milestones ------------------------------------------------------------


def milestones() -> list[Milestone]:
    """Every (step, outcome) that reaches a milestone, in the order of the steps."""
    return [
        Milestone(o.milestone, s.number, o.key, o.told)
        for s in STEPS
        for o in s.outcomes
        if o.milestone is not None
    ]


def reached_by(number: int, outcome: str) -> Milestone | None:
    """The milestone that completing step `number` with `outcome` reaches, if any."""
    s = STEP_BY_NUMBER.get(number)
    if s is None:
        return None
    for o in s.outcomes:
        if o.key == outcome and o.milestone is not None:
            return Milestone(o.milestone, number, o.key, o.told)
    return None


def told_of(number: int, outcome: str) -> str:
    """What the customer's timeline says of step `number` completing with `outcome` ("" for
    an outcome that is not theirs to hear of)."""
    s = STEP_BY_NUMBER.get(number)
    if s is None:
        return ""
    for o in s.outcomes:
        if o.key == outcome:
            return o.told
    return ""


def stage_path(outcome_keys: dict[int, str] | None = None) -> tuple[Stage, ...]:
    """The milestones of the path from step 1 with these choices at the decisions."""
    stages: list[Stage] = []
    for o in outcome_path(FIRST_STEP, outcome_keys):
        if o.milestone is not None and o.milestone not in stages:
            stages.append(o.milestone)
    return tuple(stages)


def closing_outcome(closes_as: str) -> tuple[int, Outcome]:
    """The step and outcome that close an appeal with status `closes_as`."""
    for s in STEPS:
        for o in s.outcomes:
            if o.next_step == END and o.closes_as == closes_as:
                return s.number, o
    raise KeyError(f"Tidak ada hasil yang menutup banding sebagai {closes_as!r}.")


def closing_stages() -> frozenset[Stage]:
    """The milestones at which an appeal is finished for the customer."""
    return frozenset(
        o.milestone for s in STEPS for o in s.outcomes if o.next_step == END and o.milestone
    )


def paths() -> list[dict[int, str]]:
    """The SOP's paths from step 1, as the choices made at its decisions: the usual way
    (each decision's first outcome), then each other outcome the signed SOP draws."""
    return [{}] + [{s.number: o.key} for s in STEPS for o in s.outcomes[1:] if o.signed]


def next_stage(number: int) -> Stage:
    """The milestone a customer waits for while step `number` is open: the first one ahead
    along the path through that step."""
    for o in outcome_path(number):
        if o.milestone is not None:
            return o.milestone
    raise KeyError(f"Tidak ada tahap pelanggan setelah langkah {number}.")


def steps_until(stage: Stage, from_step: int) -> list[int]:
    """The steps from `from_step` up to the one whose completion reaches `stage`, along the
    path through `from_step`: for the expected date of the next milestone."""
    numbers = []
    for n in path_from(from_step):
        numbers.append(n)
        if step(n).outcomes[0].milestone == stage:
            return numbers
    raise KeyError(f"Tahap {stage.value} tidak tercapai dari langkah {from_step}.")


# --- what the customer is told of the end --------------------------------------------------

# An appeal found not relevant at step 3 and closed at step 4.
REJECTION_TOLD = Told(
    words=N_("tidak dapat diterima"),
    next=N_(
        "Permohonan banding ini tidak diproses lebih lanjut dan hasil penanganan keluhan "
        "semula tetap berlaku. Bila Saudara memiliki keterangan atau bukti baru, Saudara dapat "
        "mengajukan permohonan banding baru."
    ),
)
VERDICT_TOLD: dict[Verdict, Told] = {
    Verdict.ACCEPTED: Told(
        words=N_("diterima"),
        next=N_(
            "Balai melaksanakan tindakan perbaikan atau pemulihan yang diputuskan; staff PJTK "
            "menghubungi Saudara untuk pelaksanaannya. Proses penanganan banding selesai."
        ),
    ),
    Verdict.PARTLY: Told(
        words=N_("diterima sebagian"),
        next=N_(
            "Balai melaksanakan tindakan perbaikan atau pemulihan yang diputuskan untuk bagian "
            "yang diterima; staff PJTK menghubungi Saudara untuk pelaksanaannya. Proses "
            "penanganan banding selesai."
        ),
    ),
    Verdict.DISMISSED: Told(
        words=N_("ditolak"),
        next=N_(
            "Hasil penanganan keluhan semula tetap berlaku. Proses penanganan banding selesai."
        ),
    ),
}


# An appeal ended before the SOP's end (not a step's outcome: it stops whichever step is
# open): the status it ends with, the stage the customer sees and what the customer is told.
ENDED_EARLY: dict[str, Stage] = {"withdrawn": Stage.DICABUT, "duplicate": Stage.DUPLIKAT}
WITHDRAWAL_TOLD = Told(
    words=N_("dicabut"),
    next=N_(
        "Penanganan banding dihentikan atas pencabutan oleh Saudara; hasil penanganan keluhan "
        "semula tetap berlaku. Saudara dapat mengajukan permohonan banding baru bila "
        "diperlukan."
    ),
)
DUPLICATE_TOLD = Told(
    words=N_("ditutup sebagai duplikat"),
    next=N_(
        "Permohonan ini sama dengan permohonan banding %(original)s; penanganannya dilanjutkan "
        "pada banding tersebut saja."
    ),
)


# --- who a late step escalates to ----------------------------------------------------------

# A late step escalates up this chain, one rung at a time (banding.appeals.sla): the actor's
# direct supervisor when it goes overdue, the next one up after a further delay
# (BANDING_ESCALATION_HEAD_DELAY_DAYS) while it is still open. The head has no one above: a
# late step of the head stays on the head's overdue list. The customer's own step is not the
# institute's to chase.
ESCALATION: dict[Actor, Actor | None] = {
    Actor.STF: Actor.KTP,
    Actor.KTP: Actor.KAB,
    Actor.TEK: Actor.KAB,
    Actor.TPB: Actor.KAB,
    Actor.KAB: None,
    Actor.PEL: None,
}


def ladder(actor: Actor | str) -> tuple[Actor, ...]:
    """The rungs a late step of `actor` escalates to, nearest first, from ESCALATION: Staff
    PJTK → (Ketua Tim PJTK, Kepala Balai); Ketua Tim, technical team, panel → (Kepala Balai,);
    the head and the customer → ()."""
    rungs: list[Actor] = []
    above = ESCALATION[Actor(actor)]
    while above is not None:
        rungs.append(above)
        above = ESCALATION[above]
    return tuple(rungs)
