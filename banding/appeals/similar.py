"""Similar earlier appeals (ISO/IEC 17021-1: a decision takes earlier similar appeals into
account). For one appeal, the closed ones (finished or rejected as not relevant) most like it:
shared words in the grounds, remedy sought and complaint reference, found by the database's
full-text search (SQLite FTS5 ranked with bm25, PostgreSQL to_tsvector('simple') ranked with
ts_rank; see migration appeals 0002_search), plus the same reference document, the same
customer organisation and the same service type. Five queries on either database, whatever
the size of the history (see similar_to).

Shown to the verifier (Ketua Tim PJTK), the appeal's panel, the Kepala Balai and auditors;
never to customers. A similar appeal the viewer may not open (need to know: a panel member
without a part in it) is shown, its outcome and why it is alike, without a link (openable)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role, has_role
from banding.appeals import access
from banding.appeals.models import Appeal, PanelSeat, Status
from banding.errors import Forbidden

LIMIT = 5
# How many candidates of each kind are scored: enough for the handful shown, bounded so that
# a large history costs what a small one does.
TEXT_CANDIDATES = 100
OTHER_CANDIDATES = 100  # of the same customer, and of the same reference document
CLOSED = frozenset({Status.CLOSED, Status.REJECTED})
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

MAY_SEE = N_(
    "Banding serupa hanya dapat dilihat oleh Ketua Tim PJTK, Tim Panel Banding banding ini, "
    "Kepala Balai dan auditor."
)
# The outcome and the reasons are kept as written (Indonesian) in the step's record.
REJECTED_LABEL = N_("Ditolak tidak relevan")


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


def may_see(
    user: User | AnonymousUser, appeal: Appeal, seats: Sequence[PanelSeat] | None = None
) -> bool:
    """The verifier, the head and auditors; the panel of this appeal. `seats`, when the caller
    has them loaded already, saves a query."""
    if not user.is_authenticated or not user.is_active:
        return False
    if has_role(user, Role.PJTK_LEAD, Role.HEAD, Role.AUDITOR):
        return True
    if seats is not None:
        return any(s.user_id == user.pk and s.vacated_at is None for s in seats)
    return appeal.panel_seats.seated().filter(user=user).exists()


def openable(user: User | AnonymousUser, items: Sequence[Similar]) -> frozenset[int]:
    """The ids of the similar appeals this user may open (need to know, access.viewable): the
    others are shown without a link to their file, since the panel must still take their
    outcome into account. No query for a role that opens every appeal, else one."""
    condition = access.viewable(user)
    ids = [s.appeal.pk for s in items]
    if condition is None or not ids:
        return frozenset()
    if not condition:
        return frozenset(ids)
    return frozenset(Appeal.objects.filter(condition, pk__in=ids).values_list("pk", flat=True))


def require_may_see(user: User | AnonymousUser, appeal: Appeal) -> None:
    if not may_see(user, appeal):
        raise Forbidden(MAY_SEE, code="not_your_role")


def _text_ranks(words: list[str]) -> dict[int, float]:
    """The latest TEXT_CANDIDATES appeals sharing any of `words`, each with the engine's
    relevance (higher is closer). Bounded on purpose: everyday words of appeal letters
    ("hasil", "uji", "sampel") are in most of them, and ranking every match of a large
    history costs seconds; the newest matches are found through the index in its id order
    and only they are ranked."""
    if not words:
        return {}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # The expression of the GIN index (migration appeals 0002_search), so the match can use it.
        vector = SearchVector("grounds", "remedy_sought", "complaint_reference", config="simple")
        # Words are letters and digits only, so they are safe as a raw tsquery.
        query = SearchQuery(" | ".join(words), config="simple", search_type="raw")
        rows = (
            Appeal.objects.alias(_text_vector=vector)
            .filter(_text_vector=query)
            .order_by("-pk")
            .annotate(rank=SearchRank(vector, query))
            .values_list("pk", "rank")[:TEXT_CANDIDATES]
        )
        return {pk: float(rank) for pk, rank in rows}
    # SQLite FTS5: a phrase per word (quoted, so no word is read as an operator), OR-ed;
    # bm25() is lower for a better match, so negated.
    match = " OR ".join(f'"{w}"' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(appeals_appeal_fts) FROM appeals_appeal_fts "
            "WHERE appeals_appeal_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
            [match, TEXT_CANDIDATES],
        )
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


@dataclass(frozen=True)
class _Candidate:
    pk: int
    reference_document: str
    organization_id: int
    service_type: str
    closed_at: datetime | None


def _scored(
    appeal: Appeal, candidates: list[_Candidate], ranks: dict[int, float]
) -> list[tuple[float, float, _Candidate]]:
    """(score, text rank, candidate), best first: the text rank scaled so that the best
    textual match among the candidates scores TEXT_WEIGHT (bm25 and ts_rank have different
    scales; this keeps the order alike on both databases), plus the flags."""
    best = max((ranks.get(c.pk, 0.0) for c in candidates), default=0.0)
    reference = appeal.reference_document.strip().upper()
    scored = []
    for c in candidates:
        text = ranks.get(c.pk, 0.0)
        score = (TEXT_WEIGHT * text / best if best > 0 else 0.0) + sum(
            weight
            for same, weight in (
                (
                    bool(reference) and c.reference_document.strip().upper() == reference,
                    REFERENCE_WEIGHT,
                ),
                (c.organization_id == appeal.organization_id, ORGANIZATION_WEIGHT),
                (c.service_type == appeal.service_type, SERVICE_WEIGHT),
            )
            if same
        )
        scored.append((score, text, c))
    scored.sort(
        key=lambda t: (t[0], t[2].closed_at or datetime.min.replace(tzinfo=UTC), t[2].pk),
        reverse=True,
    )
    return scored


def _reasons(appeal: Appeal, other: Appeal, text: float) -> tuple[str, ...]:
    reasons = []
    if text > 0:
        reasons.append(N_("kata yang sama dalam alasan"))
    ref = appeal.reference_document.strip().lower()
    if ref and other.reference_document.strip().lower() == ref:
        reasons.append(N_("dokumen acuan sama"))
    if other.organization_id == appeal.organization_id:
        reasons.append(N_("pelanggan sama"))
    if other.service_type == appeal.service_type:
        reasons.append(N_("jenis layanan sama"))
    return tuple(reasons)


def _ids(appeals: QuerySet[Appeal]) -> list[int]:
    """At most OTHER_CANDIDATES ids of `appeals` (one query answered by an index)."""
    return list(appeals.values_list("pk", flat=True)[:OTHER_CANDIDATES])


def similar_to(appeal: Appeal, *, limit: int = LIMIT) -> list[Similar]:
    """At most `limit` closed appeals most like `appeal`, in at most five queries whatever the
    size of the history: the text matches ranked by the engine (bounded, see _text_ranks);
    the latest OTHER_CANDIDATES appeals of the same customer and of the same reference
    document; those candidates' few columns, fetched by primary key and scored here; the best
    ones' rows. (An OR of the three kinds in one query makes PostgreSQL scan the whole table.)
    Which candidates are closed is checked on the rows found, not across the whole history."""
    ranks = _text_ranks(terms(appeal.grounds))
    ids = {*ranks}
    ids.update(
        _ids(
            Appeal.objects.filter(organization_id=appeal.organization_id).order_by(
                "-created_at", "-id"
            )
        )
    )
    reference = appeal.reference_document.strip()
    if reference:
        # iexact is UPPER(x) = UPPER(y) on both databases: the expression index of migration
        # appeals 0002_search. A reference document is rarely shared by many appeals; the bound is a
        # safeguard, taken in no particular order so that the index alone answers it.
        ids.update(_ids(Appeal.objects.filter(reference_document__iexact=reference).order_by()))
    ids.discard(appeal.pk)
    # Only the service type in common is too weak to call an appeal similar.
    columns = (
        Appeal.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk", "reference_document", "organization_id", "service_type", "closed_at", "status"
        )
    )
    candidates = [
        _Candidate(pk, reference, organization_id, service_type, closed_at)
        for pk, reference, organization_id, service_type, closed_at, status in columns
        if status in CLOSED
    ]
    best = _scored(appeal, candidates, ranks)[:limit]
    rows = Appeal.objects.select_related("organization").in_bulk([c.pk for _, _, c in best])
    return [
        Similar(
            appeal=rows[c.pk],
            score=round(score, 3),
            reasons=_reasons(appeal, rows[c.pk], text),
        )
        for score, text, c in best
    ]
