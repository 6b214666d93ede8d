"""The customer's whole journey in a real browser, on a phone: registration with e-mail
verification, the staff's confirmation, online submission with a PDF and the receipt, the
appeal walked to closure by every role (the panel inviting the customer, who confirms), the
progress in the customer's words along the way, the decision letter downloaded from the
portal and the satisfaction survey counted on the staff's IKM page. And a password reset.

The customer works in a phone-sized tab of their own (tests.browser.helpers.phone_tab), the
staff in the desktop `page`. Mails are sent here and now (mail_deliver_pending) and read
from django.core.mail.outbox; the links in them are opened on the live server."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from banding.appeals.models import Appeal, PanelInvitation
from banding.notifications.outbox import mail_deliver_pending
from banding.survey.models import SurveyResponse
from tests.browser.conftest import Watch, _safe
from tests.browser.helpers import (
    act,
    login,
    open_from_inbox,
    panel_of,
    pdf_file,
    phone_tab,
    walk_to_closure,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "Sari Wulandari"
EMAIL = "sari@mitra-farma.example"
PASSWORD = "Banding-Mitra-2026!"
ORGANIZATION = "CV Mitra Farma Sentosa"
MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
EXPECTED = re.compile(rf"perkiraan \d{{1,2}} ({MONTHS}) \d{{4}}")


@pytest.fixture
def phone(browser: Browser, live_server, watch: Watch, clock) -> Iterator[Page]:
    tab = phone_tab(browser, live_server.url, watch)
    yield tab
    tab.context.close()


@pytest.fixture
def snap(watch: Watch, request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """snap(tab, name): the `shot` fixture for two tabs (the customer's phone and the staff's
    desktop), numbered in one sequence in var/screenshots/<test>/."""
    folder = Path(settings.BASE_DIR) / "var" / "screenshots" / _safe(request.node.name)
    for old in folder.glob("*.png"):
        old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    taken: list[Path] = []

    def take(tab: Page, name: str) -> Path:
        watch.check()
        path = folder / f"{len(taken) + 1:02d}-{_safe(name)}.png"
        tab.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take


def mail_to(address: str, subject: str) -> mail.EmailMessage:
    """Send what is queued now (nothing else sends: no worker runs in the tests); the one mail
    of those to `address` whose subject contains `subject`."""
    before = len(mail.outbox)
    mail_deliver_pending()
    sent = mail.outbox[before:]
    found = [m for m in sent if m.to == [address] and subject in m.subject]
    assert len(found) == 1, [(m.to, m.subject) for m in sent]
    return found[0]


def link_path(message: mail.EmailMessage, prefix: str) -> str:
    """The path of the link starting with `prefix` in the mail's text, for the live server
    (the mail's absolute links carry BANDING_PUBLIC_URL)."""
    links = re.findall(r"https?://\S+", message.body)
    paths = [urlparse(link).path for link in links if urlparse(link).path.startswith(prefix)]
    assert len(paths) == 1, links
    return paths[0]


def expect_stage(phone: Page, url: str, label: str) -> None:
    """The customer's appeal page names the appeal's stage in the customer's words."""
    phone.goto(url)
    expect(phone.locator("h1 + .badge")).to_have_text(label)


def test_a_customer_registers_submits_follows_and_rates_an_appeal(page: Page, phone: Page, snap, p):
    # 1. Registration, with the e-mail's verification link (a page with a button).
    phone.goto("/portal/akun/daftar/")
    phone.get_by_label("Nama lengkap").fill(NAME)
    phone.get_by_label("Alamat surel").fill(EMAIL)
    phone.get_by_label("Telepon").fill("0812-3456-7890")
    phone.get_by_label("Nama organisasi").fill(ORGANIZATION)
    phone.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    phone.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    snap(phone, "pendaftaran")
    phone.get_by_role("button", name="Daftar", exact=True).click()
    expect(phone.get_by_role("heading", name="Periksa surel Anda")).to_be_visible()
    expect(phone.get_by_text(EMAIL)).to_be_visible()
    snap(phone, "pendaftaran-terkirim")

    verify = mail_to(EMAIL, "Verifikasi alamat surel Anda")
    phone.goto(link_path(verify, "/portal/akun/verifikasi/"))
    expect(phone.get_by_text(ORGANIZATION)).to_be_visible()
    phone.get_by_role("button", name="Verifikasi alamat surel saya").click()
    expect(phone.get_by_role("heading", name="Alamat surel terverifikasi")).to_be_visible()
    snap(phone, "surel-terverifikasi")

    login(phone, EMAIL, PASSWORD)
    expect(phone.get_by_text("Pendaftaran Anda menunggu konfirmasi staf.")).to_be_visible()
    expect(phone.locator(".menunggu-konfirmasi")).to_be_visible()
    expect(phone.get_by_role("link", name="Ajukan banding")).to_have_count(0)
    snap(phone, "menunggu-konfirmasi")

    # 2. Staff PJTK confirm the registration as a new organisation.
    login(page, p.staff.username)
    page.get_by_role("link", name="Pelanggan").click()
    card = page.locator(".card").filter(has_text=EMAIL)
    expect(card).to_contain_text("organisasi baru")
    expect(card.get_by_label("Hubungkan dengan")).to_have_value("")
    snap(page, "pendaftaran-staff")
    card.get_by_role("button", name="Konfirmasi").click()
    confirmed = "Pendaftaran dikonfirmasi; pendaftar diberi tahu lewat surel."
    expect(page.get_by_role("alert").filter(has_text=confirmed)).to_be_visible()
    mail_to(EMAIL, f"Pendaftaran Anda dikonfirmasi: {ORGANIZATION}")

    # 3. The customer submits an appeal with a PDF and gets the receipt.
    phone.goto("/portal/")
    expect(phone.get_by_role("heading", name=f"Banding {ORGANIZATION}")).to_be_visible()
    phone.get_by_role("link", name="Ajukan banding").click()
    phone.get_by_label("Nomor keluhan yang dibanding").fill("KEL/2026/031")
    outcome_date = timezone.localdate() - timedelta(days=7)
    phone.get_by_label("Tanggal hasil penanganan keluhan").fill(outcome_date.isoformat())
    phone.get_by_label("Jenis layanan").select_option(label="Pengujian")
    phone.get_by_label("Nomor dokumen acuan").fill("LHU-2026-0789")
    phone.get_by_label("Alasan banding").fill("Kadar air sampel kami 4,1 %, bukan 5,6 %.")
    phone.get_by_label("Penyelesaian yang diminta").fill("Uji ulang dengan sampel arsip.")
    phone.get_by_label("Telepon narahubung").fill("0812-3456-7890")
    phone.get_by_label("Surat permohonan banding").set_input_files(pdf_file("permohonan.pdf"))
    snap(phone, "formulir-pengajuan")
    phone.get_by_role("button", name="Kirim permohonan banding").click()

    expect(phone.get_by_role("heading", name="Tanda terima permohonan banding")).to_be_visible()
    appeal = Appeal.objects.get()
    number = appeal.number
    received = f"Permohonan banding Anda diterima dengan nomor register {number}."
    expect(phone.get_by_role("alert")).to_contain_text(received)
    expect(phone.locator(".nomor-register")).to_have_text(number)
    expect(phone.locator(".dokumen-diterima")).to_contain_text("permohonan.pdf")
    snap(phone, "tanda-terima")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    diterima = mail_to(EMAIL, f"Banding {number}: Diterima")
    assert number in diterima.body

    url = f"/portal/banding/{appeal.public_id}/"
    phone.get_by_role("link", name="Lihat perkembangan banding").click()
    expect(phone.locator("h1 + .badge")).to_have_text("Diterima")
    expect(phone.locator(".tonggak [aria-current=step]")).to_contain_text(EXPECTED)
    snap(phone, "portal-diterima")

    # 4. Staff record it (step 2); every role walks it to closure. On the way the customer
    # sees the progress, and the panel invites the customer, who confirms attendance.
    login(page, p.staff.username)
    open_from_inbox(page, number)

    def no_one_involved(form: Locator) -> None:
        form.get_by_label("Tidak ada pihak terlibat", exact=True).check()
        form.get_by_label("Alasan tidak ada pihak terlibat").fill(
            "Keluhan mengenai pengiriman laporan, bukan hasil kerja pegawai tertentu."
        )

    act(
        page,
        "catat",
        no_one_involved,
        f"Banding {number} dicatat dan diteruskan kepada Ketua Tim PJTK",
    )

    def verified() -> None:
        expect_stage(phone, url, "Diverifikasi")
        expect(phone.locator(".tonggak [aria-current=step]")).to_contain_text("Panel dibentuk")
        snap(phone, "portal-diverifikasi")

    def invite_and_answer() -> None:
        chair, _members = panel_of(p)
        card = page.locator("#undangan")
        card.get_by_label("Hadir dalam pertemuan").check()
        meeting_at = timezone.localtime() + timedelta(days=2)
        card.get_by_label("Waktu pertemuan").fill(meeting_at.strftime("%Y-%m-%dT%H:%M"))
        card.get_by_label("Tempat pertemuan").fill("Ruang Rapat 2, Gedung B")
        card.get_by_label("Pesan kepada pelanggan").fill("Bawa data uji kadar air Anda.")
        card.get_by_role("button", name="Undang pelanggan").click()
        sent = f"Undangan kepada pelanggan banding {number} dikirim."
        expect(page.get_by_role("alert").filter(has_text=sent)).to_be_visible()

        invited = mail_to(EMAIL, f"Banding {number}: undangan Tim Panel Banding")
        assert "Ruang Rapat 2, Gedung B" in invited.body
        expect_stage(phone, url, "Panel dibentuk")
        invitation = phone.locator("#undangan")
        expect(invitation).to_contain_text("Ruang Rapat 2, Gedung B")
        expect(invitation).to_contain_text(chair.display_name)
        snap(phone, "portal-undangan")
        invitation.get_by_role("button", name="Konfirmasi hadir").click()
        answered = "Jawaban Anda atas undangan Tim Panel Banding terkirim."
        expect(phone.get_by_role("alert").filter(has_text=answered)).to_be_visible()
        expect(phone.locator("#undangan")).to_contain_text("Akan hadir")
        page.reload()
        expect(page.locator("#undangan")).to_contain_text("Akan hadir")

    def approved() -> None:
        expect_stage(phone, url, "Diputuskan")
        expect(phone.locator(".tonggak [aria-current=step]")).to_contain_text(EXPECTED)
        snap(phone, "portal-diputuskan")

    decision_letter = walk_to_closure(
        page,
        p,
        number,
        lambda name: snap(page, name),
        before={"usul-panel": verified, "laporan": invite_and_answer, "disposisi": approved},
    )
    assert PanelInvitation.objects.get().response == "attend"

    # 5. Closed: the customer reads "Selesai", downloads the decision letter, rates the service.
    expect_stage(phone, url, "Selesai")
    expect(phone.locator(".tonggak .badge").filter(has_text="Belum")).to_have_count(0)
    outcome = phone.locator(".hasil-banding")
    expect(outcome).to_contain_text("Permohonan banding Anda diterima sebagian.")
    expect(outcome).to_contain_text("Pengujian ulang tanpa biaya.")
    letter = phone.locator("#judul-surat + ul li").filter(has_text=decision_letter)
    expect(letter).to_contain_text("Keputusan penyelesaian banding")
    with phone.expect_download() as download:
        letter.get_by_role("link", name="Unduh PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    # No internal letter (nota dinas, panel appointment, minutes) is offered to the customer:
    # the decision and the letter that delivered it.
    expect(phone.locator("#judul-surat + ul li")).to_have_count(2)
    assert number in mail_to(EMAIL, f"Banding {number}: Selesai").body
    snap(phone, "portal-selesai")

    survey = phone.locator("#survei")
    expect(survey.locator("fieldset")).to_have_count(9)  # the nine elements U1-U9
    for index, fieldset in enumerate(survey.locator("fieldset").all()):
        # Score 4 everywhere but the first two elements (3): (7 × 4 + 2 × 3) / 9 × 25.
        fieldset.get_by_role("radio").nth(2 if index < 2 else 3).check()
    survey.get_by_label("Saran dan komentar").fill("Kabar tiap tahap sangat membantu.")
    snap(phone, "survei")
    survey.get_by_role("button", name="Kirim survei").click()
    expect(phone.get_by_role("alert").filter(has_text="Terima kasih")).to_be_visible()
    expect(phone.locator("#survei")).to_contain_text("Anda telah mengisi")
    assert SurveyResponse.objects.get().appeal_id == appeal.pk

    # The head sees the response counted in this year's index.
    login(page, p.head.username)
    page.get_by_role("button", name="Laporan").click()  # the reports menu
    page.get_by_role("link", name="Survei kepuasan").click()
    respondents = page.locator(".card").filter(has_text="Responden")
    expect(respondents.locator(".display-6")).to_have_text("1")
    expect(page.get_by_text("94,44").first).to_be_visible()
    expect(page.get_by_text("Kabar tiap tahap sangat membantu.")).to_be_visible()
    snap(page, "survei-ikm")


def test_a_customer_resets_a_forgotten_password(phone: Page, watch: Watch, snap, p):
    p.customer.email = "pelanggan@kimia.example"
    p.customer.save(update_fields=["email"])
    new_password = "Sandi-Baru-Kimia-2026"

    phone.goto("/masuk/")
    phone.get_by_role("link", name="Lupa kata sandi?").click()
    phone.get_by_label("Alamat surel akun Anda").fill("pelanggan@kimia.example")
    snap(phone, "lupa-sandi")
    phone.get_by_role("button", name="Kirim tautan").click()
    expect(phone.get_by_role("heading", name="Periksa surel Anda")).to_be_visible()

    message = mail_to("pelanggan@kimia.example", "Atur ulang kata sandi")
    reset = link_path(message, "/portal/akun/sandi/")
    phone.goto(reset)
    expect(phone.get_by_role("heading", name="Atur kata sandi baru")).to_be_visible()
    phone.get_by_label("Kata sandi baru", exact=True).fill(new_password)
    phone.get_by_label("Ulangi kata sandi baru").fill(new_password)
    snap(phone, "sandi-baru")
    phone.get_by_role("button", name="Simpan kata sandi").click()
    expect(phone.get_by_role("heading", name="Kata sandi tersimpan")).to_be_visible()

    login(phone, p.customer.username, new_password)
    expect(phone.get_by_role("heading", name=f"Banding {p.org.name}")).to_be_visible()
    snap(phone, "masuk-dengan-sandi-baru")

    # The link works once.
    watch.allow(r"status of 400")
    phone.goto(reset)
    expect(phone.get_by_role("heading", name="Tautan tidak berlaku")).to_be_visible()
