"""Similar earlier appeals (ISO/IEC 17021-1: a decision takes earlier similar appeals into
account). For one appeal, the closed ones (finished or rejected as not relevant) most like it:
shared words in the grounds, remedy sought and complaint reference, found by the database's
full-text search (SQLite FTS5 ranked with bm25, PostgreSQL to_tsvector('simple') ranked with
ts_rank; see migration 0005_similar_search), plus the same reference document, the same
customer organisation and the same service type. One query on either database.

Shown to the verifier (Ketua Tim PJTK), the appeal's panel, the Kepala Balai and auditors;
never to customers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf

from banding.accounts.roles import Role, has_role
from banding.appeals.errors import Forbidden
from banding.appeals.models import Appeal, PanelSeat, Status

LIMIT = 5
MAX_TERMS = 30  # enough to describe a case; keeps the query small for a long letter
MIN_LENGTH = 3

# How much each signal weighs. The text score is scaled so that the best textual match among
# the candidates counts TEXT_WEIGHT: bm25 and ts_rank have different scales, and this keeps the
# combination (and so the order) alike on both databases.
TEXT_WEIGHT = 3.0
REFERENCE_WEIGHT = 3.0
ORGANIZATION_WEIGHT = 2.0
SERVICE_WEIGHT = 1.0

# Words too common in Indonesian letters to say anything about the case.
STOP_WORDS = frozenset(
    """
    ada adalah agar akan aku anda antara apa apabila atas atau bagi bahwa baik banding belum
    beliau bisa bukan dalam dan dapat dari demikian dengan dia oleh hal hanya harap harus
    hingga ia ini itu jadi juga jika kalau kami kamu karena ke kepada kita lagi lebih maka
    masih melalui mereka mohon namun nya pada para per perlu pun saat saja sama sangat saya
    sebagai sebelum secara sedang sehingga sejak semua seperti serta sesuai setelah sudah
    supaya tanpa telah tentang terhadap tersebut tetapi tidak untuk yaitu yakni yang
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
WORD = re.compile(r"[^\W_]+")

MAY_SEE = (
    "Banding serupa hanya dapat dilihat oleh Ketua Tim PJTK, Tim Panel Banding banding ini, "
    "Kepala Balai dan auditor."
)
REJECTED_LABEL = "Ditolak tidak relevan"


@dataclass(frozen=True)
class Similar:
    """One earlier appeal and why it is like this one."""

    appeal: Appeal
    score: float
    reasons: tuple[str, ...]

    @property
    def outcome(self) -> str:
        if self.appeal.status == Status.REJECTED:
            return REJECTED_LABEL
        if self.appeal.decision:
            return self.appeal.get_decision_display()
        return self.appeal.get_status_display()


def terms(text: str) -> list[str]:
    """The significant words of `text`, lower-cased, in order of first use: no stop words,
    nothing shorter than MIN_LENGTH, no bare numbers (years and counts match everything)."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text.lower()):
        if len(word) < MIN_LENGTH or word in STOP_WORDS or word.isdigit():
            continue
        seen.setdefault(word, None)
        if len(seen) == MAX_TERMS:
            break
    return list(seen)


def may_see(user, appeal: Appeal, seats: Sequence[PanelSeat] | None = None) -> bool:
    """The verifier, the head and auditors; the panel of this appeal. `seats`, when the caller
    has them loaded already, saves a query."""
    if not user.is_authenticated or not user.is_active:
        return False
    if has_role(user, Role.PJTK_LEAD, Role.HEAD, Role.AUDITOR):
        return True
    if seats is not None:
        return any(s.user_id == user.pk for s in seats)
    return appeal.panel_seats.filter(user=user).exists()


def require_may_see(user, appeal: Appeal) -> None:
    if not may_see(user, appeal):
        raise Forbidden(MAY_SEE, code="not_your_role")


def _text_score(words: list[str]) -> tuple[Q, RawSQL | Case | Value]:
    """(which appeals match any word, the engine's relevance of each: higher is closer)."""
    if not words:
        return Q(pk__in=[]), Value(0.0)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # The expression of the GIN index (migration 0005), so the match can use it.
        vector = SearchVector("grounds", "remedy_sought", "complaint_reference", config="simple")
        # Words are letters and digits only, so they are safe as a raw tsquery.
        query = SearchQuery(" | ".join(words), config="simple", search_type="raw")
        matched = Q(_text_vector=query)
        return matched, Case(When(matched, then=SearchRank(vector, query)), default=Value(0.0))
    # SQLite FTS5: a phrase per word (quoted, so no word is read as an operator), OR-ed.
    query = " OR ".join(f'"{w}"' for w in words)
    matched = Q(
        pk__in=RawSQL(
            "SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s", [query]
        )
    )
    # bm25() is lower for a better match; negated, higher is better. Correlated on the row,
    # so it runs only for the candidates.
    rank = RawSQL(
        "SELECT -bm25(appeals_appeal_fts) FROM appeals_appeal_fts "
        "WHERE appeals_appeal_fts MATCH %s AND appeals_appeal_fts.rowid = appeals_appeal.id",
        [query],
        output_field=FloatField(),
    )
    return matched, Coalesce(rank, Value(0.0))


def _flag(condition: Q, weight: float) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())


def candidates(appeal: Appeal) -> QuerySet[Appeal]:
    """The closed appeals like `appeal`, best first, scored in the database."""
    words = terms(appeal.grounds)
    text_match, text_raw = _text_score(words)
    # iexact is UPPER(x) = UPPER(y) on both databases: the expression index of migration 0005.
    same_reference = (
        Q(reference_document__iexact=appeal.reference_document)
        if appeal.reference_document.strip()
        else Q(pk__in=[])
    )
    same_organization = Q(organization_id=appeal.organization_id)
    qs = Appeal.objects.select_related("organization")
    if connection.vendor == "postgresql" and words:
        from django.contrib.postgres.search import SearchVector

        # alias(), not annotate(): matched against, never fetched.
        qs = qs.alias(
            _text_vector=SearchVector(
                "grounds", "remedy_sought", "complaint_reference", config="simple"
            )
        )
    return (
        qs.filter(status__in=[Status.CLOSED, Status.REJECTED])
        .exclude(pk=appeal.pk)
        # Only the service type in common is too weak to call an appeal similar.
        .filter(text_match | same_reference | same_organization)
        .annotate(
            text_raw=Cast(text_raw, FloatField()),
            # The best textual match among the candidates scores TEXT_WEIGHT.
            text_best=Window(Max("text_raw")),
            score=(
                Coalesce(
                    F("text_raw") * Value(TEXT_WEIGHT) / NullIf(F("text_best"), Value(0.0)),
                    Value(0.0),
                )
                + _flag(same_reference, REFERENCE_WEIGHT)
                + _flag(same_organization, ORGANIZATION_WEIGHT)
                + _flag(Q(service_type=appeal.service_type), SERVICE_WEIGHT)
            ),
        )
        .order_by("-score", "-closed_at", "-pk")
    )


def _reasons(appeal: Appeal, other: Appeal) -> tuple[str, ...]:
    reasons = []
    if other.text_raw > 0:
        reasons.append("kata yang sama dalam alasan")
    ref = appeal.reference_document.strip().lower()
    if ref and other.reference_document.strip().lower() == ref:
        reasons.append("dokumen acuan sama")
    if other.organization_id == appeal.organization_id:
        reasons.append("pelanggan sama")
    if other.service_type == appeal.service_type:
        reasons.append("jenis layanan sama")
    return tuple(reasons)


def similar_to(appeal: Appeal, *, limit: int = LIMIT) -> list[Similar]:
    """At most `limit` closed appeals most like `appeal`: one query."""
    return [
        Similar(appeal=other, score=round(other.score, 3), reasons=_reasons(appeal, other))
        for other in candidates(appeal)[:limit]
    ]
