"""The nine elements (unsur) of the Survei Kepuasan Masyarakat and the service-quality table,
as Permenpan-RB 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara
Pelayanan Publik) defines them. Defined once: the model's score columns, the form, the
results page and the CSV all read this module.

Each element is asked as in the regulation's sample questionnaire, with its four answers
scored 1 (worst) to 4 (best)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "u2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        "u3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        "u4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        "u5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "u6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "u7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        "u8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan pengguna "
        "layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Element(
        "u9",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
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
    Quality("A", Decimal("88.31"), Decimal("100.00"), "Sangat baik"),
    Quality("B", Decimal("76.61"), Decimal("88.30"), "Baik"),
    Quality("C", Decimal("65.00"), Decimal("76.60"), "Kurang baik"),
    Quality("D", Decimal("25.00"), Decimal("64.99"), "Tidak baik"),
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
