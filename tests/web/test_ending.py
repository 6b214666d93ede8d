"""The staff pages: the duplicate warning on the intake form, and the appeal page's forms that
record a withdrawal by letter and close an appeal as a duplicate (views.ending)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from banding.appeals.models import Appeal, Document, DocumentKind, Status
from tests.factories import register, walk
from tests.state import capture
from tests.web.helpers import detail_url
from tests.web.test_detail import PAGE_QUERIES, queries
from tests.web.test_intake import URL as INTAKE_URL
from tests.web.test_intake import _today, data  # noqa: F401  (the clock of its form data)


def withdraw_url(appeal: Appeal) -> str:
    return reverse("appeals:withdraw", args=[appeal.public_id])


def duplicate_url(appeal: Appeal) -> str:
    return reverse("appeals:close_duplicate", args=[appeal.public_id])


def today() -> str:
    return timezone.localdate().isoformat()


# --- the duplicate warning at intake --------------------------------------------------------


def test_the_intake_form_warns_of_an_open_appeal_of_the_same_complaint(client, p):
    first = register(p, complaint_reference="KEL/2026/017")
    client.force_login(p.staff)
    before = capture()

    response = client.post(INTAKE_URL, data(p, complaint_reference=" kel/2026/017"))

    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="peringatan-duplikat"' in body
    assert f'<a href="{detail_url(first)}">{first.number}</a>' in body
    assert 'name="confirm_new"' in body and "Ini banding baru" in body
    assert capture() == before  # nothing written

    response = client.post(
        INTAKE_URL, data(p, complaint_reference="kel/2026/017", confirm_new="on")
    )
    assert response.status_code == 302
    assert Appeal.objects.count() == 2


def test_the_intake_form_asks_nothing_without_an_open_appeal_of_the_complaint(client, p):
    client.force_login(p.staff)
    page = client.get(INTAKE_URL).content.decode()
    assert 'name="confirm_new"' not in page


# --- the appeal page's forms --------------------------------------------------------------


def test_the_forms_are_offered_on_an_open_appeal_to_the_staff_lead_and_head(client, p):
    appeal = register(p)
    for user in (p.staff, p.lead, p.head):
        client.force_login(user)
        body = client.get(detail_url(appeal)).content.decode()
        assert 'id="akhiri-banding"' in body
        assert withdraw_url(appeal) in body and duplicate_url(appeal) in body
    client.force_login(p.auditor)
    assert 'id="akhiri-banding"' not in client.get(detail_url(appeal)).content.decode()


def test_the_forms_cost_no_query_of_the_page(client, p):
    new = register(p)
    client.force_login(p.staff)
    queries(client, detail_url(new))
    # As tests/web/test_detail.py: a new appeal costs one fewer than the whole budget.
    assert len(queries(client, detail_url(new))) == PAGE_QUERIES - 1


def test_staff_record_a_withdrawal_letter_through_the_page(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.staff)
    from tests.factories import pdf

    response = client.post(
        withdraw_url(appeal),
        {
            "cabut-letter_date": today(),
            "cabut-reason": "Pelanggan tidak melanjutkan.",
            "cabut-letter": pdf("pencabutan.pdf"),
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN
    assert Document.objects.filter(appeal=appeal, kind=DocumentKind.WITHDRAWAL_LETTER).exists()
    page = client.get(detail_url(appeal)).content.decode()
    assert "Dicabut" in page and 'id="akhiri-banding"' not in page
    assert "Pencabutan banding oleh pelanggan dengan surat tanggal" in page  # the timeline
    assert "Dihentikan: dicabut" in page  # the step's row of the progress table


def test_staff_close_a_duplicate_through_the_page(client, p):
    original, appeal = register(p), register(p)
    client.force_login(p.lead)
    response = client.post(
        duplicate_url(appeal),
        {"duplikat-original": original.number, "duplikat-reason": "Diajukan dua kali."},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.duplicate_of) == (Status.DUPLICATE, original)
    page = client.get(detail_url(appeal)).content.decode()
    assert "Ditutup (duplikat)" in page
    assert f'<a href="{detail_url(original)}">{original.number}</a>' in page


def test_a_duplicate_of_another_organisations_appeal_is_refused_on_the_page(client, p):
    other, appeal = register(p, organization=p.org_other), register(p)
    client.force_login(p.staff)
    before = capture()
    response = client.post(
        duplicate_url(appeal),
        {"duplikat-original": other.number, "duplikat-reason": "Sama."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Banding asli harus milik organisasi pelanggan yang sama." in body
    assert "<details open>" in body  # the form sent again, open with its error
    assert capture() == before


def test_an_unknown_original_and_a_missing_date_are_refused_on_the_page(client, p):
    appeal = register(p)
    client.force_login(p.staff)
    before = capture()
    response = client.post(
        duplicate_url(appeal), {"duplikat-original": "BDG/1999/9", "duplikat-reason": "Sama."}
    )
    assert response.status_code == 400
    assert "Banding BDG/1999/9 tidak ditemukan." in response.content.decode()
    response = client.post(withdraw_url(appeal), {"cabut-reason": "Sama."})
    assert response.status_code == 400
    assert "Tanggal surat pencabutan wajib diisi." in response.content.decode()
    assert capture() == before


def test_other_roles_are_refused_and_nothing_is_written(client, p):
    appeal = walk(p, register(p), 5)
    before = capture()
    client.force_login(p.tech)
    response = client.post(withdraw_url(appeal), {"cabut-letter_date": today()})
    assert response.status_code == 403
    client.force_login(p.auditor)
    original = register(p, complaint_reference="KEL/LAIN")
    before = capture()
    response = client.post(
        duplicate_url(appeal), {"duplikat-original": original.number, "duplikat-reason": "x"}
    )
    assert response.status_code == 403
    assert capture() == before


def test_a_closed_appeal_cannot_be_withdrawn_on_the_page(client, p):
    appeal = walk(p, register(p), 99)
    client.force_login(p.staff)
    before = capture()
    response = client.post(withdraw_url(appeal), {"cabut-letter_date": today()})
    assert response.status_code == 409
    assert (
        f"Banding {appeal.number} sudah selesai; tidak dapat dicabut atau ditutup lagi."
        in response.content.decode()
    )
    assert capture() == before
