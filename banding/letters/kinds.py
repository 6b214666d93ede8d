"""The letter kinds in one place: the SOP step that produces each, who signs it, whether it is
addressed to the customer, and the parts people write. Step numbers and actors come from the
SOP definition (banding.sop.definition); a renumbered or removed step fails here at import."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from banding.sop import definition as sop
from banding.sop.definition import Actor


class Kind(models.TextChoices):
    TANDA_TERIMA = "tanda_terima", "Tanda terima banding"
    NOTA_DINAS = "nota_dinas", "Nota dinas permohonan penyelesaian banding"
    PENOLAKAN = "penolakan", "Surat penolakan banding"
    USULAN_PANEL = "usulan_panel", "Usulan Tim Panel Banding"
    PENUNJUKAN_PANEL = "penunjukan_panel", "Surat tugas penunjukan Tim Panel Banding"
    UNDANGAN = "undangan", "Undangan rapat panel / klarifikasi"
    DAFTAR_HADIR = "daftar_hadir", "Daftar hadir rapat panel"
    NOTULEN = "notulen", "Notulen rapat panel"
    KEPUTUSAN = "keputusan", "Keputusan penyelesaian banding"
    DISPOSISI = "disposisi", "Lembar disposisi"
    PENYAMPAIAN = "penyampaian", "Surat penyampaian keputusan banding"


@dataclass(frozen=True)
class Part:
    """A part of a letter that people write; `required` parts must be filled to issue."""

    name: str
    label: str
    multiline: bool = False
    required: bool = True


@dataclass(frozen=True)
class KindSpec:
    kind: Kind
    step: sop.Step  # the SOP step whose output the letter is
    signer: Actor  # who signs (issues) it; the panel's chair for Actor.TPB
    to_customer: bool  # addressed to the customer: the customer may download it
    parts: tuple[Part, ...]

    @property
    def label(self) -> str:
        return self.kind.label


ADDRESSEE = Part("kepada", "Kepada (Yth.)", multiline=True)
SUBJECT = Part("perihal", "Perihal")
NOTE = Part("catatan", "Catatan tambahan", multiline=True, required=False)

SPECS: dict[str, KindSpec] = {
    s.kind.value: s
    for s in (
        KindSpec(Kind.TANDA_TERIMA, sop.step(2), Actor.STF, True, (ADDRESSEE, SUBJECT, NOTE)),
        KindSpec(
            Kind.NOTA_DINAS,
            sop.step(3),
            Actor.KTP,
            False,
            (ADDRESSEE, SUBJECT, Part("isi", "Isi nota dinas", multiline=True)),
        ),
        KindSpec(
            Kind.PENOLAKAN,
            sop.step(4),
            Actor.STF,
            True,
            (ADDRESSEE, SUBJECT, Part("alasan", "Alasan penolakan", multiline=True)),
        ),
        KindSpec(
            Kind.USULAN_PANEL,
            sop.step(5),
            Actor.TEK,
            False,
            (
                ADDRESSEE,
                SUBJECT,
                Part("susunan", "Susunan yang diusulkan (satu nama per baris)", multiline=True),
                NOTE,
            ),
        ),
        KindSpec(
            Kind.PENUNJUKAN_PANEL,
            sop.step(6),
            Actor.KAB,
            False,
            (ADDRESSEE, SUBJECT, Part("tugas", "Tugas Tim Panel Banding", multiline=True)),
        ),
        KindSpec(
            Kind.UNDANGAN,
            sop.step(7),
            Actor.TPB,
            True,
            (
                ADDRESSEE,
                SUBJECT,
                Part("waktu", "Hari, tanggal dan pukul"),
                Part("tempat", "Tempat"),
                Part("acara", "Acara", multiline=True),
            ),
        ),
        KindSpec(Kind.DAFTAR_HADIR, sop.step(9), Actor.TPB, False, (SUBJECT, NOTE)),
        KindSpec(
            Kind.NOTULEN,
            sop.step(9),
            Actor.TPB,
            False,
            (SUBJECT, Part("notulen", "Isi notulen", multiline=True)),
        ),
        KindSpec(
            Kind.KEPUTUSAN,
            sop.step(10),
            Actor.KAB,
            True,
            (
                ADDRESSEE,
                SUBJECT,
                Part("pertimbangan", "Pertimbangan", multiline=True),
                Part("amar", "Tindakan perbaikan atau pemulihan", multiline=True, required=False),
            ),
        ),
        KindSpec(
            Kind.DISPOSISI,
            sop.step(11),
            Actor.KTP,
            False,
            (ADDRESSEE, SUBJECT, Part("instruksi", "Isi disposisi Ketua Tim PJTK", multiline=True)),
        ),
        KindSpec(
            Kind.PENYAMPAIAN,
            sop.step(12),
            Actor.STF,
            True,
            (ADDRESSEE, SUBJECT, Part("isi", "Isi surat", multiline=True)),
        ),
    )
}

CUSTOMER_KINDS = frozenset(k for k, s in SPECS.items() if s.to_customer)


def spec(kind: str) -> KindSpec:
    return SPECS[kind]


def kinds_of_step(number: int) -> list[KindSpec]:
    return [s for s in SPECS.values() if s.step.number == number]
