"""Intake through the API (multipart): the same service as the staff form, with its checks."""

import uuid

from banding.accounts.models import CustomerOrganization
from banding.accounts.roles import Role
from banding.appeals.models import Appeal
from banding.sop.definition import CALIBRATION_PT_EXCEPTION
from tests.api.test_flow import intake
from tests.factories import NO_INVOLVED, make_user, pdf


def test_intake_stores_the_letter_and_attachments_and_numbers_the_appeal(api, p):
    body = intake(api, p)
    appeal = Appeal.objects.get(public_id=body["id"])
    assert body["number"] == appeal.number
    assert body["channel_label"] == "Ekspedisi"
    assert [d.kind for d in appeal.documents.all()] == ["appeal_letter", "supporting", "supporting"]
    assert list(appeal.involved_persons.all()) == [p.panel[3]]


def test_intake_answers_with_the_appeal_as_it_is_stored(api, p):
    # The 201 body is built from what the intake wrote, without reading it back: it must be
    # what reading it back gives.
    body = intake(api, p)
    assert api(p.staff).get(f"/appeals/{body['id']}").json() == body


def test_intake_costs_the_same_queries_however_many_files_and_people(api, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**overrides) -> int:
        caller = api(p.staff)
        with CaptureQueriesContext(connection) as captured:
            # The same complaint each time: confirmed as a new appeal past the warning.
            intake(api=lambda user: caller, p=p, confirm_new="true", **overrides)
        return len(captured)

    intake(api, p)  # the first reads the calendar of the year into this process
    one = queries(attachments=[], involved_persons=[])
    for i in range(4):
        make_user(f"kontak_{i}", organization=p.org, email=f"k{i}@kimia.example")
        make_user(f"ketua_{i}", Role.PJTK_LEAD, email=f"ketua{i}@balai.example.go.id")
    assert queries(attachments=[pdf(f"l{i}.pdf") for i in range(3)], involved_persons=[]) == one
    # The token (2: read, last used), organisation, roles; the register number, appeal,
    # steps, documents (4); the audit events (3); the step's actors and the customer's
    # accounts (2), all their notices (2: written, read back), their mails and task (2); the
    # calendar (1); the savepoint and its release (2); the open appeals of the same
    # complaint (1: the duplicate warning); the reports' frozen months from the received
    # instant on marked stale (1: banding.reports.rollups.invalidate).
    assert one == 22


def test_intake_creates_a_new_organisation_by_name(api, p):
    body = intake(api, p, organization="", new_organization_name="CV Kemasan Jaya")
    org = CustomerOrganization.objects.get(name="CV Kemasan Jaya")
    assert body["organization"] == {"id": str(org.public_id), "name": "CV Kemasan Jaya"}


def _refused(api, p, **overrides) -> dict:
    count = Appeal.objects.count()
    data = {
        "organization": str(p.org.public_id),
        "contact_name": "Budi",
        "channel": "email",
        "received_at": "2026-01-05T09:00:00+07:00",
        "complaint_reference": "KEL/1",
        "complaint_outcome_date": "2026-01-02",
        "service_type": "pengujian",
        "grounds": "Alasan.",
        "remedy_sought": "Uji ulang.",
        "letter": pdf(),
        "no_involved_reason": NO_INVOLVED,
        **overrides,
    }
    data = {k: v for k, v in data.items() if v is not None}
    response = api(p.staff).upload("/appeals", data)
    assert response.status_code == 400, response.json()
    assert Appeal.objects.count() == count
    return response.json()


def test_intake_refuses_calibration_proficiency_testing_with_the_sops_reason(api, p):
    body = _refused(api, p, service_type="up_kalibrasi")
    assert body == {
        "code": "calibration_pt_excluded",
        "message": CALIBRATION_PT_EXCEPTION,
        "fields": {"service_type": [CALIBRATION_PT_EXCEPTION]},
    }


def test_intake_needs_the_letter(api, p):
    body = _refused(api, p, letter=None)
    assert body["message"] == "Surat permohonan banding wajib diunggah."
    assert body["fields"] == {"letter": ["Surat permohonan banding wajib diunggah."]}


def test_intake_refuses_a_letter_that_is_not_a_document(api, p):
    body = _refused(api, p, letter=pdf("surat.pdf", b"MZ\x90\x00 bukan dokumen"))
    assert body["code"] == "upload_type"


def test_intake_names_an_unknown_organisation_or_person(api, p):
    unknown = uuid.uuid4()
    body = _refused(api, p, organization=str(unknown))
    assert body["fields"] == {"organization": [f"Organisasi pelanggan tidak dikenal: {unknown}."]}
    body = _refused(api, p, involved_persons=[str(unknown)])
    assert body["fields"] == {"involved_persons": [f"Pengguna tidak dikenal: {unknown}."]}


def test_intake_reports_missing_dates_as_validation_errors(api, p):
    body = _refused(api, p, received_at=None, complaint_outcome_date="kemarin")
    assert body["code"] == "validation_error"
    assert body["fields"] == {
        "received_at": ["Wajib diisi."],
        "complaint_outcome_date": ["Harus tanggal dengan format YYYY-MM-DD."],
    }


def test_intake_refuses_text_longer_than_its_field_holds_naming_the_field(api, p):
    body = _refused(api, p, contact_name="B" * 151, complaint_reference="K" * 101)
    assert body["fields"] == {
        "contact_name": ["Paling banyak 150 karakter (tertulis 151)."],
        "complaint_reference": ["Paling banyak 100 karakter (tertulis 101)."],
    }
    body = _refused(api, p, organization="", new_organization_name="PT " + "X" * 300)
    assert list(body["fields"]) == ["new_organization_name"]
