"""The letter kinds in one place: the SOP step that produces each, who signs it (a setting),
whether and when it reaches the customer, and the parts people write. The facts a letter
states (the decision, reasons, panel, attendance, …) are not parts: the templates print them
from the record of the step the letter documents. Step numbers, actors and the labels of the
required outputs come from the SOP definition (banding.sop.definition); a renumbered or
removed step fails here at import, and so does a required output no kind here produces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Kind(models.TextChoices):
    TANDA_TERIMA = "tanda_terima", _("Tanda terima banding")
    NOTA_DINAS = sop.NOTA_DINAS.key, sop.NOTA_DINAS.label
    PENOLAKAN = sop.SURAT_PENOLAKAN.key, sop.SURAT_PENOLAKAN.label
    USULAN_PANEL = sop.USULAN_PANEL.key, sop.USULAN_PANEL.label
    PENUNJUKAN_PANEL = sop.SURAT_TUGAS_PANEL.key, sop.SURAT_TUGAS_PANEL.label
    UNDANGAN = "undangan", _("Undangan rapat panel / klarifikasi")
    DAFTAR_HADIR = sop.DAFTAR_HADIR.key, sop.DAFTAR_HADIR.label
    NOTULEN = sop.NOTULEN.key, sop.NOTULEN.label
    KEPUTUSAN = sop.KEPUTUSAN.key, sop.KEPUTUSAN.label
    DISPOSISI = "disposisi", _("Lembar disposisi")
    PENYAMPAIAN = sop.SURAT_PENYAMPAIAN.key, sop.SURAT_PENYAMPAIAN.label


@dataclass(frozen=True)
class Part:
    """A part of a letter that people write; `required` parts must be filled to issue."""

    name: str
    label: StrOrPromise
    multiline: bool = False
    required: bool = True


@dataclass(frozen=True)
class Signer:
    """Who signs a kind: the official whose letter it is (`actor`; the panel's chair for
    Actor.TPB) or, where the setting allows, `on_behalf` for them ("a.n. Kepala Balai")."""

    actor: Actor
    on_behalf: Actor | None = None

    @property
    def label(self) -> str:
        base = ACTOR_LABELS[self.actor]
        return gettext("Ketua %(actor)s") % {"actor": base} if self.actor == Actor.TPB else base

    def describe(self) -> str:
        if self.on_behalf is None:
            return self.label
        return gettext("%(signer)s atau %(delegate)s a.n. %(signer)s") % {
            "signer": self.label,
            "delegate": ACTOR_LABELS[self.on_behalf],
        }


@dataclass(frozen=True)
class KindSpec:
    kind: Kind
    step: sop.Step  # the SOP step whose output the letter is
    default_signer: Signer
    to_customer: bool  # addressed to the customer: the customer may download it once delivered
    parts: tuple[Part, ...]
    # Steps at which it may be drafted and issued (default: its own step only).
    draft_at: tuple[int, ...] = ()
    # The step whose completion delivers it to the customer (None: it reaches them when issued).
    delivered_by: int | None = None
    # One letter of the kind per occurrence of its step (an invitation may be sent again).
    single: bool = True
    # A letter that proposes, appoints or decides: a person recorded as involved in the
    # original activity may not sign it (ISO/IEC 17025 7.9.6).
    impartial: bool = False

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def steps(self) -> tuple[int, ...]:
        return self.draft_at or (self.step.number,)

    @property
    def signer(self) -> Signer:
        """The signer rule in force: settings.BANDING_LETTER_SIGNERS, else the default."""
        configured = getattr(settings, "BANDING_LETTER_SIGNERS", {}).get(self.kind.value)
        if not configured:
            return self.default_signer
        try:
            on_behalf = configured.get("on_behalf")
            return Signer(Actor(configured["signer"]), Actor(on_behalf) if on_behalf else None)
        except (KeyError, ValueError, AttributeError) as exc:
            raise ImproperlyConfigured(
                f"BANDING_LETTER_SIGNERS[{self.kind.value!r}] tidak valid ({configured!r}): "
                'gunakan {"signer": "KAB", "on_behalf": "KTP"} dengan kode pelaksana SOP.'
            ) from exc


SUBJECT = Part("perihal", _("Perihal"))
NOTE = Part("catatan", _("Catatan tambahan"), multiline=True, required=False)
# Letters to the customer, and the surat tugas, go out in the head's name; the Ketua Tim PJTK
# may sign them "a.n. Kepala Balai" (an Indonesian office's usual delegation).
OFFICIAL = Signer(Actor.KAB, on_behalf=Actor.KTP)

SPECS: dict[str, KindSpec] = {
    s.kind.value: s
    for s in (
        KindSpec(
            Kind.TANDA_TERIMA,
            sop.step(2),
            OFFICIAL,
            True,
            (SUBJECT, NOTE),
            # A staff intake completes step 2 at once: the receipt follows while step 3 runs.
            draft_at=(2, 3),
        ),
        KindSpec(
            Kind.NOTA_DINAS,
            sop.step(3),
            Signer(Actor.KTP),
            False,
            (SUBJECT, Part("isi", _("Isi nota dinas"), multiline=True)),
        ),
        KindSpec(
            Kind.PENOLAKAN,
            sop.step(4),
            OFFICIAL,
            True,
            (SUBJECT, NOTE),
            delivered_by=4,
        ),
        KindSpec(
            Kind.USULAN_PANEL,
            sop.step(5),
            Signer(Actor.TEK),
            False,
            (SUBJECT, NOTE),
            impartial=True,
        ),
        KindSpec(
            Kind.PENUNJUKAN_PANEL,
            sop.step(6),
            OFFICIAL,
            False,
            (SUBJECT, Part("tugas", _("Tugas Tim Panel Banding"), multiline=True)),
            impartial=True,
        ),
        KindSpec(
            Kind.UNDANGAN,
            sop.step(7),
            OFFICIAL,
            True,
            (
                SUBJECT,
                Part("waktu", _("Hari, tanggal dan pukul")),
                Part("tempat", _("Tempat")),
                Part("acara", _("Acara"), multiline=True),
            ),
            single=False,
        ),
        KindSpec(
            Kind.DAFTAR_HADIR,
            sop.step(9),
            Signer(Actor.TPB),
            False,
            (SUBJECT, NOTE),
            impartial=True,
        ),
        KindSpec(
            Kind.NOTULEN, sop.step(9), Signer(Actor.TPB), False, (SUBJECT, NOTE), impartial=True
        ),
        KindSpec(
            Kind.KEPUTUSAN,
            sop.step(10),
            # Approving the decision is the head's own act (SOP step 10; ISO/IEC 17025 7.9.6).
            Signer(Actor.KAB),
            True,
            (SUBJECT, Part("pertimbangan", _("Pertimbangan"), multiline=True)),
            delivered_by=12,
            impartial=True,
        ),
        KindSpec(
            Kind.DISPOSISI,
            sop.step(11),
            Signer(Actor.KTP),
            False,
            (SUBJECT, Part("instruksi", _("Isi disposisi Ketua Tim PJTK"), multiline=True)),
        ),
        KindSpec(
            Kind.PENYAMPAIAN,
            sop.step(12),
            OFFICIAL,
            True,
            (SUBJECT, Part("isi", _("Isi surat"), multiline=True, required=False)),
            delivered_by=12,
        ),
    )
}

CUSTOMER_KINDS = frozenset(k for k, s in SPECS.items() if s.to_customer)


def spec(kind: str) -> KindSpec:
    return SPECS[kind]


def kinds_of_step(number: int) -> list[KindSpec]:
    return [s for s in SPECS.values() if s.step.number == number]


def _check() -> None:
    # Every letter the SOP definition requires is a kind here, made at the step requiring it
    # (or passed on from an earlier one, as the approved decision is at step 11).
    for s in sop.STEPS:
        for required in s.outputs:
            output = required.output
            if output.letter:
                made_at = spec(output.key).step.number
                if made_at > s.number:
                    raise ImproperlyConfigured(
                        f"Langkah {s.number} memerlukan {output.label}, yang baru dibuat di "
                        f"langkah {made_at}."
                    )


_check()
