"""What the customer sees of an appeal: its milestones in the customer's words (diterima,
diverifikasi, ditolak dengan alasan, panel dibentuk, investigasi, rapat panel, diputuskan,
selesai). Each milestone is reached when one SOP step completes with a given outcome, so the
portal, the customer's e-mails and the API all derive it from the SOP definition's steps."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from banding.sop import definition as sop


class Stage(models.TextChoices):
    DITERIMA = "diterima", "Diterima"
    DIVERIFIKASI = "diverifikasi", "Diverifikasi"
    DITOLAK = "ditolak", "Ditolak dengan alasan"
    PANEL_DIBENTUK = "panel_dibentuk", "Panel dibentuk"
    INVESTIGASI = "investigasi", "Investigasi"
    RAPAT_PANEL = "rapat_panel", "Rapat panel"
    DIPUTUSKAN = "diputuskan", "Diputuskan"
    SELESAI = "selesai", "Selesai"


@dataclass(frozen=True)
class Milestone:
    stage: Stage
    step: int  # the SOP step whose completion reaches it
    outcome: str  # with this outcome
    told: str  # one sentence to the customer when it is reached

    @property
    def label(self) -> str:
        return self.stage.label


MILESTONES: tuple[Milestone, ...] = (
    Milestone(Stage.DITERIMA, 1, "submitted", "Permohonan banding Anda telah kami terima."),
    Milestone(
        Stage.DIVERIFIKASI,
        3,
        "relevant",
        "Permohonan banding Anda lengkap dan relevan; diteruskan kepada tim teknis.",
    ),
    Milestone(Stage.DIVERIFIKASI, 3, "not_relevant", "Permohonan banding Anda telah diverifikasi."),
    Milestone(
        Stage.DITOLAK,
        4,
        "rejected",
        "Permohonan banding Anda tidak dapat diproses; surat penolakan beserta alasannya dikirim.",
    ),
    Milestone(
        Stage.PANEL_DIBENTUK,
        6,
        "appointed",
        "Kepala Balai telah menunjuk Tim Panel Banding; investigasi dimulai.",
    ),
    Milestone(Stage.INVESTIGASI, 7, "investigated", "Investigasi Tim Panel Banding selesai."),
    Milestone(
        Stage.RAPAT_PANEL,
        9,
        "decided",
        "Tim Panel Banding telah bersidang; keputusannya menunggu persetujuan Kepala Balai.",
    ),
    Milestone(
        Stage.DIPUTUSKAN,
        10,
        "approved",
        "Keputusan banding Anda telah disetujui Kepala Balai dan akan segera disampaikan.",
    ),
    Milestone(
        Stage.SELESAI, 12, "closed", "Keputusan banding telah disampaikan; berkas diarsipkan."
    ),
)

# The two paths the customer can see, in order.
PANEL_PATH = (
    Stage.DITERIMA,
    Stage.DIVERIFIKASI,
    Stage.PANEL_DIBENTUK,
    Stage.INVESTIGASI,
    Stage.RAPAT_PANEL,
    Stage.DIPUTUSKAN,
    Stage.SELESAI,
)
REJECTION_PATH = (Stage.DITERIMA, Stage.DIVERIFIKASI, Stage.DITOLAK)

# Where each open step stands on the way: the stage the customer waits for next.
NEXT_STAGE: dict[int, Stage] = {
    2: Stage.DIVERIFIKASI,
    3: Stage.DIVERIFIKASI,
    4: Stage.DITOLAK,
    5: Stage.PANEL_DIBENTUK,
    6: Stage.PANEL_DIBENTUK,
    7: Stage.INVESTIGASI,
    9: Stage.RAPAT_PANEL,
    10: Stage.DIPUTUSKAN,
    11: Stage.SELESAI,
    12: Stage.SELESAI,
}


def reached_by(number: int, outcome: str) -> Milestone | None:
    """The milestone that completing step `number` with `outcome` reaches, if any."""
    for m in MILESTONES:
        if m.step == number and m.outcome == outcome:
            return m
    return None


def steps_until(stage: Stage, from_step: int) -> list[int]:
    """The SOP steps from `from_step` up to the one whose completion reaches `stage`, along the
    main path: for the expected date of the next milestone."""
    target = next(m.step for m in MILESTONES if m.stage == stage)
    numbers = [s.number for s in sop.STEPS]
    return [n for n in numbers if from_step <= n <= target and (n != 4 or target == 4)]


def _check() -> None:
    # A renumbered step or renamed outcome in the SOP definition fails here, at import.
    for m in MILESTONES:
        sop.step(m.step).outcome(m.outcome)
    for number in NEXT_STAGE:
        sop.step(number)


_check()
