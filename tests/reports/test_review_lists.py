"""The management review at a size a meeting can use: the summary with the trends, the latest
50 of each growing list and a link to the whole list; the whole lists paged and as CSV/XLSX
files, for the review's readers only; the PDF says how many more there are and where.

The rows are written straight into the tables (an approval of step 10 with its remedy, a
corrective action with its status): the lists read only those columns, and the real services
would take minutes for a few hundred rows."""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from banding.appeals.models import Appeal, Decision, Step
from banding.audit.actions import Action
from banding.audit.models import Event
from banding.corrective.models import CorrectiveAction, Status
from banding.reports.review import review
from banding.sop import definition as sop
from banding.sop.definition import Result
from banding.workdays.periods import Period
from tests.factories import Personas, register

WIB = ZoneInfo("Asia/Jakarta")
PERIOD = Period.semester(2026, 1)
QUERY = {"jenis": "semester", "tahun": "2026", "semester": "1"}
URL = "/laporan/tinjauan/"
DECIDED = URL + "tindakan/"
FOLLOW_UP = URL + "tindak-lanjut/"
REFUSAL = (
    "Masukan tinjauan manajemen dibuka oleh Kepala Balai, Ketua Tim PJTK, auditor dan "
    "administrator."
)


@pytest.fixture
def base(p: Personas, time_machine) -> Appeal:
    time_machine.move_to(datetime(2026, 7, 6, 9, 0, tzinfo=WIB), tick=False)  # both periods over
    return register(p)


def decided(base: Appeal, n: int, first: datetime, prefix: str = "D") -> list[Appeal]:
    """n appeals approved (step 10) with a corrective action, an hour apart from `first`."""
    actor = Step.objects.filter(appeal=base).values_list("actor", flat=True).first()
    made = []
    for i in range(n):
        appeal = Appeal.objects.get(pk=base.pk)
        appeal.pk = None
        appeal.public_id = uuid.uuid4()
        appeal.number = f"{prefix}/{first:%Y%m}/{i:04d}"
        appeal.sequence = next(SEQUENCE)
        appeal.decision = Decision.ACCEPTED
        appeal.decision_remedy = f"Tindakan {prefix} {i:04d}"
        appeal.save(force_insert=True)
        at = first + timedelta(hours=i)
        Step.objects.create(
            appeal=appeal,
            number=sop.step_of(Result.APPROVED),
            actor=actor,
            started_at=at - timedelta(minutes=30),
            completed_at=at,
            outcome=Result.APPROVED,
            working_minutes=30,
            within_standard=True,
        )
        made.append(appeal)
    return made


def actions(p: Personas, base: Appeal, statuses: dict[str, int], first: datetime) -> None:
    """Corrective actions added an hour apart from `first`: so many of each status; the open
    ones due a week after they were added (so, now, past due)."""
    rows, i = [], 0
    for status, n in statuses.items():
        for _ in range(n):
            at = first + timedelta(hours=i)
            rows.append(
                CorrectiveAction(
                    appeal=base,
                    description=f"Tindak lanjut {i:04d}",
                    owner=p.tech,
                    due_at=at + timedelta(days=7),
                    remind_at=at + timedelta(days=5),
                    status=status,
                    created_by=p.lead,
                    created_at=at,
                )
            )
            i += 1
    CorrectiveAction.objects.bulk_create(rows)


SEQUENCE = itertools.count(1000)  # (year, sequence) is unique; the register numbers from 1
JAN = datetime(2026, 1, 5, 8, 0, tzinfo=WIB)
JUL_BEFORE = datetime(2025, 7, 7, 8, 0, tzinfo=WIB)


@pytest.fixture
def many(p, base):
    decided(base, 120, JAN)
    decided(base, 7, JUL_BEFORE, prefix="P")
    actions(p, base, {Status.OPEN: 40, Status.DONE: 20}, JAN)
    actions(p, base, {Status.OPEN: 2, Status.EFFECTIVE: 1}, JUL_BEFORE)
    return base


def rows_of(body: str, marker: str) -> int:
    return body.count(marker)


# --- the summary ----------------------------------------------------------------------------


def test_the_review_lists_the_latest_50_and_counts_them_all(many):
    r = review(PERIOD)
    assert r.corrective_total == 120 and r.corrective_more == 70
    assert [a.remedy for a in r.corrective_actions] == [
        f"Tindakan D {i:04d}" for i in range(119, 69, -1)
    ]
    assert r.follow_up.total == 60 and r.follow_up.shown == 50 and r.follow_up.more == 10
    assert r.follow_up.actions[0].description == "Tindak lanjut 0059"


def test_the_trends_compare_both_periods_counted_the_same_way(many):
    r = review(PERIOD)
    decided_figure = r.outcomes[-1]
    assert (decided_figure.current, decided_figure.previous) == (120, 7)
    assert decided_figure.difference_text == "+113" and decided_figure.trend == "naik"
    follow = [(f.label, f.current, f.previous, f.difference_text) for f in r.follow_up_figures]
    assert follow == [
        ("Terbuka", 40, 2, "+38"),
        ("Selesai, menunggu verifikasi keefektifan", 20, 0, "+20"),
        ("Efektif", 0, 1, "−1"),
        ("Tidak efektif (ditindaklanjuti)", 0, 0, "0"),
        ("Terlambat (terbuka melewati tenggat)", 40, 2, "+38"),
        ("Jumlah", 60, 3, "+57"),
    ]
    # The period before, reviewed on its own, gives the same figures as "previous" here.
    before = review(PERIOD.previous())
    assert [f.current for f in before.follow_up_figures] == [
        f.previous for f in r.follow_up_figures
    ]
    assert before.corrective_total == 7


def test_the_page_shows_50_rows_and_links_the_whole_lists(client, p, many):
    client.force_login(p.head)
    body = client.get(URL, QUERY).content.decode()
    assert rows_of(body, "Tindakan D ") == 50
    assert "Tindakan D 0119" in body and "Tindakan D 0069" not in body
    assert rows_of(body, "Tindak lanjut 00") == 50
    assert "Lihat semua (120)" in body and "Lihat semua (60)" in body
    assert 'href="/laporan/tinjauan/tindakan/?jenis=semester&amp;tahun=2026&amp;semester=1"' in body
    assert "50 terbaru dari 120 ditampilkan di sini" in body
    assert "+38" in body and "+113" in body


def test_the_page_does_not_grow_with_the_lists(client, p, many):
    client.force_login(p.head)
    before = len(client.get(URL, QUERY).content)
    decided(many, 200, JAN + timedelta(days=30), prefix="E")
    actions(p, many, {Status.OPEN: 200}, JAN + timedelta(days=30))
    after = len(client.get(URL, QUERY).content)
    # Only digits change (counts); listing 570 rows in full would add some 100 KB.
    assert abs(after - before) < 2_000
    assert after < 120_000


def test_the_page_and_the_report_keep_their_query_counts(client, p, many):
    client.force_login(p.head)

    def count(path: str, query: dict) -> int:
        # The first read freezes the finished months (banding.reports.rollups).
        assert client.get(path, query).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, query).status_code == 200
        return len(captured)

    small = [count(URL, QUERY), count(DECIDED, QUERY), count(FOLLOW_UP, QUERY)]
    decided(many, 80, JAN + timedelta(days=30), prefix="E")
    actions(p, many, {Status.DONE: 80}, JAN + timedelta(days=30))
    large = [count(URL, QUERY), count(DECIDED, QUERY), count(FOLLOW_UP, QUERY)]
    page_7 = [count(DECIDED, {**QUERY, "page": 7}), count(FOLLOW_UP, {**QUERY, "page": 5})]
    assert small == large and page_7 == large[1:]
    # The lists: the session and user, then the count and the page's rows.
    assert large[1:] == [small[1]] * 2
    with CaptureQueriesContext(connection) as captured:
        review(PERIOD)
    assert len(captured) == 15  # as tests/reports/test_review.py counts them


# --- the whole lists ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "lead", "auditor", "admin"])
def test_the_list_is_paged_for_the_reviews_readers(client, p, many, who):
    client.force_login(getattr(p, who))
    body = client.get(DECIDED, {**QUERY, "page": 2}).content.decode()
    assert rows_of(body, "Tindakan D ") == 25
    assert "Tindakan D 0094" in body and "Tindakan D 0070" in body
    assert "Tindakan D 0095" not in body and "Tindakan D 0069" not in body
    assert "Halaman 2 dari 5" in body and "120 baris" in body
    assert "page=3" in body and "semester=1" in body  # the next page keeps the period
    assert "/laporan/tinjauan/tindakan/unduh.xlsx?jenis=semester" in body
    assert "/laporan/tinjauan/tindakan/unduh.csv?jenis=semester" in body
    assert "/banding/" in body  # the numbers link their appeals


def test_the_follow_up_list_is_paged(client, p, many):
    client.force_login(p.lead)
    body = client.get(FOLLOW_UP, {**QUERY, "page": 3}).content.decode()
    assert rows_of(body, "Tindak lanjut 00") == 10
    assert "Tindak lanjut 0009" in body and "Tindak lanjut 0010" not in body
    assert "Halaman 3 dari 3" in body and "60 baris" in body


def test_the_csv_has_every_row_latest_first(client, p, many):
    client.force_login(p.auditor)
    response = client.get(DECIDED + "unduh.csv", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="tinjauan-tindakan-20260101-20260630.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0] == [
        "Nomor register",
        "Keputusan",
        "Tindakan perbaikan/pemulihan",
        "Disetujui (WIB)",
    ]
    assert len(lines) == 121
    assert lines[1] == ["D/202601/0119", "Diterima", "Tindakan D 0119", "2026-01-10 07:00"]
    assert lines[-1][0] == "D/202601/0000"
    # The download is on the record: who, which list, which period, which format.
    event = Event.objects.get(action=Action.REVIEW_LIST_EXPORTED)
    assert event.actor == p.auditor and event.appeal is None
    assert event.data == {
        "list": "tindakan",
        "format": "csv",
        "start": "2026-01-01",
        "end": "2026-06-30",
    }


def test_the_xlsx_has_every_row_with_real_dates(client, p, many):
    client.force_login(p.head)
    response = client.get(FOLLOW_UP + "unduh.xlsx", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "tinjauan-tindak-lanjut-20260101-20260630.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Ditambahkan (WIB)",
        "Status",
        "Nomor register",
        "Tindakan",
        "Penanggung jawab",
        "Tenggat (WIB)",
    )
    assert len(rows) == 61
    # The 60th, 59 hours after 5 January 08:00 WIB: a WIB wall-clock time without a zone.
    assert rows[1][0] == (JAN + timedelta(hours=59)).replace(tzinfo=None)
    assert rows[1][1:4] == (
        "Selesai, menunggu verifikasi keefektifan",
        many.number,
        "Tindak lanjut 0059",
    )
    assert rows[-1][1] == "Terbuka"


@pytest.mark.parametrize(
    "path", [DECIDED, FOLLOW_UP, DECIDED + "unduh.csv", FOLLOW_UP + "unduh.xlsx", URL + "x/"]
)
def test_the_lists_refuse_other_staff_as_the_review_does(client, p, path):
    client.force_login(p.staff)
    response = client.get(path, QUERY)
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    client.force_login(p.customer)
    assert client.get(path, QUERY).status_code == 403
    client.logout()
    assert client.get(path, QUERY).status_code == 302


def test_a_bad_format_or_period_is_answered_in_indonesian(client, p):
    client.force_login(p.head)
    response = client.get(DECIDED + "unduh.pdf", QUERY)
    assert response.status_code == 400
    assert "Format unduhan harus csv atau xlsx." in response.content.decode()
    response = client.get(DECIDED + "unduh.csv", {"jenis": "semester", "tahun": "2026"})
    assert response.status_code == 400
    assert "Periode tidak valid: Pilih semester." in response.content.decode()
    response = client.get(DECIDED, {"jenis": "semester", "tahun": "2026"})
    assert response.status_code == 400
    assert "Pilih semester." in response.content.decode()
    assert client.get(URL + "lainnya/", QUERY).status_code == 404


def test_the_pdf_prints_the_latest_50_and_says_where_the_rest_is(client, p, many):
    client.force_login(p.head)
    response = client.get(URL + "tinjauan.pdf", QUERY)
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Tindakan D 0119" in flat and "Tindakan D 0070" in flat
    assert "Tindakan D 0069" not in flat
    assert "50 terbaru dari 120 dicetak; 70 lainnya ada dalam daftar lengkap" in flat
    assert "50 terbaru dari 60 dicetak; 10 lainnya" in flat
    assert "/laporan/tinjauan/tindakan/?jenis=semester" in flat.replace(" ", "")
