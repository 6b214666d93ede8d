"""How an appeal ended, in the customer's words, beside the letters that say so: the outcome
(tidak dapat diterima / diterima / diterima sebagian / ditolak), the reasons and what happens
next. Only once the SOP has delivered it (the rejection letter at step 4, the decision at
step 12), and only what the issued letters state: the customer is never told what the record
does not show. The portal page, the customer's e-mail and the API read it from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from banding.appeals.models import Appeal, Status, Step
from banding.letters.kinds import Kind
from banding.letters.models import Letter, LetterStatus
from banding.sop.definition import (
    DUPLICATE_TOLD,
    ENDED_EARLY,
    REJECTION_TOLD,
    VERDICT_TOLD,
    WITHDRAWAL_TOLD,
    Verdict,
)


@dataclass(frozen=True)
class DeliveredOutcome:
    words: str  # "tidak dapat diterima", "diterima", …
    reasons: str  # as the issued letter states them
    remedy: str  # the corrective action decided ("" for none)
    next: str  # what happens next
    letters: tuple[Letter, ...]  # the letters in force that carry it
    delivered_at: datetime | None

    @property
    def sentence(self) -> str:
        return _("Permohonan banding Anda %(words)s.") % {"words": self.words}


def _in_force(letters: Sequence[Letter], kind: str) -> Letter | None:
    return next((x for x in letters if x.kind == kind and x.status == LetterStatus.ISSUED), None)


def outcome_of(appeal: Appeal, letters: Sequence[Letter] | None = None) -> DeliveredOutcome | None:
    """The delivered outcome of a finished appeal, or None while it runs. `letters`: the
    appeal's letters in hand (else one query)."""
    if appeal.status == Status.OPEN:
        return None
    if appeal.status in ENDED_EARLY:
        return _ended_early(appeal)
    if letters is None:
        letters = list(
            Letter.objects.filter(
                appeal=appeal,
                kind__in=[Kind.PENOLAKAN, Kind.KEPUTUSAN, Kind.PENYAMPAIAN],
                status=LetterStatus.ISSUED,
            )
        )
    if appeal.status == Status.REJECTED:
        letter = _in_force(letters, Kind.PENOLAKAN)
        return DeliveredOutcome(
            words=REJECTION_TOLD.words,
            reasons=appeal.relevance_reasons,
            remedy="",
            next=REJECTION_TOLD.next,
            letters=tuple(x for x in (letter,) if x is not None),
            delivered_at=appeal.delivered_at,
        )
    if not appeal.decision:
        return None
    told = VERDICT_TOLD[Verdict(appeal.decision)]
    decision = _in_force(letters, Kind.KEPUTUSAN)
    delivery = _in_force(letters, Kind.PENYAMPAIAN)
    return DeliveredOutcome(
        words=told.words,
        reasons=(decision.fields.get("pertimbangan", "") if decision else ""),
        remedy=appeal.decision_remedy,
        next=told.next,
        letters=tuple(x for x in (decision, delivery) if x is not None),
        delivered_at=appeal.delivered_at,
    )


def _ended_early(appeal: Appeal) -> DeliveredOutcome:
    """A withdrawn appeal, or one closed as a duplicate (banding.appeals.services.ending):
    no letter says it; the reason recorded with the ending (one query)."""
    ending = (
        Step.objects.filter(appeal=appeal, outcome=appeal.status)
        .order_by("-completed_at", "-pk")
        .values_list("data", flat=True)
        .first()
    ) or {}
    if appeal.status == Status.WITHDRAWN:
        words, next_ = _(WITHDRAWAL_TOLD.words), _(WITHDRAWAL_TOLD.next)
    else:
        words = _(DUPLICATE_TOLD.words)
        next_ = _(DUPLICATE_TOLD.next) % {"original": ending.get("original_number", "")}
    return DeliveredOutcome(
        words=words,
        reasons=ending.get("reason", ""),
        remedy="",
        next=next_,
        letters=(),
        delivered_at=None,
    )
