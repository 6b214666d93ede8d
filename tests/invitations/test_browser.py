"""The panel's invitation and the satisfaction survey in a real browser (Chromium under the
strict CSP): a panel member invites on the staff page, the customer answers in the portal
through htmx (the two-button meeting answer, a written explanation with a file), answers
the survey of a closed appeal, and the head reads the index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from banding.appeals import services
from banding.appeals.models import Document, PanelInvitation
from banding.survey.models import SurveyResponse
from tests.browser.helpers import login, pdf_file
from tests.factories import register, rejection_letter, walk
from tests.invitations.conftest import send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _clock():
    """The browser's own clock fixture runs here, not the frozen one of the other tests."""
    yield


def datetime_local(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_it_invites_the_customer_who_answers_in_the_portal(page: Page, shot, p):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1])

    login(page, p.panel[1].username)
    page.goto(f"/banding/{appeal.public_id}/")
    card = page.locator("#undangan")
    card.get_by_label("Penjelasan tertulis").check()
    card.get_by_label("Batas jawaban").fill(datetime_local(5))
    card.get_by_label("Pesan kepada pelanggan").fill("Jelaskan metode uji kadar air Anda.")
    card.get_by_role("button", name="Undang pelanggan").click()
    expect(page.get_by_role("alert").filter(has_text="Undangan kepada pelanggan")).to_be_visible()
    expect(page.locator("#undangan")).to_contain_text("Belum dijawab")
    shot("undangan-staff")
    # A meeting too, made through the service: the customer answers it with a button.
    send(p, appeal, user=p.panel[1])

    login(page, p.customer.username)
    page.goto(f"/portal/banding/{appeal.public_id}/")
    section = page.locator("#undangan")
    expect(section).to_contain_text("Jelaskan metode uji kadar air Anda.")
    shot("undangan-portal")
    meeting = section.locator(".card").filter(has_text="Hadir dalam pertemuan")
    meeting.get_by_role("button", name="Tidak dapat hadir").click()
    expect(page.get_by_role("alert").filter(has_text="Jawaban Anda")).to_be_visible()
    expect(page.locator("#undangan")).to_contain_text("Tidak dapat hadir")

    written = page.locator("#undangan .card").filter(has_text="Penjelasan tertulis")
    written.get_by_label("Penjelasan tertulis").fill("Kami memakai SNI 01-2891-1992.")
    written.get_by_label("Berkas pendukung").set_input_files(pdf_file("data-kami.pdf"))
    written.get_by_role("button", name="Kirim penjelasan tertulis").click()
    expect(page.get_by_role("alert").filter(has_text="Jawaban Anda")).to_be_visible()
    expect(page.locator("#undangan")).to_contain_text("Penjelasan tertulis dikirim")
    expect(page.get_by_role("link", name="data-kami.pdf").first).to_be_visible()
    shot("undangan-dijawab")

    answers = dict(PanelInvitation.objects.values_list("mode", "response"))
    assert answers == {"meeting": "decline", "written": "written"}
    assert Document.objects.filter(kind="customer_explanation").count() == 1


def test_it_takes_the_survey_and_shows_the_index(page: Page, shot, p):
    appeal = register(p)
    services.appeal_verify(
        appeal=appeal, user=p.lead, checklist={}, relevant=False, reasons="Tidak relevan."
    )
    rejection_letter(p, appeal)
    services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=timezone.now(),
        channel="email",
    )

    login(page, p.customer.username)
    page.goto(f"/portal/banding/{appeal.public_id}/")
    survey = page.locator("#survei")
    for fieldset in survey.locator("fieldset").all():
        fieldset.get_by_role("radio").nth(3).check()  # the fourth answer: score 4
    survey.locator("fieldset").nth(3).get_by_label("Murah").check()  # U4: 3
    survey.get_by_label("Saran dan komentar").fill("Prosesnya jelas.")
    shot("survei-portal")
    survey.get_by_role("button", name="Kirim survei").click()
    expect(page.get_by_role("alert").filter(has_text="Terima kasih")).to_be_visible()
    expect(page.locator("#survei")).to_contain_text("Anda telah mengisi")
    assert SurveyResponse.objects.get().scores()["u4"] == 3

    login(page, p.head.username)
    page.get_by_role("button", name="Laporan").click()  # the reports menu
    page.get_by_role("link", name="Survei kepuasan").click()
    # (8 × 4 + 3) / 9 × 25 = 97,22: mutu A.
    expect(page.get_by_text("97,22").first).to_be_visible()
    expect(page.get_by_text("Sangat baik").first).to_be_visible()
    expect(page.get_by_text("Prosesnya jelas.")).to_be_visible()
    shot("survei-hasil")
