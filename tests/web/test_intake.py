"""Steps 1-2 through the intake form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from banding.accounts.models import CustomerOrganization
from banding.appeals import access
from banding.appeals.models import Appeal
from banding.appeals.views.common import STAFF_ONLY
from banding.sop import definition as sop
from tests.factories import ANSWER, NO_INVOLVED, pdf
from tests.state import stored_files

URL = "/banding/baru/"


@pytest.fixture(autouse=True)
def _today():
    # The form data below uses fixed dates; the clock stands a few days after them.
    with time_machine.travel(datetime(2026, 11, 24, 3, 0, tzinfo=UTC)):
        yield


def data(p, **overrides) -> dict:
    values = {
        "organization": p.org.pk,
        "contact_name": "Budi Santoso",
        "channel": "email",
        "received_at": "2026-11-20T10:05",
        "complaint_reference": "KEL/2026/017",
        "complaint_outcome_date": "2026-11-10",
        "service_type": "pengujian",
        "grounds": "Hasil uji tidak sesuai.",
        "remedy_sought": "Pengujian ulang.",
        "letter": pdf(),
    }
    values.update(overrides)
    if not any(values.get(name) for name in (*ANSWER, "no_involved")):  # required at step 2
        values.update(no_involved="on", no_involved_reason=NO_INVOLVED)
    return values


def test_intake_url_is_the_named_one():
    assert reverse("appeals:intake") == URL


def test_intake_registers_and_reads_the_time_in_wib(client, p):
    client.force_login(p.staff)
    response = client.post(URL, data(p))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.received_at == datetime(2026, 11, 20, 3, 5, tzinfo=UTC)
    assert appeal.organization == p.org
    assert appeal.created_by == p.staff


def test_intake_creates_a_new_organization_by_name(client, p):
    client.force_login(p.staff)
    response = client.post(URL, data(p, organization="", new_organization_name="CV Kemasan Jaya"))
    assert response.status_code == 302
    assert Appeal.objects.get().organization == CustomerOrganization.objects.get(
        name="CV Kemasan Jaya"
    )


def test_intake_refuses_calibration_proficiency_testing_with_the_sop_explanation(client, p):
    client.force_login(p.staff)
    page = client.get(URL).content.decode()
    assert sop.step(1).keterangan in page  # said before anyone submits
    response = client.post(URL, data(p, service_type="up_kalibrasi"))
    assert response.status_code == 400
    assert response.context["error"] == sop.CALIBRATION_PT_EXCEPTION
    assert response.context["form"].errors["service_type"] == [sop.CALIBRATION_PT_EXCEPTION]
    assert sop.CALIBRATION_PT_EXCEPTION in response.content.decode()
    assert not Appeal.objects.exists()


def test_intake_refuses_a_pdf_name_with_text_content(client, p):
    client.force_login(p.staff)
    fake = pdf("palsu.pdf", b"ini bukan PDF, hanya teks biasa\n")
    response = client.post(URL, data(p, letter=fake))
    assert response.status_code == 400
    message = "Berkas palsu.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."
    assert response.context["error"] == message
    assert message in response.content.decode()
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


def test_intake_refuses_a_bad_attachment_and_keeps_no_file(client, p):
    client.force_login(p.staff)
    response = client.post(URL, data(p, attachments=[pdf("lampiran.pdf", b"teks")]))
    assert response.status_code == 400
    assert "Berkas lampiran.pdf tidak dapat diterima" in response.context["error"]
    assert not Appeal.objects.exists()
    assert stored_files() == frozenset()


def test_intake_says_in_indonesian_which_required_fields_are_missing(client, p):
    client.force_login(p.staff)
    response = client.post(URL, {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["contact_name"] == ["Narahubung wajib diisi."]
    assert errors["received_at"] == ["Waktu diterima wajib diisi."]
    assert errors["grounds"] == ["Alasan banding wajib diisi."]
    assert errors["remedy_sought"] == ["Penyelesaian yang diminta wajib diisi."]
    assert errors["letter"] == ["Surat permohonan banding wajib diunggah."]
    assert response.context["error"] == "Periksa kembali isian yang ditandai."
    assert "Narahubung wajib diisi." in response.content.decode()


def test_intake_asks_for_an_organization(client, p):
    client.force_login(p.staff)
    response = client.post(URL, data(p, organization=""))
    assert response.status_code == 400
    message = "Pilih organisasi pelanggan atau tuliskan nama organisasi baru."
    assert response.context["form"].errors["organization"] == [message]
    both = client.post(URL, data(p, new_organization_name="CV Baru"))
    assert both.context["form"].errors["new_organization_name"] == [
        "Pilih organisasi terdaftar atau tuliskan nama baru, bukan keduanya."
    ]
    assert not Appeal.objects.exists()


def test_intake_refuses_dates_in_the_future(client, p):
    client.force_login(p.staff)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(URL, data(p, received_at=tomorrow.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    assert response.context["form"].errors["received_at"] == [
        "Waktu diterima tidak boleh di masa depan."
    ]


def test_intake_is_for_pjtk_staff_only(client, p):
    client.force_login(p.lead)
    response = client.get(URL)
    assert response.status_code == 403
    assert access.actor_refusal(sop.Actor.STF, 2) in response.content.decode()
    response = client.post(URL, data(p))
    assert response.status_code == 403
    client.force_login(p.customer)
    response = client.post(URL, data(p))
    assert response.status_code == 403
    assert STAFF_ONLY in response.content.decode()
    assert not Appeal.objects.exists()


# --- step 2's answer (issue 17) --------------------------------------------------------------


def test_intake_without_the_involvement_answer_is_refused_and_writes_nothing(client, p):
    client.force_login(p.staff)
    files = stored_files()

    response = client.post(URL, data(p, no_involved="", no_involved_reason=" "))

    assert response.status_code == 400
    assert "Alasan tidak ada pihak terlibat" in response.text
    assert not Appeal.objects.exists()
    assert stored_files() == files


def test_intake_with_no_field_of_the_answer_is_refused_by_the_service(client, p):
    client.force_login(p.staff)
    values = data(p)
    del values["no_involved"], values["no_involved_reason"]

    response = client.post(URL, values)

    assert response.status_code == 400
    assert "Langkah 2 wajib menjawab siapa yang terlibat" in response.text
    assert not Appeal.objects.exists()


def test_intake_records_outsiders_and_the_appealed_team(client, p):
    client.force_login(p.staff)

    response = client.post(
        URL, data(p, involved_note="Ibu Sari (PT Sampel)", appealed_team=p.team_b.pk)
    )

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.involved_note, appeal.appealed_team) == ("Ibu Sari (PT Sampel)", p.team_b)
    assert appeal.no_involved_reason == ""
