"""/banding/unduh.csv and /banding/unduh.xlsx: the buku agenda banding as a file, with the
register page's filters, an audit event, and a query count that does not grow with the rows."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from banding.appeals import services
from banding.appeals.exports import COLUMNS
from banding.appeals.models import Channel, ServiceType
from banding.audit.models import Event
from banding.sop import definition as sop
from tests.api.conftest import api  # noqa: F401  (the API callers fixture, shared)
from tests.factories import register, similar_confirmed, walk
from tests.state import persona

WIB = ZoneInfo("Asia/Jakarta")
CSV_URL = "/banding/unduh.csv"
XLSX_URL = "/banding/unduh.xlsx"
HEADER = [
    "Nomor",
    "Diterima (WIB)",
    "Pelanggan",
    "Narahubung",
    "Saluran",
    "Jenis layanan",
    "Nomor keluhan",
    "Status",
    "Langkah saat ini",
    "Pelaksana",
    "Tenggat (WIB)",
    "Terlambat?",
    "Keputusan",
    "Ditutup (WIB)",
]


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def wall(*parts: int) -> datetime:
    """A WIB wall-clock time as the spreadsheet holds it (spreadsheets have no zones)."""
    return wib(*parts).replace(tzinfo=None)


@pytest.fixture
def clock(time_machine):
    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    return move


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def appeals(p, clock):
    """An open appeal at step 3 overdue since Tuesday, a closed one (diterima sebagian), and
    a kalibrasi appeal of the other customer whose grounds start with '='."""
    clock(wib(2026, 7, 6, 9, 0))
    late = register(p, received_at=wib(2026, 7, 6, 8, 30))
    done = walk(p, register(p, received_at=wib(2026, 7, 6, 8, 45)), 13)
    clock(wib(2026, 7, 9, 10, 0))
    other = register(
        p,
        organization=p.org_other,
        contact_name='=HYPERLINK("http://x")',
        service_type=ServiceType.CALIBRATION,
        channel=Channel.COURIER,
        received_at=wib(2026, 7, 9, 9, 0),
    )
    return late, done, other


def test_the_routes_are_named():
    assert reverse("appeals:register_export", args=["csv"]) == CSV_URL
    assert reverse("appeals:register_export", args=["xlsx"]) == XLSX_URL


def test_it_exports_the_register_as_csv(client, p, appeals):
    late, done, other = appeals
    client.force_login(p.staff)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="buku-agenda-banding-20260709.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == HEADER
    by_number = {r[0]: r for r in rows[1:]}
    assert len(by_number) == 3
    assert by_number[late.number] == [
        late.number,
        "2026-07-06 08:30",
        "PT Kimia Nusantara",
        "Budi Santoso",
        "Email",
        "Pengujian",
        "KEL/2026/017",
        "Berjalan",
        "3. Verifikasi kelengkapan dan relevansi",
        "Ketua Tim PJTK",
        "2026-07-07 09:00",
        "Ya",
        "",
        "",
    ]
    closed = by_number[done.number]
    assert closed[7:] == ["Selesai", "", "", "", "Tidak", "Diterima sebagian", "2026-07-06 09:00"]
    # A cell that a spreadsheet would run as a formula is written as text.
    assert by_number[other.number][3] == '\'=HYPERLINK("http://x")'
    assert by_number[other.number][11] == "Tidak"


def test_it_exports_the_register_as_xlsx_with_real_dates(client, p, appeals):
    late, done, other = appeals
    client.force_login(p.lead)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Buku agenda banding"
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["C"].width == COLUMNS[2][1]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[late.number][1] == wall(2026, 7, 6, 8, 30)
    assert rows[late.number][10] == wall(2026, 7, 7, 9, 0)
    assert rows[done.number][13] == wall(2026, 7, 6, 9, 0)
    assert rows[other.number][3] == '=HYPERLINK("http://x")'
    cell = next(c for c in sheet["D"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"  # text, not a formula


def test_it_honours_the_register_filters(client, p, appeals):
    late, done, other = appeals
    client.force_login(p.staff)
    numbers = lambda query: [r[0] for r in read_csv(client.get(CSV_URL, query))[1:]]  # noqa: E731
    assert numbers({"status": "open"}) == [other.number, late.number]
    assert numbers({"service_type": "kalibrasi"}) == [other.number]
    assert numbers({"deadline": "overdue"}) == [late.number]
    assert numbers({"q": "Farmasi"}) == [other.number]
    assert numbers({"received_from": "2026-07-07"}) == [other.number]
    assert numbers({"step": "3", "status": "salah"}) == [other.number, late.number]
    xlsx = client.get(XLSX_URL, {"status": "closed"})
    assert [r[0] for r in read_xlsx(xlsx)[1:]] == [done.number]


def test_each_export_is_an_audit_event_with_its_filters(client, p, appeals):
    client.force_login(p.auditor)
    client.get(XLSX_URL, {"status": "open", "received_from": "2026-07-01", "page": "2"})
    event = Event.objects.get(action="register.exported")
    assert event.actor == p.auditor and event.appeal is None
    assert event.summary == "Buku agenda banding diunduh (XLSX)"
    assert event.data == {
        "format": "xlsx",
        "filters": {"status": "open", "received_from": "2026-07-01"},
    }


def test_the_register_page_links_to_both_files_with_its_filters(client, p, appeals):
    client.force_login(p.staff)
    body = client.get(reverse("appeals:register"), {"status": "open", "page": "1"}).content
    body = body.decode()
    assert f'href="{XLSX_URL}?status=open"' in body
    assert f'href="{CSV_URL}?status=open"' in body


@pytest.mark.parametrize("who", ["staff", "lead", "head", "tech", "auditor", "admin"])
def test_staff_may_export(client, p, who):
    client.force_login(persona(p, who))
    assert client.get(CSV_URL).status_code == 200


def test_customers_are_refused_and_nothing_is_recorded(client, p, appeals):
    client.force_login(p.customer)
    for url in (CSV_URL, XLSX_URL):
        response = client.get(url)
        assert response.status_code == 403
        assert "Halaman ini khusus pegawai Balai." in response.content.decode()
    client.logout()
    assert client.get(CSV_URL).status_code == 302
    assert not Event.objects.filter(action="register.exported").exists()


def test_the_service_refuses_a_customer(p):
    from banding.appeals.exports import register_export
    from banding.appeals.selectors import RegisterFilters
    from banding.errors import Forbidden

    with pytest.raises(Forbidden) as refused:
        register_export(user=p.customer, filters=RegisterFilters(), file_format="csv")
    assert refused.value.message == "Buku agenda banding hanya dapat diunduh pegawai Balai."


def test_an_unknown_format_is_not_found(client, p):
    client.force_login(p.staff)
    assert client.get("/banding/unduh.pdf").status_code == 404


def _more(p, count: int) -> None:
    for i in range(count):
        appeal = register(p, service_type=list(ServiceType)[i % 3])
        if i % 2:
            services.appeal_verify(
                appeal=appeal,
                **similar_confirmed(appeal),
                user=p.lead,
                checklist=dict.fromkeys(sop.step(3).checklist, True),
                relevant=True,
                reasons="Relevan.",
                technical_team=p.team_a,
            )


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_query_count_does_not_grow_with_the_rows(client, p, clock, url):
    clock(wib(2026, 7, 6, 9, 0))
    client.force_login(p.staff)
    _more(p, 10)

    def fetch() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            rows = read_csv(response) if url == CSV_URL else read_xlsx(response)
        return len(queries), len(rows) - 1

    fetch()  # the session and the roles are read once
    few, rows_few = fetch()
    _more(p, 190)
    many, rows_many = fetch()
    assert (rows_few, rows_many) == (10, 200)
    assert few == many


def test_the_api_exports_with_the_lists_filters(api, p, appeals):  # noqa: F811
    late, _, other = appeals
    caller = api(p.auditor)
    response = caller.get("/appeals/export", {"format": "csv", "status": "open"})
    assert response.status_code == 200
    assert [r[0] for r in read_csv(response)[1:]] == [other.number, late.number]
    xlsx = caller.get("/appeals/export", {"format": "xlsx", "service_type": "kalibrasi"})
    assert [r[0] for r in read_xlsx(xlsx)[1:]] == [other.number]
    assert Event.objects.filter(action="register.exported", actor=p.auditor).count() == 2


def test_the_api_refuses_customers_and_unknown_formats(api, p, appeals):  # noqa: F811
    refused = api(p.customer).get("/appeals/export")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Buku agenda banding hanya dapat diunduh pegawai Balai."
    wrong = api(p.staff).get("/appeals/export", {"format": "pdf"})
    assert wrong.status_code == 400
    message = "Nilai tidak dikenal; pilihan: 'csv' atau 'xlsx'."
    assert wrong.json()["fields"] == {"format": [message]}
    assert api().get("/appeals/export").status_code == 401
