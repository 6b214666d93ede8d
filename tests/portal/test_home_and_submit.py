"""/portal/ (the organisation's appeals) and /portal/ajukan/ (online submission)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import services
from banding.appeals.models import Appeal, ServiceType
from banding.sop import definition as sop
from tests.factories import make_user, pdf, register, walk
from tests.portal.helpers import submit
from tests.state import stored_files

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
HOME = "/portal/"
SUBMIT = "/portal/ajukan/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def form_data(**overrides) -> dict:
    values = {
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": "2026-02-20",
        "service_type": "pengujian",
        "reference_document": "LHU-2026-0456",
        "grounds": "Hasil uji tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "letter": pdf(),
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def test_the_urls_are_the_named_ones():
    assert reverse("portal:home") == HOME
    assert reverse("portal:submit") == SUBMIT


# --- /portal/ ------------------------------------------------------------------------------


def test_home_lists_the_organisations_appeals_in_customer_words(client, p):
    received = submit(p)
    closed = walk(p, register(p), 99)
    register(p, organization=p.org_other)  # another organisation's: not listed
    client.force_login(p.customer)

    response = client.get(HOME)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.appeal for r in rows] == [closed, received]
    html = response.content.decode()
    assert ">Diterima</span>" in html
    assert "Berikutnya: <strong>Diverifikasi</strong>, perkiraan 3 Maret 2026" in html
    assert "Selesai, ditutup 2 Maret 2026" in html
    assert "KEL/2026/017" in html
    assert reverse("portal:appeal", args=[received.public_id]) in html
    assert "PT Farmasi Sejahtera" not in html


def test_home_pages_and_its_queries_do_not_grow_with_the_appeals(client, p, settings):
    settings.BANDING_PAGE_SIZE = 25
    submit(p)
    client.force_login(p.customer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    for _ in range(4):
        walk(p, register(p), 7)
        submit(p)
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME)

    assert len(response.context["rows"]) == 9
    assert len(many) == len(few)


def test_home_paginates(client, p, settings):
    settings.BANDING_PAGE_SIZE = 2
    for _ in range(3):
        submit(p)
    client.force_login(p.customer)

    assert len(client.get(HOME).context["rows"]) == 2
    assert len(client.get(HOME, {"page": 2}).context["rows"]) == 1


def test_an_account_without_confirmed_organisation_sees_the_waiting_notice(client, p):
    client.force_login(make_user("calon"))

    response = client.get(HOME)

    assert response.status_code == 200
    assert services.NOT_CONFIRMED in response.content.decode()


def test_staff_visiting_the_portal_are_sent_to_their_inbox(client, p):
    client.force_login(p.lead)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:inbox")


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- /portal/ajukan/ -----------------------------------------------------------------------


def test_the_form_offers_no_calibration_proficiency_testing_and_says_why(client, p):
    client.force_login(p.customer)

    response = client.get(SUBMIT)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{ServiceType.PT_TESTING}"' in html
    assert f'value="{ServiceType.PT_CALIBRATION}"' not in html
    assert sop.CALIBRATION_PT_EXCEPTION in html


def test_a_valid_submission_leads_to_the_receipt(client, p):
    client.force_login(p.customer)

    response = client.post(SUBMIT, form_data(attachments=[pdf("lampiran.pdf")]))

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:receipt", args=[appeal.public_id])
    assert (appeal.number, appeal.channel, appeal.current_step) == ("BDG/2026/0001", "portal", 2)
    assert appeal.documents.count() == 2
    page = client.get(response["Location"])
    assert "nomor register BDG/2026/0001" in page.content.decode()


def test_calibration_proficiency_testing_is_refused_with_the_sop_text(client, p):
    client.force_login(p.customer)

    response = client.post(SUBMIT, form_data(service_type=ServiceType.PT_CALIBRATION))

    assert response.status_code == 400
    assert sop.CALIBRATION_PT_EXCEPTION in response.content.decode()
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"grounds": ""}, "Alasan banding wajib diisi."),
        ({"letter": None}, "Surat permohonan banding wajib diunggah."),
        ({"service_type": ""}, "Jenis layanan wajib diisi."),
        (
            {"complaint_outcome_date": "2026-03-05"},
            "Tanggal hasil keluhan tidak boleh di masa depan.",
        ),
    ],
)
def test_an_invalid_submission_says_why_in_indonesian(client, p, overrides, message):
    client.force_login(p.customer)

    response = client.post(SUBMIT, form_data(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(client, p):
    client.force_login(p.customer)

    response = client.post(SUBMIT, form_data(letter=pdf("surat.pdf", b"bukan pdf sama sekali")))

    assert response.status_code == 400
    assert (
        "Berkas surat.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."
        in response.content.decode()
    )
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


def test_an_unconfirmed_account_cannot_submit(client, p):
    client.force_login(make_user("calon"))

    assert services.NOT_CONFIRMED in client.get(SUBMIT).content.decode()
    response = client.post(SUBMIT, form_data())

    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_staff_opening_the_submission_form_are_sent_to_their_workspace(client, p):
    client.force_login(p.staff)

    response = client.post(SUBMIT, form_data())

    assert response.status_code == 302
    assert not Appeal.objects.exists()
