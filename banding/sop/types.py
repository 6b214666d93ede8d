"""The vocabulary of SOP 5.1.24 (banding.sop.definition): its actors, standard times,
outcomes, outputs, steps, the customer's milestones and the panel's verdicts. The data is in
banding.sop.signed, the lookups in banding.sop.definition, which callers import."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_noop as N_


class Actor(StrEnum):
    """The SOP's swimlanes (pelaksana)."""

    PEL = "PEL"  # Pelanggan
    STF = "STF"  # Staff PJTK
    KTP = "KTP"  # Ketua Tim PJTK
    TEK = "TEK"  # Bagian/Tim Teknis
    KAB = "KAB"  # Kepala Balai
    TPB = "TPB"  # Tim Panel Banding


ACTOR_LABELS: dict[Actor, str] = {
    Actor.PEL: N_("Pelanggan"),
    Actor.STF: N_("Staff PJTK"),
    Actor.KTP: N_("Ketua Tim PJTK"),
    Actor.TEK: N_("Bagian/Tim Teknis"),
    Actor.KAB: N_("Kepala Balai"),
    Actor.TPB: N_("Tim Panel Banding"),
}


class Unit(StrEnum):
    MINUTE = "menit"
    DAY = "hari"


@dataclass(frozen=True)
class Duration:
    """A standard time (waktu): `15 menit`, `1 hari`, `maks. 30 hari` in running text (str),
    `15 Menit`, `1 Hari`, `Maks. 30 Hari` as the signed SOP spells it (`text`)."""

    amount: int
    unit: Unit
    maximum: bool = False

    def __str__(self) -> str:
        text = f"{self.amount} {self.unit.value}"
        return f"maks. {text}" if self.maximum else text

    @property
    def text(self) -> str:
        """The signed SOP's spelling, for the printed SOP; str() stays lower case because
        messages, deadlines and forms use it inside sentences."""
        text = f"{self.amount} {self.unit.value.capitalize()}"
        return f"Maks. {text}" if self.maximum else text

    @classmethod
    def parse(cls, text: str) -> Duration:
        words = text.strip().lower().split()
        maximum = bool(words) and words[0] in {"maks.", "maks", "maksimal"}
        if maximum:
            words = words[1:]
        # ASCII digits only: str.isdigit() also accepts "²", which int() then refuses with
        # an English message instead of ours.
        if len(words) != 2 or not (words[0].isascii() and words[0].isdigit()):
            raise ValueError(f"Durasi tidak dikenali: {text!r} (contoh: '15 menit', '1 hari').")
        if int(words[0]) == 0:
            raise ValueError(f"Durasi harus lebih dari nol: {text!r}.")
        try:
            unit = Unit(words[1])
        except ValueError as exc:
            raise ValueError(f"Satuan durasi harus 'menit' atau 'hari': {text!r}.") from exc
        return cls(int(words[0]), unit, maximum)

    def as_dict(self) -> dict:
        return {"amount": self.amount, "unit": self.unit.value, "maximum": self.maximum}


END = 0  # the appeal closes after this transition


class Result(StrEnum):
    """The outcome of completing a step: stored in Step.outcome and named in the audit
    event (`step.<number>.<result>`). Code names them through this enum, never as text."""

    SUBMITTED = "submitted"
    RECORDED = "recorded"
    RELEVANT = "relevant"
    NOT_RELEVANT = "not_relevant"
    REJECTED = "rejected"
    PROPOSED = "proposed"
    APPOINTED = "appointed"
    INVESTIGATED = "investigated"
    DECIDED = "decided"
    APPROVED = "approved"
    RETURNED = "returned"
    DISPOSITIONED = "dispositioned"
    CLOSED = "closed"


class Stage(StrEnum):
    """The milestones the customer sees (portal, e-mails, API), in the customer's words."""

    DITERIMA = "diterima"
    DIVERIFIKASI = "diverifikasi"
    DITOLAK = "ditolak"
    PANEL_DIBENTUK = "panel_dibentuk"
    INVESTIGASI = "investigasi"
    RAPAT_PANEL = "rapat_panel"
    DIPUTUSKAN = "diputuskan"
    SELESAI = "selesai"
    # Not on any path of the SOP: an appeal withdrawn by the customer or closed as a
    # duplicate of another ends at one of these (banding.appeals.services.ending).
    DICABUT = "dicabut"
    DUPLIKAT = "duplikat"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.DITERIMA: N_("Diterima"),
    Stage.DIVERIFIKASI: N_("Diverifikasi"),
    Stage.DITOLAK: N_("Ditolak dengan alasan"),
    Stage.PANEL_DIBENTUK: N_("Panel dibentuk"),
    Stage.INVESTIGASI: N_("Investigasi"),
    Stage.RAPAT_PANEL: N_("Rapat panel"),
    Stage.DIPUTUSKAN: N_("Diputuskan"),
    Stage.SELESAI: N_("Selesai"),
    Stage.DICABUT: N_("Dicabut"),
    Stage.DUPLIKAT: N_("Ditutup (duplikat)"),
}


@dataclass(frozen=True)
class Outcome:
    """Where a step leads: the next step number (or END) and the appeal's status then.

    `signed`: the outcome is drawn in the signed SOP (False: a rule SiBanding adds, printed
    apart from the SOP's table). `action`: the title of the action that takes this outcome,
    where a step offers more than one. `milestone` and `told`: the stage the customer reaches
    and the sentence they are told; `told` alone: what the customer's timeline says of it."""

    key: Result
    label: str
    next_step: int
    closes_as: str = ""  # Appeal.Status value when next_step is END
    signed: bool = True
    action: str = ""
    milestone: Stage | None = None
    told: str = ""


@dataclass(frozen=True)
class Output:
    """A record a step produces (the SOP's Output column made checkable): an official letter
    (`key` is a banding.letters.kinds.Kind value) or an uploaded document (`key` is a
    banding.appeals.models.DocumentKind value)."""

    key: str
    label: str
    letter: bool = True


@dataclass(frozen=True)
class Required:
    """An output a step must have, issued, before it completes; `when`: only for these
    outcomes (empty: whichever the outcome)."""

    output: Output
    when: tuple[Result, ...] = ()

    def applies(self, outcome: str) -> bool:
        return not self.when or outcome in self.when


@dataclass(frozen=True)
class Step:
    number: int
    actor: Actor
    # SiBanding's short label for the step (menus, messages); not printed in the SOP's table.
    title: str
    # The signed SOP's cells, word for word (tests/sop/SOP-5.1.24.verbatim.md): aktivitas,
    # kelengkapan and output as the cells read, keterangan "-" where the cell shows a dash and
    # "" where it is empty.
    activity: str
    kelengkapan: str
    waktu: Duration
    output: str
    keterangan: str = ""
    outcomes: tuple[Outcome, ...] = ()
    decision: str = ""  # the question of a decision step (diamond)
    fields: tuple[str, ...] = field(default=())  # what the step form asks for
    checklist: tuple[str, ...] = field(default=())  # items the actor confirms one by one
    # What the step must have produced before it completes (the SOP's Output, checkable).
    outputs: tuple[Required, ...] = ()
    # The actor first records the step's facts, the step's letters are made from that record,
    # then the step completes; else the letters come first and completing records the rest.
    record_first: bool = False
    # SiBanding's own provisions for the step: printed apart from the signed SOP's table.
    rules: tuple[str, ...] = ()

    @property
    def is_decision(self) -> bool:
        return bool(self.decision)

    def outcome(self, key: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.key == key:
                return outcome
        raise KeyError(f"Langkah {self.number} tidak punya hasil {key!r}.")

    def required(self, outcome: str) -> tuple[Output, ...]:
        """The outputs completing this step with `outcome` requires."""
        return tuple(r.output for r in self.outputs if r.applies(outcome))

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]


@dataclass(frozen=True)
class Milestone:
    """A stage the customer reaches when step `step` completes with `outcome`."""

    stage: Stage
    step: int
    outcome: Result
    told: str  # the sentence the customer is told when it is reached

    @property
    def label(self) -> str:
        return self.stage.label


class Verdict(StrEnum):
    """The panel's decision (step 9), approved by the head (step 10)."""

    ACCEPTED = "diterima"
    PARTLY = "diterima_sebagian"
    DISMISSED = "ditolak"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.ACCEPTED: "Diterima",
    Verdict.PARTLY: "Diterima sebagian",
    Verdict.DISMISSED: "Ditolak",
}


@dataclass(frozen=True)
class Told:
    """How an appeal ended, as the customer reads it: the outcome in words and what
    happens next."""

    words: str
    next: str
