"""SOP 5.1.24/BBSPJIKFK/2025, Penanganan Banding Pelanggan, as data.

This module is the only place the SOP is written down. Who may act, which step follows which,
the labels, what each step form asks for, the timeline and the `banding sop` output are all
derived from it. The official numbering has no step 8; keep it so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Actor(StrEnum):
    """The SOP's swimlanes (pelaksana)."""

    PEL = "PEL"  # Pelanggan
    STF = "STF"  # Staff PJTK
    KTP = "KTP"  # Ketua Tim PJTK
    TEK = "TEK"  # Bagian/Tim Teknis
    KAB = "KAB"  # Kepala Balai
    TPB = "TPB"  # Tim Panel Banding


ACTOR_LABELS: dict[Actor, str] = {
    Actor.PEL: "Pelanggan",
    Actor.STF: "Staff PJTK",
    Actor.KTP: "Ketua Tim PJTK",
    Actor.TEK: "Bagian/Tim Teknis",
    Actor.KAB: "Kepala Balai",
    Actor.TPB: "Tim Panel Banding",
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

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.DITERIMA: "Diterima",
    Stage.DIVERIFIKASI: "Diverifikasi",
    Stage.DITOLAK: "Ditolak dengan alasan",
    Stage.PANEL_DIBENTUK: "Panel dibentuk",
    Stage.INVESTIGASI: "Investigasi",
    Stage.RAPAT_PANEL: "Rapat panel",
    Stage.DIPUTUSKAN: "Diputuskan",
    Stage.SELESAI: "Selesai",
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


NOTA_DINAS = Output("nota_dinas", "Nota dinas permohonan penyelesaian banding")
SURAT_PENOLAKAN = Output("penolakan", "Surat penolakan banding")
USULAN_PANEL = Output("usulan_panel", "Usulan Tim Panel Banding")
SURAT_TUGAS_PANEL = Output("penunjukan_panel", "Surat tugas penunjukan Tim Panel Banding")
LAPORAN_INVESTIGASI = Output("investigation_report", "Laporan hasil investigasi", letter=False)
DAFTAR_HADIR = Output("daftar_hadir", "Daftar hadir rapat panel")
NOTULEN = Output("notulen", "Notulen rapat panel")
KEPUTUSAN = Output("keputusan", "Keputusan penyelesaian banding")
SURAT_PENYAMPAIAN = Output("penyampaian", "Surat penyampaian keputusan banding")


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


IMPARTIALITY = (
    "Pihak yang terlibat dalam kegiatan atau keluhan semula tidak dapat ditunjuk "
    "(ISO/IEC 17025 7.9.6)."
)

CALIBRATION_PT_EXCEPTION = (
    "Banding terhadap hasil Uji Profisiensi Kalibrasi tidak dapat diterima: sesuai "
    "ISO/IEC 17043:2023, evaluasi unjuk kerja peserta uji profisiensi kalibrasi dilakukan "
    "murni secara statistik berdasarkan prosedur evaluasi, sehingga tidak ada yang dapat "
    "diajukan banding."
)

STEPS: tuple[Step, ...] = (
    Step(
        number=1,
        actor=Actor.PEL,
        title="Pengajuan banding",
        activity=(
            "Pelanggan mengajukan banding atas ketidakpuasan hasil penyelesaian keluhan dengan "
            "mengirimkan surat permohonan banding melalui email dan/atau ekspedisi atau "
            "disampaikan secara langsung ke staff PJTK"
        ),
        kelengkapan="Surat permohonan banding dan dokumen kelengkapan banding",
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        keterangan=(
            "Pengecualian banding untuk Uji Profisiensi Kalibrasi, sesuai ISO 17043:2023 "
            "evaluasi kinerja dilakukan menggunakan statistik murni yang diturunkan dari "
            "prosedur evaluasi sehingga tidak ada banding"
        ),
        outcomes=(
            Outcome(
                Result.SUBMITTED,
                "Diajukan",
                2,
                milestone=Stage.DITERIMA,
                told="Permohonan banding Anda telah kami terima.",
            ),
        ),
    ),
    Step(
        number=2,
        actor=Actor.STF,
        title="Penerimaan dan pencatatan",
        activity="Menerima, mencatat dan melaporkan permohonan banding pelanggan",
        kelengkapan="ATK, koneksi internet, dokumen banding pelanggan",
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.RECORDED,
                "Dicatat",
                3,
                told="Permohonan banding Anda diperiksa dan dicatat oleh staff PJTK.",
            ),
        ),
        fields=(
            "organisasi pelanggan",
            "narahubung",
            "saluran",
            "waktu diterima",
            "keluhan yang dibanding (nomor dan tanggal hasil)",
            "jenis layanan",
            "nomor dokumen acuan",
            "alasan banding",
            "penyelesaian yang diminta",
            "surat banding dan dokumen pendukung",
            "pihak yang terlibat",
        ),
    ),
    Step(
        number=3,
        actor=Actor.KTP,
        title="Verifikasi kelengkapan dan relevansi",
        activity=(
            "Melakukan verifikasi atas kelengkapan dokumen banding dan menilai relevansi "
            "permohonan banding"
        ),
        kelengkapan="Dokumen banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Hasil verifikasi dokumen banding pelanggan",
        keterangan=(
            "Jika permohonan banding relevan, maka Ketua Tim PJTK akan membuat nota dinas ke "
            "Bagian/Tim Teknis dan diketahui Kepala Balai. Jika permohonan banding tidak "
            "relevan, maka staff PJTK akan membuat surat penolakan banding beserta alasannya "
            "dan mengirimkan ke Pelanggan"
        ),
        decision="Banding relevan?",
        outcomes=(
            Outcome(
                Result.RELEVANT,
                "Relevan",
                5,
                milestone=Stage.DIVERIFIKASI,
                told="Permohonan banding Anda lengkap dan relevan; diteruskan kepada tim teknis.",
            ),
            Outcome(
                Result.NOT_RELEVANT,
                "Tidak relevan",
                4,
                milestone=Stage.DIVERIFIKASI,
                told="Permohonan banding Anda telah diverifikasi.",
            ),
        ),
        outputs=(Required(NOTA_DINAS, when=(Result.RELEVANT,)),),
        record_first=True,
        rules=(
            "Hasil verifikasi dicatat lebih dahulu dan nota dinas dibuat dari catatan itu; "
            "banding yang tidak relevan selesai di langkah 3 tanpa nota dinas.",
        ),
        fields=("daftar periksa kelengkapan", "relevansi", "alasan", "tim teknis tujuan"),
        checklist=(
            "Surat permohonan banding",
            "Identitas pelanggan dan narahubung",
            "Nomor dan hasil penanganan keluhan yang dibanding",
            "Alasan banding",
            "Penyelesaian yang diminta",
            "Dokumen pendukung",
        ),
    ),
    Step(
        number=4,
        actor=Actor.STF,
        title="Surat penolakan banding",
        activity=(
            "Membuat surat penolakan banding beserta alasannya dan menyampaikan surat penolakan "
            "tersebut ke Pelanggan"
        ),
        kelengkapan="Keputusan penolakan banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Surat penolakan banding pelanggan",
        outcomes=(
            Outcome(
                Result.REJECTED,
                "Ditolak (tidak relevan)",
                END,
                closes_as="rejected",
                milestone=Stage.DITOLAK,
                told=(
                    "Permohonan banding Anda tidak dapat diproses; surat penolakan beserta "
                    "alasannya telah disampaikan kepada Anda."
                ),
            ),
        ),
        outputs=(Required(SURAT_PENOLAKAN),),
        fields=("tanggal dikirim", "saluran pengiriman"),
    ),
    Step(
        number=5,
        actor=Actor.TEK,
        title="Usulan Tim Panel Banding",
        activity=(
            "Menerima nota dinas permohonan penyelesaian banding dan melakukan koordinasi "
            "dengan Kepala Balai untuk pembentukan Tim Panel Banding"
        ),
        kelengkapan=(
            "Nota dinas permohonan penyelesaian banding dan dokumen kelengkapan banding pelanggan"
        ),
        waktu=Duration(1, Unit.DAY),
        output="Usulan Tim Panel Banding",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.PROPOSED,
                "Diusulkan",
                6,
                told="Bagian/Tim Teknis mengusulkan Tim Panel Banding kepada Kepala Balai.",
            ),
        ),
        outputs=(Required(USULAN_PANEL),),
        record_first=True,
        rules=(IMPARTIALITY,),
        fields=("anggota panel yang diusulkan", "ketua panel", "catatan koordinasi"),
    ),
    Step(
        number=6,
        actor=Actor.KAB,
        title="Penunjukan Tim Panel Banding",
        activity="Menunjuk Tim Panel Banding",
        kelengkapan="Usulan Tim Panel Banding dan dokumen kelengkapan banding pelanggan",
        waktu=Duration(1, Unit.DAY),
        output="Penunjukan Tim Panel Banding",
        outcomes=(
            Outcome(
                Result.APPOINTED,
                "Ditunjuk",
                7,
                milestone=Stage.PANEL_DIBENTUK,
                told="Kepala Balai telah menunjuk Tim Panel Banding; investigasi dimulai.",
            ),
        ),
        outputs=(Required(SURAT_TUGAS_PANEL),),
        record_first=True,
        rules=(IMPARTIALITY,),
        fields=("anggota panel", "ketua panel"),
    ),
    Step(
        number=7,
        actor=Actor.TPB,
        title="Investigasi banding",
        activity="Melakukan investigasi banding dan mempersiapkan rapat panel banding",
        kelengkapan="Dokumen kelengkapan banding pelanggan",
        waktu=Duration(30, Unit.DAY, maximum=True),
        output="Dokumen hasil investigasi banding pelanggan",
        keterangan=(
            "Dalam proses investigasi, Tim Panel Banding dapat berkoordinasi dan/atau "
            "mengundang Pelanggan untuk menjelaskan permasalahan terkait banding yang diajukan"
        ),
        outcomes=(
            Outcome(
                Result.INVESTIGATED,
                "Investigasi selesai",
                9,
                action="Laporan hasil investigasi",
                milestone=Stage.INVESTIGASI,
                told="Investigasi Tim Panel Banding selesai.",
            ),
        ),
        outputs=(Required(LAPORAN_INVESTIGASI),),
        fields=("catatan investigasi", "kontak dengan pelanggan", "laporan hasil investigasi"),
    ),
    Step(
        number=9,
        actor=Actor.TPB,
        title="Rapat panel dan keputusan",
        activity=(
            "Menyelenggarakan rapat panel banding dan menyelesaikan banding dengan pihak terkait"
        ),
        kelengkapan=(
            "Dokumen hasil investigasi banding pelanggan, dokumen kelengkapan banding "
            "pelanggan, daftar hadir, notulen rapat"
        ),
        waktu=Duration(1, Unit.DAY),
        output="Notulen rapat dan keputusan penyelesaian banding",
        keterangan="-",
        outcomes=(
            Outcome(
                Result.DECIDED,
                "Diputuskan",
                10,
                milestone=Stage.RAPAT_PANEL,
                told=(
                    "Tim Panel Banding telah bersidang; keputusannya menunggu persetujuan "
                    "Kepala Balai."
                ),
            ),
        ),
        outputs=(Required(DAFTAR_HADIR), Required(NOTULEN)),
        record_first=True,
        fields=(
            "tanggal dan tempat rapat",
            "daftar hadir",
            "notulen",
            "keputusan",
            "tindakan perbaikan atau pemulihan",
        ),
    ),
    Step(
        number=10,
        actor=Actor.KAB,
        title="Persetujuan keputusan",
        activity=(
            "Menyetujui hasil keputusan penyelesaian banding dan mendisposisikan hasil ke Ketua "
            "Tim PJTK dan Bagian/Tim Teknis"
        ),
        kelengkapan="Notulen rapat dan keputusan penyelesaian banding",
        waktu=Duration(1, Unit.DAY),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        decision="Keputusan disetujui?",
        outcomes=(
            Outcome(
                Result.APPROVED,
                "Disetujui",
                11,
                action="Setujui dan disposisikan",
                milestone=Stage.DIPUTUSKAN,
                told=(
                    "Keputusan banding Anda telah disetujui Kepala Balai dan akan segera "
                    "disampaikan."
                ),
            ),
            Outcome(
                Result.RETURNED,
                "Dikembalikan ke panel",
                9,
                signed=False,
                action="Kembalikan ke Tim Panel",
                told=(
                    "Kepala Balai meminta Tim Panel Banding menyempurnakan keputusannya; rapat "
                    "panel dilanjutkan."
                ),
            ),
        ),
        outputs=(Required(KEPUTUSAN, when=(Result.APPROVED,)),),
        rules=(
            "Bila keputusan belum dapat disetujui, Kepala Balai mengembalikannya kepada Tim "
            "Panel Banding dengan alasannya (langkah 9 dibuka lagi); surat keputusan yang "
            "sudah terbit dicabut dan keputusan berikutnya mendapat surat bernomor baru.",
            "Kepala Balai yang terlibat dalam kegiatan atau keluhan semula tidak dapat "
            "menyetujui keputusan (ISO/IEC 17025 7.9.6).",
        ),
        fields=("persetujuan atau pengembalian", "alasan pengembalian", "isi disposisi"),
    ),
    Step(
        number=11,
        actor=Actor.KTP,
        title="Disposisi ke staff PJTK",
        activity=(
            "Menerima disposisi hasil keputusan penyelesaian banding dan mendisposisikan kepada "
            "staff PJTK untuk disampaikan ke Pelanggan"
        ),
        kelengkapan="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        waktu=Duration(15, Unit.MINUTE),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        outcomes=(
            Outcome(
                Result.DISPOSITIONED,
                "Didisposisikan",
                12,
                told="Keputusan diteruskan kepada staff PJTK untuk disampaikan kepada Anda.",
            ),
        ),
        outputs=(Required(KEPUTUSAN),),
        fields=("isi disposisi",),
    ),
    Step(
        number=12,
        actor=Actor.STF,
        title="Penyampaian keputusan dan pengarsipan",
        activity="Menyampaikan hasil keputusan banding kepada pelanggan dan mengarsipkan dokumen",
        kelengkapan=(
            "Keputusan penyelesaian banding yang disetujui Kepala Balai dan dokumen pendukung "
            "lainnya"
        ),
        waktu=Duration(15, Unit.MINUTE),
        output="",  # the signed SOP leaves step 12's output empty
        outcomes=(
            Outcome(
                Result.CLOSED,
                "Selesai",
                END,
                closes_as="closed",
                milestone=Stage.SELESAI,
                told="Keputusan banding telah disampaikan kepada Anda; berkas diarsipkan.",
            ),
        ),
        outputs=(Required(SURAT_PENYAMPAIAN),),
        fields=("tanggal disampaikan", "saluran", "lokasi arsip (lemari/boks/map)"),
    ),
)

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


def path_from(number: int, outcome_keys: dict[int, str] | None = None) -> list[int]:
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


# An appeal found not relevant at step 3 and closed at step 4.
REJECTION_TOLD = Told(
    words="tidak dapat diterima",
    next=(
        "Permohonan banding ini tidak diproses lebih lanjut dan hasil penanganan keluhan "
        "semula tetap berlaku. Bila Saudara memiliki keterangan atau bukti baru, Saudara dapat "
        "mengajukan permohonan banding baru."
    ),
)
VERDICT_TOLD: dict[Verdict, Told] = {
    Verdict.ACCEPTED: Told(
        words="diterima",
        next=(
            "Balai melaksanakan tindakan perbaikan atau pemulihan yang diputuskan; staff PJTK "
            "menghubungi Saudara untuk pelaksanaannya. Proses penanganan banding selesai."
        ),
    ),
    Verdict.PARTLY: Told(
        words="diterima sebagian",
        next=(
            "Balai melaksanakan tindakan perbaikan atau pemulihan yang diputuskan untuk bagian "
            "yang diterima; staff PJTK menghubungi Saudara untuk pelaksanaannya. Proses "
            "penanganan banding selesai."
        ),
    ),
    Verdict.DISMISSED: Told(
        words="ditolak",
        next=("Hasil penanganan keluhan semula tetap berlaku. Proses penanganan banding selesai."),
    ),
}


# --- who a late step escalates to ----------------------------------------------------------

# The head has no one above: a late step of the head stays on the head's overdue list. The
# customer's own step is not the institute's to chase.
ESCALATION: dict[Actor, Actor | None] = {
    Actor.STF: Actor.KTP,
    Actor.KTP: Actor.KAB,
    Actor.TEK: Actor.KAB,
    Actor.TPB: Actor.KAB,
    Actor.KAB: None,
    Actor.PEL: None,
}


# The identity sheet, word for word as signed (tests/sop/SOP-5.1.24.verbatim.md), each numbered
# section as a list of its items. Item 4 of the legal basis lost its beginning in the scan: it
# keeps the legible words after "…", and an administrator may complete it, with the sheet's
# blanks (dates, approver), through BANDING_SOP_IDENTITY (banding/sop/document.py).
IDENTITY: dict[str, str | list[str]] = {
    "unit": "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kimia, Farmasi dan Kemasan",
    "nomor": "5.1.24/BBSPJIKFK/2025",
    "judul": "Penanganan Banding Pelanggan",
    "dasar_hukum": [
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi RI No. 35 "
        "Tahun 2012 tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi "
        "Pemerintah",
        # "Opersional" is the signed text's own spelling.
        "Peraturan Menteri Perindustrian No. 42/M-IND/PER/8/2013 tentang Pedoman Penyusunan "
        "Standar Opersional Prosedur Administrasi Pemerintahan di lingkungan Kemenperin",
        "Peraturan Menteri Perindustrian No.7 Tahun 2021 tentang Organisasi dan Tata Kerja "
        "Kementerian Perindustrian",
        "… Kerja Unit Pelaksana Teknis di Lingkungan Badan Standardisasi dan Kebijakan Jasa "
        "Industri",
    ],
    "kualifikasi_pelaksana": [
        "Mampu memberikan pelayanan prima",
        "Mampu mengoperasikan komputer dan internet",
        "Mampu berkomunikasi dengan lancar",
        "Mengetahui sistem penyimpanan (arsip) data",
    ],
    "keterkaitan": ["SOP Pengolahan Surat Keluar", "SOP Pengolahan Surat Masuk"],
    "peralatan": ["Komputer", "ATK", "Koneksi Internet", "Fax", "Telepon", "Printer"],
    "peringatan": [
        "Apabila banding pelanggan tidak ditindaklanjuti dapat menurunkan tingkat kepercayaan "
        "pelanggan yang berdampak pada hilangnya pelanggan",
    ],
    "pencatatan": [
        "Data dan Laporan disimpan di Lemari Arsip Tim Pelayanan Jasa Teknis dan Kemitraan (PJTK)",
    ],
}


def as_dict() -> dict:
    """The whole definition as plain data (`banding sop --format json`): the signed SOP's
    words as signed, and SiBanding's own provisions apart, under "ketentuan_sibanding"."""
    # Imported here: the additions read this module (and the settings) when they are built.
    from banding.sop import additions

    return {
        "identity": IDENTITY,
        "actors": {a.value: label for a, label in ACTOR_LABELS.items()},
        "exception": CALIBRATION_PT_EXCEPTION,
        "steps": [
            {
                "number": s.number,
                "actor": s.actor.value,
                "actor_label": s.actor_label,
                "title": s.title,
                "activity": s.activity,
                "kelengkapan": s.kelengkapan,
                "waktu": s.waktu.text,
                "waktu_parsed": s.waktu.as_dict(),
                "output": s.output,
                "keterangan": s.keterangan,
                "decision": s.decision,
                "outcomes": [
                    {
                        "key": o.key,
                        "label": o.label,
                        "next_step": o.next_step or None,
                        "closes_as": o.closes_as or None,
                        "in_signed_sop": o.signed,
                        "milestone": o.milestone.value if o.milestone else None,
                        "told_customer": o.told,
                    }
                    for o in s.outcomes
                ],
                "fields": list(s.fields),
                "checklist": list(s.checklist),
                "required_outputs": [
                    {
                        "key": r.output.key,
                        "label": r.output.label,
                        "letter": r.output.letter,
                        "when": [str(k) for k in r.when],
                    }
                    for r in s.outputs
                ],
                "record_first": s.record_first,
                "rules": list(s.rules),
            }
            for s in STEPS
        ],
        "ketentuan_sibanding": additions.build().as_dict(),
    }
