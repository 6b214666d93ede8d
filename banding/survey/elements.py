"""The nine elements (unsur) of the Survei Kepuasan Masyarakat and the service-quality table,
as Permenpan-RB 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara
Pelayanan Publik) defines them. Defined once: the model's score columns, the form, the
results page and the CSV all read this module.

Each element is asked as in the regulation's sample questionnaire, with its four answers
scored 1 (worst) to 4 (best)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop as N_

from banding.formats import format_decimal

SCORES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    code: str  # the model column: u1 … u9
    name: str
    question: str
    answers: tuple[str, str, str, str]  # the labels of scores 1, 2, 3, 4

    @property
    def label(self) -> str:
        return f"{self.code.upper()} {self.name}"

    @property
    def choices(self) -> list[tuple[int, str]]:
        return list(zip(SCORES, self.answers, strict=True))


ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        N_("Persyaratan"),
        N_(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
        (
            N_("Tidak sesuai"),
            N_("Kurang sesuai"),
            N_("Sesuai"),
            N_("Sangat sesuai"),
        ),
    ),
    Element(
        "u2",
        N_("Sistem, mekanisme, dan prosedur"),
        N_("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (
            N_("Tidak mudah"),
            N_("Kurang mudah"),
            N_("Mudah"),
            N_("Sangat mudah"),
        ),
    ),
    Element(
        "u3",
        N_("Waktu penyelesaian"),
        N_("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (
            N_("Tidak cepat"),
            N_("Kurang cepat"),
            N_("Cepat"),
            N_("Sangat cepat"),
        ),
    ),
    Element(
        "u4",
        N_("Biaya/tarif"),
        N_("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (
            N_("Sangat mahal"),
            N_("Cukup mahal"),
            N_("Murah"),
            N_("Gratis"),
        ),
    ),
    Element(
        "u5",
        N_("Produk spesifikasi jenis pelayanan"),
        N_(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (
            N_("Tidak sesuai"),
            N_("Kurang sesuai"),
            N_("Sesuai"),
            N_("Sangat sesuai"),
        ),
    ),
    Element(
        "u6",
        N_("Kompetensi pelaksana"),
        N_("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (
            N_("Tidak kompeten"),
            N_("Kurang kompeten"),
            N_("Kompeten"),
            N_("Sangat kompeten"),
        ),
    ),
    Element(
        "u7",
        N_("Perilaku pelaksana"),
        N_(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        (
            N_("Tidak sopan dan ramah"),
            N_("Kurang sopan dan ramah"),
            N_("Sopan dan ramah"),
            N_("Sangat sopan dan ramah"),
        ),
    ),
    Element(
        "u8",
        N_("Penanganan pengaduan, saran dan masukan"),
        N_(
            "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan pengguna "
            "layanan?"
        ),
        (
            N_("Tidak ada"),
            N_("Ada tetapi tidak berfungsi"),
            N_("Berfungsi kurang maksimal"),
            N_("Dikelola dengan baik"),
        ),
    ),
    Element(
        "u9",
        N_("Sarana dan prasarana"),
        N_("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (
            N_("Buruk"),
            N_("Cukup"),
            N_("Baik"),
            N_("Sangat baik"),
        ),
    ),
)

CODES = tuple(e.code for e in ELEMENTS)
BY_CODE = {e.code: e for e in ELEMENTS}


@dataclass(frozen=True)
class Quality:
    """One row of the regulation's table: IKM (converted, 25-100) from `lowest` up."""

    grade: str
    lowest: Decimal
    highest: Decimal
    label: str

    @property
    def interval(self) -> str:
        return f"{format_decimal(self.lowest)} – {format_decimal(self.highest)}"


# Nilai interval konversi IKM → mutu pelayanan (kinerja unit pelayanan), highest first.
QUALITY: tuple[Quality, ...] = (
    Quality("A", Decimal("88.31"), Decimal("100.00"), N_("Sangat baik")),
    Quality("B", Decimal("76.61"), Decimal("88.30"), N_("Baik")),
    Quality("C", Decimal("65.00"), Decimal("76.60"), N_("Kurang baik")),
    Quality("D", Decimal("25.00"), Decimal("64.99"), N_("Tidak baik")),
)

CENT = Decimal("0.01")


def converted(score_sum: int, answers: int) -> Decimal:
    """The mean of `answers` scores summing to `score_sum`, converted to the 25-100 scale
    (× 25) and rounded to two decimals as the regulation's table is written. Computed from
    the integer sums, so no intermediate rounding moves a value across a grade boundary."""
    return (Decimal(score_sum * 25) / Decimal(answers)).quantize(CENT, rounding=ROUND_HALF_UP)


def quality_of(value: Decimal) -> Quality:
    """The grade of a converted value already rounded to two decimals."""
    for quality in QUALITY:
        if value >= quality.lowest:
            return quality
    return QUALITY[-1]
