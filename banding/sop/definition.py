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
    """A standard time (waktu) as the SOP writes it: `15 menit`, `1 hari`, `maks. 30 hari`."""

    amount: int
    unit: Unit
    maximum: bool = False

    def __str__(self) -> str:
        text = f"{self.amount} {self.unit.value}"
        return f"maks. {text}" if self.maximum else text

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


@dataclass(frozen=True)
class Outcome:
    """Where a step leads: the next step number (or END) and the appeal's status then."""

    key: str
    label: str
    next_step: int
    closes_as: str = ""  # Appeal.Status value when next_step is END


@dataclass(frozen=True)
class Step:
    number: int
    actor: Actor
    title: str  # short label, Indonesian
    activity: str  # the SOP's aktivitas text
    kelengkapan: tuple[str, ...]
    waktu: Duration
    output: str
    keterangan: str = ""
    outcomes: tuple[Outcome, ...] = ()
    decision: str = ""  # the question of a decision step (diamond)
    fields: tuple[str, ...] = field(default=())  # what the step form asks for
    checklist: tuple[str, ...] = field(default=())  # items the actor confirms one by one

    @property
    def is_decision(self) -> bool:
        return bool(self.decision)

    def outcome(self, key: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.key == key:
                return outcome
        raise KeyError(f"Langkah {self.number} tidak punya hasil {key!r}.")

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]


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
        kelengkapan=("Surat permohonan banding", "Dokumen kelengkapan banding"),
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        keterangan=(
            "Pengecualian banding untuk Uji Profisiensi Kalibrasi, sesuai ISO 17043:2023 "
            "evaluasi kinerja dilakukan menggunakan statistik murni yang diturunkan dari "
            "prosedur evaluasi sehingga tidak ada banding"
        ),
        outcomes=(Outcome("submitted", "Diajukan", 2),),
    ),
    Step(
        number=2,
        actor=Actor.STF,
        title="Penerimaan dan pencatatan",
        activity="Menerima, mencatat dan melaporkan permohonan banding pelanggan",
        kelengkapan=("ATK", "Koneksi internet", "Dokumen banding pelanggan"),
        waktu=Duration(15, Unit.MINUTE),
        output="Dokumen banding pelanggan",
        outcomes=(Outcome("recorded", "Dicatat", 3),),
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
        kelengkapan=("Dokumen banding pelanggan",),
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
            Outcome("relevant", "Relevan", 5),
            Outcome("not_relevant", "Tidak relevan", 4),
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
        kelengkapan=("Keputusan penolakan banding pelanggan",),
        waktu=Duration(1, Unit.DAY),
        output="Surat penolakan banding pelanggan",
        outcomes=(Outcome("rejected", "Ditolak (tidak relevan)", END, closes_as="rejected"),),
        fields=("alasan penolakan", "tanggal dikirim", "saluran pengiriman"),
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
            "Nota dinas permohonan penyelesaian banding",
            "Dokumen kelengkapan banding pelanggan",
        ),
        waktu=Duration(1, Unit.DAY),
        output="Usulan Tim Panel Banding",
        outcomes=(Outcome("proposed", "Diusulkan", 6),),
        fields=("anggota panel yang diusulkan", "ketua panel", "catatan koordinasi"),
    ),
    Step(
        number=6,
        actor=Actor.KAB,
        title="Penunjukan Tim Panel Banding",
        activity="Menunjuk Tim Panel Banding",
        kelengkapan=("Usulan Tim Panel Banding", "Dokumen kelengkapan banding pelanggan"),
        waktu=Duration(1, Unit.DAY),
        output="Penunjukan Tim Panel Banding",
        keterangan=(
            "Pihak yang terlibat dalam kegiatan atau keluhan semula tidak dapat ditunjuk "
            "(ISO/IEC 17025 7.9.6)."
        ),
        outcomes=(Outcome("appointed", "Ditunjuk", 7),),
        fields=("anggota panel", "ketua panel"),
    ),
    Step(
        number=7,
        actor=Actor.TPB,
        title="Investigasi banding",
        activity="Melakukan investigasi banding dan mempersiapkan rapat panel banding",
        kelengkapan=("Dokumen kelengkapan banding pelanggan",),
        waktu=Duration(30, Unit.DAY, maximum=True),
        output="Dokumen hasil investigasi banding pelanggan",
        keterangan=(
            "Dalam proses investigasi, Tim Panel Banding dapat berkoordinasi dan/atau "
            "mengundang Pelanggan untuk menjelaskan permasalahan terkait banding yang diajukan"
        ),
        outcomes=(Outcome("investigated", "Investigasi selesai", 9),),
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
            "Dokumen hasil investigasi banding pelanggan",
            "Dokumen kelengkapan banding pelanggan",
            "Daftar hadir",
            "Notulen rapat",
        ),
        waktu=Duration(1, Unit.DAY),
        output="Notulen rapat dan keputusan penyelesaian banding",
        outcomes=(Outcome("decided", "Diputuskan", 10),),
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
        kelengkapan=("Notulen rapat", "Keputusan penyelesaian banding"),
        waktu=Duration(1, Unit.DAY),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        keterangan="Bila belum dapat disetujui, dikembalikan kepada Tim Panel dengan alasannya.",
        decision="Keputusan disetujui?",
        outcomes=(
            Outcome("approved", "Disetujui", 11),
            Outcome("returned", "Dikembalikan ke panel", 9),
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
        kelengkapan=("Keputusan penyelesaian banding yang disetujui Kepala Balai",),
        waktu=Duration(15, Unit.MINUTE),
        output="Keputusan penyelesaian banding yang disetujui Kepala Balai",
        outcomes=(Outcome("dispositioned", "Didisposisikan", 12),),
        fields=("isi disposisi",),
    ),
    Step(
        number=12,
        actor=Actor.STF,
        title="Penyampaian keputusan dan pengarsipan",
        activity="Menyampaikan hasil keputusan banding kepada pelanggan dan mengarsipkan dokumen",
        kelengkapan=(
            "Keputusan penyelesaian banding yang disetujui Kepala Balai",
            "Dokumen pendukung lainnya",
        ),
        waktu=Duration(15, Unit.MINUTE),
        output="Keputusan tersampaikan dan berkas diarsipkan",
        outcomes=(Outcome("closed", "Selesai", END, closes_as="closed"),),
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


IDENTITY = {
    "unit": "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kimia, Farmasi dan Kemasan",
    "nomor": "5.1.24/BBSPJIKFK/2025",
    "judul": "Penanganan Banding Pelanggan",
    "dasar_hukum": [
        "Permenpan-RB 35/2012 tentang Pedoman Penyusunan SOP Administrasi Pemerintahan",
        "Permenperin 42/M-IND/PER/8/2013 tentang Pedoman SOP AP Kementerian Perindustrian",
        "Permenperin 7/2021 tentang Organisasi dan Tata Kerja Kementerian Perindustrian",
        "Peraturan tentang organisasi dan tata kerja UPT di lingkungan BSKJI",
    ],
    "kualifikasi_pelaksana": [
        "Memiliki kemampuan pelayanan prima",
        "Mampu mengoperasikan komputer dan internet",
        "Mampu berkomunikasi dengan baik",
        "Memahami sistem kearsipan",
    ],
    "keterkaitan": ["SOP Pengolahan Surat Keluar", "SOP Pengolahan Surat Masuk"],
    "peralatan": ["Komputer", "ATK", "Internet", "Faksimili", "Telepon", "Printer"],
    "peringatan": (
        "Apabila banding tidak ditindaklanjuti, akan menurunkan kepercayaan pelanggan dan "
        "kehilangan pelanggan"
    ),
    "pencatatan": (
        "Data dan laporan disimpan di lemari arsip Tim Pelayanan Jasa Teknis dan Kemitraan (PJTK)"
    ),
}


def as_dict() -> dict:
    """The whole definition as plain data (`banding sop --format json`)."""
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
                "kelengkapan": list(s.kelengkapan),
                "waktu": str(s.waktu),
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
                    }
                    for o in s.outcomes
                ],
                "fields": list(s.fields),
                "checklist": list(s.checklist),
            }
            for s in STEPS
        ],
    }
