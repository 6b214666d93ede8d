"""The buku agenda's text search: a case-insensitive substring of the register number, the
complaint reference, the reference document or the customer's name, found through the
trigram index of migration appeals 0002_search (SQLite FTS5, PostgreSQL pg_trgm) and, for a
text shorter than a trigram or (SQLite) a very common one, by the scan; newest first either
way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import selectors
from banding.appeals.models import Appeal
from tests.factories import register


@pytest.fixture
def appeals(p):
    first = register(p, complaint_reference="KEL/2026/017", reference_document="LHU-2026-0456")
    second = register(
        p,
        organization=p.org_other,
        complaint_reference="KEL/2026/355",
        reference_document='SK "Kalibrasi" 50%_X',
    )
    third = register(p, complaint_reference="ADU-88", reference_document="LHU-2025-0999")
    return first, second, third


def found(client, q: str) -> list[str]:
    response = client.get(reverse("appeals:register"), {"q": q})
    assert response.status_code == 200
    return [a.number for a in response.context["page"].object_list]


def numbers(*appeals: Appeal) -> list[str]:
    return [a.number for a in appeals]


@pytest.fixture
def staff(client, p):
    client.force_login(p.staff)
    return client


def test_it_finds_by_a_part_of_the_register_number(staff, appeals):
    first, second, third = appeals
    assert found(staff, second.number) == numbers(second)
    assert found(staff, "bdg/2026/000") == numbers(third, second, first)  # newest first


def test_it_finds_by_a_part_of_the_complaint_reference_whatever_the_case(staff, appeals):
    first, second, _ = appeals
    assert found(staff, "kel/2026") == numbers(second, first)
    assert found(staff, "2026/35") == numbers(second)


def test_it_finds_by_a_part_of_the_reference_document_whatever_the_case(staff, appeals):
    first, _, third = appeals
    assert found(staff, "lhu-20") == numbers(third, first)
    assert found(staff, "0999") == numbers(third)


def test_it_finds_by_a_part_of_the_customers_name(staff, appeals):
    first, second, third = appeals
    assert found(staff, "farmasi sej") == numbers(second)
    assert found(staff, "KIMIA") == numbers(third, first)
    assert found(staff, "PT ") == numbers(third, second, first)


def test_many_customers_named_like_the_text_are_matched_by_a_subquery_alike(
    staff, appeals, monkeypatch
):
    first, second, third = appeals
    listed = found(staff, "PT ")
    monkeypatch.setattr(selectors, "LISTED_ORGANIZATIONS", 1)  # two customers match "PT "
    assert found(staff, "PT ") == listed == numbers(third, second, first)
    assert found(staff, "farmasi sej") == numbers(second)  # one: still the list


def test_quotes_and_like_wildcards_are_plain_text(staff, appeals):
    _, second, _ = appeals
    assert found(staff, '"kalibrasi"') == numbers(second)
    assert found(staff, "50%_x") == numbers(second)
    assert found(staff, "0%") == numbers(second)  # not "0 followed by anything"
    assert found(staff, '"') == numbers(second)


def test_texts_shorter_than_a_trigram_are_found_by_the_scan(staff, appeals):
    first, second, third = appeals
    assert found(staff, "88") == numbers(third)
    assert found(staff, "k") == numbers(third, second, first)  # KEL, Kimia, Kalibrasi
    assert found(staff, "du") == numbers(third)  # ADU-88
    assert found(staff, "zz") == []


def test_nothing_matches_a_text_found_nowhere(staff, appeals):
    assert found(staff, "tidak ada di mana pun") == []


def test_a_changed_reference_is_found_by_its_new_text_and_no_longer_by_the_old(staff, appeals):
    first, second, _ = appeals
    Appeal.objects.filter(pk=first.pk).update(complaint_reference="KEL/2026/900")
    second.reference_document = "BARU-77-XYZ"
    second.save(update_fields=["reference_document"])
    assert found(staff, "2026/900") == numbers(first)
    assert found(staff, "2026/017") == []
    assert found(staff, "baru-77") == numbers(second)
    assert found(staff, "kalibrasi") == []


def _fts_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "appeals_appeal_register_fts" in q["sql"]]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_leaves_a_very_common_text_to_the_scan_with_the_same_answer(
    staff, appeals, monkeypatch
):
    first, second, _ = appeals
    with CaptureQueriesContext(connection) as captured:
        indexed = found(staff, "kel/")
    assert len(_fts_queries(captured)) == 3  # how common, then the count and the page
    monkeypatch.setattr(selectors, "COMMON_TEXT", 1)
    with CaptureQueriesContext(connection) as captured:
        scanned = found(staff, "kel/")
    assert len(_fts_queries(captured)) == 1  # how common only
    assert scanned == indexed == numbers(second, first)


def test_the_register_with_a_search_costs_the_same_queries_with_5_and_50_appeals(staff, p):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert found(staff, "kel/2026") is not None
        return len(captured)

    for _ in range(5):
        register(p)
    few = queries()
    for _ in range(45):
        register(p)
    assert queries() == few
    # The page's six, the organisations named like it, and on SQLite how common the text is.
    assert few == (8 if connection.vendor == "sqlite" else 7)


def test_a_customer_searches_only_its_own_appeals(p, appeals):
    first, _, third = appeals
    mine = selectors.register(p.customer, selectors.RegisterFilters(q="KEL/2026"))
    assert list(mine) == [first]
    everyone = selectors.register(p.customer, selectors.RegisterFilters(q="lhu-20"))
    assert list(everyone) == [third, first]
    assert not selectors.register(p.customer_other, selectors.RegisterFilters(q="lhu-20"))


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_keeps_the_search_triggers_after_every_migration(db):
    # A later migration that rebuilds appeals_appeal on SQLite drops them (see appeals 0002_search).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appeals_appeal'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names >= {
        "appeals_appeal_register_fts_insert",
        "appeals_appeal_register_fts_delete",
        "appeals_appeal_register_fts_update",
    }


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_the_search_table_holds_what_the_appeals_hold(appeals):
    from tests.bench.bulk.test_register_search import search_table_matches_the_appeals

    Appeal.objects.filter(pk=appeals[0].pk).update(number="BDG/2026/9999")
    search_table_matches_the_appeals()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_has_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "appeals_appeal")
    for name in (
        "appeal_number_trgm",
        "appeal_complaint_reference_trgm",
        "appeal_reference_document_trgm",
    ):
        assert constraints[name]["type"] == "gin"
