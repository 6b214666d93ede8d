"""What SiBanding adds to SOP 5.1.24 beyond its signed words: "Ketentuan pelaksanaan di
SiBanding".

Each step's own rules (`Step.rules`), the outcomes the signed SOP does not draw
(`Outcome.signed`), the outputs a step must have before it completes (`Step.outputs`), the
working-time rules and what the customer is told. The printed SOP lists them after its
flowchart and `banding sop --format json` under their own key, never inside the SOP's table:
the table stays the signed text (ISO/IEC 17025 8.3). Everything is derived from the definition
and the settings when asked for, never at import, so that it follows both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from banding.formats import DAY_NAMES
from banding.sop import definition as sop
from banding.sop.definition import END, Unit
from banding.workdays.calendar import DEFAULT_OFFICE_HOURS, parse_office_hours

TITLE = "Ketentuan pelaksanaan di SiBanding"
NOTE = (
    "Ketentuan berikut bukan bagian dari SOP yang ditandatangani; SiBanding menambahkannya "
    "dalam menjalankan SOP ini."
)
WORKING_TIME = "Waktu kerja"
IMPARTIAL = "Ketidakberpihakan"
CUSTOMER = "Pemberitahuan"
# What a standard time counts in, by its unit (banding/workdays/calendar.py, docs/working-time.md).
COUNTED_IN = {Unit.MINUTE: "menit dalam jam kantor", Unit.DAY: "hari kerja"}


@dataclass(frozen=True)
class StepAdditions:
    """SiBanding's provisions for one step, in the order they are printed."""

    step: sop.Step
    outcomes: list[str]  # the outcomes the signed SOP does not draw
    gates: list[str]  # the outputs that must exist before the step completes
    rules: list[str]  # Step.rules

    @property
    def items(self) -> list[str]:
        return [*self.outcomes, *self.gates, *self.rules]


@dataclass(frozen=True)
class Additions:
    steps: list[StepAdditions]
    working_time: list[str]
    customer: list[str]
    impartiality: list[str]
    title: str = TITLE
    note: str = NOTE

    @property
    def general(self) -> list[tuple[str, list[str]]]:
        """(heading, items) of the provisions that are not one step's, in print order."""
        return [
            (IMPARTIAL, self.impartiality),
            (WORKING_TIME, self.working_time),
            (CUSTOMER, self.customer),
        ]

    @property
    def texts(self) -> list[str]:
        """Every provision, in print order."""
        return [
            *(t for s in self.steps for t in s.items),
            *self.impartiality,
            *self.working_time,
            *self.customer,
        ]

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "note": self.note,
            "steps": [
                {
                    "number": s.step.number,
                    "title": s.step.title,
                    "outcomes": s.outcomes,
                    "gates": s.gates,
                    "rules": s.rules,
                }
                for s in self.steps
            ],
            "impartiality": self.impartiality,
            "working_time": self.working_time,
            "customer": self.customer,
        }


def _and(words: Sequence[str]) -> str:
    """'a', 'a dan b', 'a, b dan c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} dan {words[-1]}"


def unsigned_outcome(step: sop.Step, outcome: sop.Outcome) -> str:
    if outcome.next_step == END:
        where = "banding ditutup"
    else:
        target = sop.step(outcome.next_step)
        way = "kembali ke" if outcome.next_step < step.number else "lanjut ke"
        where = f"{way} langkah {target.number} ({target.title})"
    return f'Hasil "{outcome.label}": {where}.'


def gate(step: sop.Step, required: sop.Required) -> str:
    # A letter is issued (terbit); an uploaded document (letter=False) is uploaded.
    done = "terbit" if required.output.letter else "diunggah"
    text = f"Langkah {step.number} selesai setelah {required.output.label} {done}"
    if required.when:
        text += f" (bila {' atau '.join(step.outcome(k).label for k in required.when)})"
    return text + "."


def step_additions() -> list[StepAdditions]:
    found = []
    for s in sop.STEPS:
        entry = StepAdditions(
            step=s,
            outcomes=[unsigned_outcome(s, o) for o in s.outcomes if not o.signed],
            gates=[gate(s, r) for r in s.outputs],
            rules=list(s.rules),
        )
        if entry.items:
            found.append(entry)
    return found


def working_time() -> list[str]:
    hours = parse_office_hours(getattr(settings, "BANDING_OFFICE_HOURS", DEFAULT_OFFICE_HOURS))
    runs: list[list[int]] = []  # [first, last] weekdays with the same hours, in a row
    for day in sorted(hours):
        if runs and runs[-1][1] == day - 1 and hours[runs[-1][0]] == hours[day]:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    spans = []
    for first, last in runs:
        days = DAY_NAMES[first] if first == last else f"{DAY_NAMES[first]}–{DAY_NAMES[last]}"
        opening, closing = hours[first]
        spans.append(f"{days} {opening:%H:%M}–{closing:%H:%M}")
    closed = [DAY_NAMES[d] for d in range(7) if d not in hours]
    office = f"Jam kantor ({settings.TIME_ZONE}): {'; '.join(spans)}"
    office += f"; {_and(closed)} tutup." if closed else "."

    examples: dict[Unit, sop.Duration] = {}
    maxima: dict[sop.Duration, list[int]] = {}
    for s in sop.STEPS:
        if s.waktu.maximum:
            maxima.setdefault(s.waktu, []).append(s.number)
        else:
            examples.setdefault(s.waktu.unit, s.waktu)
    counted = ", ".join(f'"{d.text}" = {d.amount} {COUNTED_IN[d.unit]}' for d in examples.values())
    items = [
        office,
        f"Waktu baku dihitung dalam waktu kerja: {counted}; waktu di luar jam kantor tidak "
        "dihitung.",
        "Hari libur nasional dan cuti bersama (paket holidays, Indonesia) bukan hari kerja; "
        "administrator dapat menambah hari tutup atau menetapkan hari libur sebagai hari kerja "
        "(Pengecualian kalender).",
    ]
    calendar_days = bool(getattr(settings, "BANDING_CALENDAR_DAYS_FOR_MAX", False))
    kind = "hari kalender" if calendar_days else "hari kerja"
    for duration, numbers in maxima.items():
        steps = _and([str(n) for n in numbers])
        items.append(f'"{duration.text}" (langkah {steps}) dihitung dalam {kind}.')
    return items


def customer() -> list[str]:
    reached: dict[sop.Stage, list[str]] = {}
    for m in sop.milestones():
        numbers = reached.setdefault(m.stage, [])
        if str(m.step) not in numbers:
            numbers.append(str(m.step))
    stages = ", ".join(f"{stage.label} (langkah {_and(n)})" for stage, n in reached.items())
    return [
        "Pelanggan mengikuti bandingnya di portal pelanggan dan diberi tahu, di aplikasi dan "
        f"lewat e-mail, pada setiap tahap: {stages}.",
        "Pegawai yang mengerjakan sebuah langkah diberi tahu, di aplikasi dan lewat e-mail, "
        "saat langkah itu terbuka, dengan tenggatnya.",
    ]


def impartiality() -> list[str]:
    """Who may not decide an appeal (ISO/IEC 17025 7.9.6) and the panel's make-up, as
    appeals.involvement and appeals.services.panel enforce them, from the settings."""
    least = int(getattr(settings, "BANDING_PANEL_MIN_SIZE", 3))
    odd = bool(getattr(settings, "BANDING_PANEL_ODD", True))
    return [
        "Langkah 2 wajib mencatat siapa yang terlibat dalam kegiatan atau keluhan semula "
        "(pegawai, pihak luar, tim teknis yang hasil kerjanya dibanding) atau menyatakan "
        '"tidak ada pihak terlibat" beserta alasannya.',
        "Anggota tim teknis yang hasil kerjanya dibanding dianggap terlibat, kecuali Ketua Tim "
        "PJTK mencatat alasannya sebelum Tim Panel Banding ditunjuk.",
        f"Tim Panel Banding paling sedikit {least} orang"
        + (", berjumlah ganjil" if odd else "")
        + ", dengan satu ketua dari anggotanya; seorang pegawai tidak dipilih dua kali.",
        "Pihak yang terlibat tidak dapat menjadi anggota Tim Panel Banding dan tidak "
        "menandatangani surat usulan, penunjukan panel maupun keputusan banding; daftar calon "
        "anggota menyebut mereka beserta alasannya.",
    ]


def build() -> Additions:
    return Additions(
        steps=step_additions(),
        working_time=working_time(),
        customer=customer(),
        impartiality=impartiality(),
    )
