"""The buku agenda's search index (migration appeals 0002_search) over appeals written by
seed-bulk's raw inserts: SQLite's FTS5 table is filled by its triggers, PostgreSQL's trigram
indexes by the COPY itself; either way the search answers what a scan of the appeals
answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from banding.accounts.models import CustomerOrganization, User
from banding.appeals import selectors
from banding.appeals.models import Appeal
from banding.appeals.selectors import RegisterFilters
from bench.bulk.load import seed_bulk


def _scanned(q: str) -> list[int]:
    """The search's meaning, as a plain scan of every appeal."""
    names = CustomerOrganization.objects.filter(name__icontains=q)
    return list(
        Appeal.objects.filter(
            Q(number__icontains=q)
            | Q(complaint_reference__icontains=q)
            | Q(reference_document__icontains=q)
            | Q(organization__in=names)
        )
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )


def search_table_matches_the_appeals() -> None:
    """SQLite: the FTS5 table of migration appeals 0002_search holds each appeal's three
    columns under its id, no more, no less."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, number, complaint_reference, reference_document "
            "FROM appeals_appeal_register_fts ORDER BY rowid"
        )
        indexed = cursor.fetchall()
    assert indexed == list(
        Appeal.objects.order_by("pk").values_list(
            "pk", "number", "complaint_reference", "reference_document"
        )
    )


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_search_table_follows_the_appeals(seeded):
    search_table_matches_the_appeals()


@pytest.fixture
def head(seeded):
    return User.objects.get(username="kepala")  # one of the demo accounts seed-bulk makes


def test_the_search_finds_what_a_scan_finds(seeded, head):
    appeal = Appeal.objects.select_related("organization").order_by("pk")[17]
    terms = [
        appeal.number,
        appeal.number.lower()[-6:],
        appeal.complaint_reference[2:],
        appeal.reference_document.lower(),
        appeal.organization.name.upper()[:12],
        "/20",  # in almost every appeal: SQLite leaves it to the scan
        "zz-tidak-ada",
        "1",
    ]
    for q in terms:
        found = selectors.register(head, RegisterFilters(q=q)).values_list("pk", flat=True)
        assert list(found) == _scanned(q), q
    assert appeal.pk in _scanned(appeal.complaint_reference)


def test_a_second_run_is_searchable_too(seeded, now, head):
    seed_bulk(appeals=20, seed=8, now=now)
    newest = Appeal.objects.order_by("-pk").first()
    found = selectors.register(head, RegisterFilters(q=newest.complaint_reference))
    assert newest.pk in list(found.values_list("pk", flat=True))
    assert list(found.values_list("pk", flat=True)) == _scanned(newest.complaint_reference)
    if connection.vendor == "sqlite":
        search_table_matches_the_appeals()
