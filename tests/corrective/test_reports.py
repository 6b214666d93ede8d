"""Corrective actions in the management review (by status, with counts) and in the evidence
pack (their record)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banding.archive.records import record_files
from banding.corrective import services
from banding.reports.review import review
from banding.workdays.periods import Period
from tests.corrective.conftest import add


def this_semester() -> Period:
    today = timezone.localdate()
    return Period.semester(today.year, 1 if today.month <= 6 else 2)


def test_the_review_counts_the_periods_actions_by_status(p, decided):
    first = add(p, decided)
    add(p, decided)
    services.corrective_complete(action=first, user=p.tech, note="Selesai.")
    follow = review(this_semester()).follow_up
    counts = {c.status: c.count for c in follow.counts}
    assert counts == {"terbuka": 1, "selesai": 1, "efektif": 0, "tidak_efektif": 0}
    assert follow.total == 2 and follow.overdue == 0
    assert [a.status for a in follow.actions] == ["terbuka", "selesai"]


def test_the_review_costs_the_same_queries_however_many_actions(p, decided):
    add(p, decided)
    review(this_semester())  # the first freezes the finished months (banding.reports.rollups)
    with CaptureQueriesContext(connection) as few:
        review(this_semester())
    for _ in range(6):
        add(p, decided)
    with CaptureQueriesContext(connection) as many:
        review(this_semester())
    assert len(many) == len(few)


def test_the_review_page_shows_the_follow_up(client, p, decided):
    add(p, decided)
    client.force_login(p.head)
    body = client.get("/laporan/tinjauan/").content.decode()
    assert "Tindak lanjut tindakan perbaikan" in body
    assert "Kalibrasi ulang neraca" in body


def test_the_evidence_pack_has_a_record_of_the_actions(p, decided, monkeypatch):
    from banding.archive import records

    rendered = {}

    def fake(template, context):
        rendered[template] = context
        return b"%PDF"

    monkeypatch.setattr(records, "render_pdf", fake)
    names = [f.arcname for f in record_files(decided, [])]
    assert "rekaman/12-tindakan-perbaikan.pdf" not in names
    add(p, decided)
    names = [f.arcname for f in record_files(decided, [])]
    assert "rekaman/12-tindakan-perbaikan.pdf" in names
    assert len(rendered["archive/records/tindakan_perbaikan.html"]["actions"]) == 1
