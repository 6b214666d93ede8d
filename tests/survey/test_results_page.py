"""/survei/: the survey's results per period, and their CSV, for the lead, the head,
auditors and administrators."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.state import persona
from tests.survey.conftest import answer, rejected

URL = "/survei/"
REFUSAL = (
    "Hasil Survei Kepuasan Masyarakat dibuka oleh Kepala Balai, Ketua Tim PJTK, auditor dan "
    "administrator."
)


def test_the_route_is_named():
    assert reverse("survey:results") == URL
    assert reverse("survey:csv") == "/survei/unduh.csv"


@pytest.mark.parametrize("who", ["lead", "head", "auditor", "admin"])
def test_readers_of_the_results_open_the_page(client, p, who):
    client.force_login(persona(p, who))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Survei Kepuasan Masyarakat" in body
    assert "Tahun 2026" in body  # this year by default
    assert "Belum ada jawaban survei pada periode ini." in body
    assert f'href="{URL}"' in body  # the navbar link


@pytest.mark.parametrize("who", ["staff", "tech", "panel_1"])
def test_other_staff_are_refused_with_the_reason(client, p, who):
    client.force_login(persona(p, who))
    for url in (URL, reverse("survey:csv")):
        response = client.get(url)
        assert response.status_code == 403
        assert REFUSAL in response.content.decode()
    assert f'href="{URL}"' not in client.get(reverse("appeals:inbox")).content.decode()


def test_customers_are_refused_and_anonymous_users_sent_to_log_in(client, p):
    client.force_login(p.customer)
    assert client.get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_index_its_grade_and_the_comments(client, p):
    answer(p, rejected(p), 4)
    answer(p, rejected(p), 3)
    answer(p, rejected(p), 2, 3, 4, 1, 2, 3, 4, 1, 2, comment="Biaya perlu dijelaskan.")
    client.force_login(p.head)

    response = client.get(URL, {"jenis": "triwulan", "tahun": "2026", "triwulan": "1"})

    body = response.content.decode()
    assert "Triwulan I 2026" in body
    assert "78,70" in body
    assert "Baik" in body
    assert "U4 Biaya/tarif" in body and "2,667" in body and "66,67" in body
    assert "Biaya perlu dijelaskan." in body
    results = response.context["results"]
    assert (results.respondents, results.quality.grade) == (3, "B")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"jenis": "triwulan", "tahun": "2026"}, "Pilih triwulan."),
        ({"jenis": "bulan", "tahun": "2026"}, "Pilih bulan."),
        ({"jenis": "tahun", "tahun": ""}, "Tahun wajib diisi."),
        ({"jenis": "tahun", "tahun": "1999"}, "Tahun paling awal 2000."),
        ({"jenis": "rentang", "dari": "2026-03-01"}, "Isi tanggal awal dan akhir rentang."),
        (
            {"jenis": "rentang", "dari": "2026-03-10", "sampai": "2026-03-01"},
            "Tanggal akhir tidak boleh sebelum tanggal awal.",
        ),
    ],
)
def test_an_incomplete_period_is_said_in_indonesian(client, p, query, message):
    client.force_login(p.lead)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "results" not in response.context


def test_a_month_and_a_date_range_may_be_chosen(client, p):
    answer(p, rejected(p), 4)
    client.force_login(p.auditor)
    month = client.get(URL, {"jenis": "bulan", "tahun": "2026", "bulan": "3"})
    assert month.context["results"].respondents == 1
    assert "Maret 2026" in month.content.decode()
    other = client.get(URL, {"jenis": "rentang", "dari": "2026-04-01", "sampai": "2026-04-30"})
    assert other.context["results"].respondents == 0


def test_the_page_costs_the_same_queries_however_many_answers(
    client, p, django_assert_max_num_queries
):
    answer(p, rejected(p), 4, comment="Satu.")
    client.force_login(p.head)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(5):
        answer(p, rejected(p), 1 + i % 4, comment=f"Komentar {i}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.context["results"].respondents == 6


def test_the_csv_holds_every_answer_of_the_period(client, p):
    first = rejected(p)
    answer(p, first, 4, 3, 3, 4, 3, 4, 4, 2, 3, comment='=HYPERLINK("http://x")')
    client.force_login(p.lead)

    response = client.get(reverse("survey:csv"), {"jenis": "tahun", "tahun": "2026"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="survei-kepuasan-20260101-20261231.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Nomor register", "Diisi (WIB)", "U1 Persyaratan"]
    assert rows[0][-1] == "Saran dan komentar"
    # A comment that looks like a formula is kept as text for spreadsheet programs.
    assert rows[1] == [
        first.number,
        "2026-03-10 09:00",
        *"433434423",
        '\'=HYPERLINK("http://x")',
    ]
    assert len(rows) == 2


def test_the_csv_of_an_invalid_period_is_refused(client, p):
    client.force_login(p.lead)
    response = client.get(reverse("survey:csv"), {"jenis": "bulan", "tahun": "2026"})
    assert response.status_code == 400
