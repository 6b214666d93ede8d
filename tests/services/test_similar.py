"""Similar earlier appeals: full-text search (SQLite FTS5 / PostgreSQL) combined with the same
reference document, customer and service type, in at most five queries."""

from __future__ import annotations

import pytest
from django.db import connection

from banding.appeals import similar
from banding.appeals.models import Appeal
from banding.errors import Forbidden
from tests.factories import register, walk
from tests.similar_history import GROUNDS, build


@pytest.fixture
def h(p, time_machine):
    return build(p, time_machine)


def numbers(found: list[similar.Similar]) -> list[str]:
    return [s.appeal.number for s in found]


def test_it_drops_stop_words_short_words_numbers_and_repeats():
    assert similar.terms("Hasil uji kadar air 2026 pada sampel, tidak sesuai; hasil di LHU-7b") == [
        "hasil",
        "uji",
        "kadar",
        "air",
        "sampel",
        "lhu",
    ]


def test_it_keeps_at_most_thirty_words():
    words = " ".join(f"kata{i}" for i in range(40))
    assert len(similar.terms(words)) == similar.MAX_TERMS


def test_it_ranks_closed_appeals_by_reference_words_customer_and_service(h):
    found = similar.similar_to(h.target)

    assert numbers(found) == [
        h.same_reference.number,  # same reference + customer + service: 3 + 2 + 1
        h.same_words.number,  # the best text match (3) + same service (1)
        h.same_customer.number,  # same customer: 2
        h.rejected.number,  # one shared word, scaled against the best match: below 2
    ]
    scores = [s.score for s in found]
    assert scores[:3] == [6.0, 4.0, 2.0]
    # bm25 gives a word found in half the appeals almost nothing; ts_rank a little.
    assert 0 <= scores[3] < 2


def test_it_says_why_each_appeal_is_similar_and_how_it_ended(h):
    found = {s.appeal.pk: s for s in similar.similar_to(h.target)}

    assert found[h.same_reference.pk].reasons == (
        "dokumen acuan sama",
        "pelanggan sama",
        "jenis layanan sama",
    )
    assert found[h.same_words.pk].reasons == ("kata yang sama dalam alasan", "jenis layanan sama")
    assert found[h.same_customer.pk].reasons == ("pelanggan sama",)
    assert found[h.rejected.pk].reasons == ("kata yang sama dalam alasan",)
    assert found[h.same_words.pk].outcome == "Diterima sebagian"
    assert found[h.rejected.pk].outcome == "Ditolak tidak relevan"


def test_it_leaves_out_the_appeal_itself_open_appeals_and_service_type_alone(h):
    listed = {s.appeal.pk for s in similar.similar_to(h.target)}

    assert h.target.pk not in listed
    assert h.still_open.pk not in listed  # identical grounds, but still open
    assert h.service_only.pk not in listed


def test_an_appeal_closed_later_is_found_from_then_on(p, h):
    assert h.target.pk not in {s.appeal.pk for s in similar.similar_to(h.still_open)}
    walk(p, h.target, 13)
    assert h.target.pk in {s.appeal.pk for s in similar.similar_to(h.still_open)}


def test_the_index_follows_edited_appeals(h):
    # Rewritten grounds lose their words and gain new ones (appeals are never deleted: their
    # events protect them).
    Appeal.objects.filter(pk=h.same_words.pk).update(
        grounds="Lain sama sekali.", remedy_sought="Lain."
    )
    Appeal.objects.filter(pk=h.rejected.pk).update(grounds="Kadar air pupuk tidak sesuai.")
    found = similar.similar_to(h.target)
    assert found[1].appeal.pk == h.rejected.pk  # now the best text match
    assert h.same_words.pk not in {s.appeal.pk for s in found}


def test_it_lists_at_most_five(p, h, time_machine):
    for _ in range(4):
        walk(p, register(p, grounds=GROUNDS), 13)
    assert len(similar.similar_to(h.target)) == similar.LIMIT


def test_grounds_without_significant_words_still_find_by_reference_and_customer(p, h):
    appeal = register(p, reference_document="LHU-2026-0456", grounds="Tidak sesuai dan di atas.")
    assert numbers(similar.similar_to(appeal)) == [
        h.same_reference.number,
        h.same_customer.number,
    ]


def test_it_costs_five_queries_whatever_the_number_of_appeals(
    p, h, time_machine, django_assert_num_queries
):
    with django_assert_num_queries(5):
        similar.similar_to(h.target)
    for i in range(6):
        walk(p, register(p, grounds=f"{GROUNDS} Catatan {i}."), 13)
    with django_assert_num_queries(5):
        found = similar.similar_to(h.target)
    assert len(found) == 5


@pytest.mark.parametrize("who", ["lead", "head", "auditor"])
def test_the_verifier_head_and_auditor_may_see_them(p, h, who):
    assert similar.may_see(getattr(p, who), h.target)
    similar.require_may_see(getattr(p, who), h.target)


def test_the_appeals_panel_may_see_them_and_another_panel_member_may_not(p, h):
    appeal = walk(p, h.target, 7)
    assert similar.may_see(p.panel[0], appeal)
    assert not similar.may_see(p.panel[3], appeal)  # technical staff, not on this panel


@pytest.mark.parametrize("who", ["staff", "tech", "customer", "customer_other"])
def test_others_may_not_see_them(p, h, who):
    assert not similar.may_see(getattr(p, who), h.target)
    with pytest.raises(Forbidden) as refused:
        similar.require_may_see(getattr(p, who), h.target)
    assert refused.value.message == (
        "Banding serupa hanya dapat dilihat oleh Ketua Tim PJTK, Tim Panel Banding banding "
        "ini, Kepala Balai dan auditor."
    )


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_keeps_the_fts_triggers_after_every_migration(db):
    # A later migration that rebuilds appeals_appeal on SQLite drops them (see appeals 0002_search).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appeals_appeal'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names >= {
        "appeals_appeal_fts_insert",
        "appeals_appeal_fts_delete",
        "appeals_appeal_fts_update",
    }


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_has_the_gin_index(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "appeals_appeal")
    assert constraints["appeal_similar_text"]["type"] == "gin"
