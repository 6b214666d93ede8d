"""The staff side in a real browser: an appeal registered through the intake form and walked
through every step of SOP 5.1.24 by the role that owns each step, and the rejection path."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from banding.appeals.models import Appeal
from tests.browser.conftest import Watch
from tests.browser.helpers import (
    act,
    action_form,
    local_input,
    login,
    nothing,
    open_from_inbox,
    pdf_file,
    send,
)
from tests.factories import register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAIN_PATH = (1, 2, 3, 5, 6, 7, 9, 10, 11, 12)
REJECTION_PATH = (1, 2, 3, 4)


def issue_letter(page: Page, label: str, shot=None) -> str:
    """Draft a letter from the appeal page's "Surat" card and issue it (as its signer);
    back on the appeal page. Returns the letter number."""
    page.get_by_role("button", name=f"Buat draf {label}").click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    page.get_by_role("button", name="Terbitkan dan tandatangani").click()
    issued = page.get_by_role("alert").filter(has_text="terbit dan ditandatangani")
    expect(issued).to_be_visible()
    number = issued.inner_text().removeprefix("Surat ").split(" terbit")[0]
    expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
    if shot:
        shot(f"surat-{label}")
    page.locator(".breadcrumb").get_by_role("link").click()
    return number


def row_of(page: Page, number: int) -> Locator:
    return page.locator("table.progres tbody tr").nth(_index(number))


def _index(number: int) -> int:
    # Rows follow the SOP's official numbers 1-7, 9-12 (there is no step 8).
    return number - 1 if number < 8 else number - 2


def test_it_walks_an_appeal_through_every_step_in_the_browser(page: Page, shot, watch: Watch, p):
    page.goto("/masuk/")
    shot("masuk")

    # Steps 1-2: staff PJTK record the appeal with its letter, through the file input.
    login(page, p.staff.username)
    shot("tugas-saya-staff")
    page.get_by_role("link", name="Banding baru").click()
    page.get_by_label("Organisasi pelanggan").select_option(label=p.org.name)
    page.get_by_label("Narahubung", exact=True).fill("Budi Santoso")
    page.get_by_label("Email narahubung").fill("budi@kimia.example")
    page.get_by_label("Saluran").select_option(label="Email")
    page.get_by_label("Waktu diterima").fill(local_input(minutes_ago=60))
    page.get_by_label("Nomor keluhan yang dibanding").fill("KEL/2026/017")
    page.get_by_label("Tanggal hasil penanganan keluhan").fill(
        (timezone.localdate() - timedelta(days=10)).isoformat()
    )
    page.get_by_label("Jenis layanan").select_option(label="Pengujian")
    page.get_by_label("Nomor dokumen acuan").fill("LHU-2026-0456")
    page.get_by_label("Alasan banding").fill("Hasil uji kadar air tidak sesuai hasil kami.")
    page.get_by_label("Penyelesaian yang diminta").fill("Pengujian ulang dengan sampel arsip.")
    page.get_by_label("Surat permohonan banding").set_input_files(pdf_file("surat-banding.pdf"))
    shot("formulir-banding-baru")
    page.get_by_role("button", name="Catat banding").click()
    recorded = page.get_by_role("alert").filter(has_text="Banding tercatat dengan nomor register")
    expect(recorded).to_be_visible()
    appeal = Appeal.objects.get()
    number = appeal.number
    expect(recorded).to_have_text(f"Banding tercatat dengan nomor register {number}.")
    expect(page.get_by_role("link", name="surat-banding.pdf")).to_be_visible()
    shot("banding-langkah-3")
    receipt = issue_letter(page, "Tanda terima banding", shot)
    assert receipt.startswith("B-1/BBSPJIKFK/PJTK/HM.01/")

    # Step 3: the team leader verifies: complete and relevant, to the testing team.
    login(page, p.lead.username)
    open_from_inbox(page, number)

    def verify(form: Locator) -> None:
        for box in form.locator("input[name=checklist]").all():
            box.check()
        form.get_by_label("Relevan", exact=True).check()
        form.get_by_label("Alasan", exact=True).fill("Lengkap dan relevan dengan hasil uji.")
        team = form.get_by_label("Bagian/Tim Teknis tujuan nota dinas")
        team.select_option(label=p.team_a.name)

    act(page, "verifikasi", verify, f"Hasil verifikasi banding {number} disimpan.")

    # Step 5: the technical team proposes the panel.
    login(page, p.tech.username)
    open_from_inbox(page, number)
    chair, *members = p.panel[:3]

    # First a chair who is not a member: the service refuses (400) and htmx swaps the step
    # panel for the form with the message, keeping what was filled in.
    watch.allow(r"status of 400")
    form = action_form(page, "usul-panel")
    for person in members:
        form.get_by_label(person.display_name, exact=True).check()
    form.get_by_label("Ketua panel").select_option(label=chair.display_name)
    form.get_by_label("Catatan koordinasi").fill("Dikoordinasikan dengan Kepala Balai.")
    send(page, "usul-panel")
    panel = page.locator("#langkah-sekarang")
    expect(panel.get_by_role("alert").first).to_have_text("Ketua panel harus salah satu anggota.")
    expect(panel.get_by_text("Ketua panel harus salah satu anggota.").nth(1)).to_be_visible()
    expect(form.get_by_label(members[0].display_name, exact=True)).to_be_checked()
    shot("usulan-panel-ditolak")

    def propose(form: Locator) -> None:
        form.get_by_label(chair.display_name, exact=True).check()

    act(page, "usul-panel", propose, f"Usulan Tim Panel Banding {number} dikirim")
    shot("banding-langkah-6")

    # Step 6: the head appoints the proposed panel (the form starts from the proposal).
    login(page, p.head.username)
    open_from_inbox(page, number)
    proposed = action_form(page, "tunjuk-panel")
    expect(proposed.get_by_label(chair.display_name, exact=True)).to_be_checked()
    act(page, "tunjuk-panel", nothing, f"Tim Panel Banding {number} ditunjuk.")

    # Step 7: each member declares no conflict of interest; one notes a contact with the
    # customer; the chair uploads the investigation report.
    declared = "Pernyataan bebas benturan kepentingan Anda untuk banding"
    for member in members:
        login(page, member.username)
        open_from_inbox(page, number)
        expect(page.get_by_text("Formulir langkah ini terbuka setelah")).to_be_visible()
        act(page, "pernyataan", nothing, declared)
    note = "Pelanggan dihubungi melalui telepon untuk klarifikasi sampel."

    def write_note(form: Locator) -> None:
        form.get_by_label("Jenis catatan").select_option(label="Kontak dengan pelanggan")
        form.get_by_label("Isi catatan").fill(note)

    act(page, "catatan", write_note, f"Catatan investigasi banding {number} disimpan.")
    expect(page.get_by_text(note)).to_be_visible()

    login(page, chair.username)
    open_from_inbox(page, number)
    act(page, "pernyataan", nothing, declared)
    shot("banding-langkah-7")

    def upload_report(form: Locator) -> None:
        form.get_by_label("Laporan hasil investigasi").set_input_files(pdf_file("laporan.pdf"))
        form.get_by_label("Ringkasan").fill("Sampel arsip diuji ulang; selisih dalam toleransi.")

    act(page, "laporan", upload_report, f"Laporan hasil investigasi banding {number} diunggah.")
    expect(page.get_by_role("link", name="laporan.pdf")).to_be_visible()

    # Step 9: the panel meeting and its decision (the chair records it).
    def decide(form: Locator) -> None:
        form.get_by_label("Waktu rapat").fill(local_input(minutes_ago=10))
        form.get_by_label("Tempat rapat").fill("Ruang Rapat 1")
        expect(form.get_by_label("Daftar hadir")).to_contain_text(f"{chair.display_name}; ")
        form.get_by_label("Notulen rapat").fill("Panel membahas laporan hasil investigasi.")
        form.get_by_label("Diterima sebagian").check()
        form.get_by_label("Tindakan perbaikan atau pemulihan").fill("Pengujian ulang tanpa biaya.")

    act(page, "putuskan", decide, f"Keputusan rapat panel banding {number} disimpan.")

    # Step 10: the head issues the decision letter and approves the decision.
    login(page, p.head.username)
    open_from_inbox(page, number)
    decision_letter = issue_letter(page, "Keputusan penyelesaian banding", shot)
    shot("banding-langkah-10")

    def approve(form: Locator) -> None:
        form.get_by_label("Isi disposisi").fill("Untuk ditindaklanjuti dan disampaikan.")

    act(page, "setujui", approve, f"Keputusan banding {number} disetujui dan didisposisikan.")

    # Step 11: the team leader's disposition to the staff.
    login(page, p.lead.username)
    open_from_inbox(page, number)

    def disposition(form: Locator) -> None:
        form.get_by_label("Isi disposisi kepada staff PJTK").fill("Sampaikan kepada pelanggan.")

    act(page, "disposisi", disposition, f"Keputusan banding {number} didisposisikan")

    # Step 12: the staff deliver the decision and archive the file.
    login(page, p.staff.username)
    open_from_inbox(page, number)

    def close(form: Locator) -> None:
        form.get_by_label("Lemari arsip").fill("L-01")
        form.get_by_label("Boks arsip").fill("B-2026")
        form.get_by_label("Map arsip").fill("M-001")

    act(page, "tutup", close, f"Banding {number} disampaikan, diarsipkan dan selesai.")
    expect(page.get_by_role("heading", name="Banding selesai")).to_be_visible()
    expect(page.get_by_text("Lemari L-01 / boks B-2026 / map M-001")).to_be_visible()
    for step in MAIN_PATH:
        expect(row_of(page, step).locator(".badge").first).to_have_text("Selesai")
    expect(row_of(page, 4).locator(".badge").first).to_have_text("Tidak berlaku")
    timeline = page.locator("#judul-linimasa + ol")
    for step in MAIN_PATH[1:]:  # step 1 is the customer's letter, recorded at step 2
        expect(timeline.get_by_text(re.compile(rf"· langkah {step}$")).first).to_be_visible()
    shot("banding-selesai")

    # The decision letter downloads as the stored PDF.
    page.get_by_role("link", name="Keputusan penyelesaian banding").click()
    expect(page.get_by_text(decision_letter)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")

    # The register shows it closed.
    page.get_by_role("link", name="Buku agenda").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    expect(row).to_contain_text("Selesai")
    shot("buku-agenda")
    appeal.refresh_from_db()
    assert appeal.status == "closed"


def test_it_rejects_an_irrelevant_appeal_in_the_browser(page: Page, shot, p):
    appeal = register(p)
    number = appeal.number

    # Step 3: not relevant, with the reasons.
    login(page, p.lead.username)
    open_from_inbox(page, number)
    reasons = "Keluhan semula tidak berkaitan dengan hasil layanan balai."

    def verify(form: Locator) -> None:
        form.get_by_label("Tidak relevan").check()
        form.get_by_label("Alasan", exact=True).fill(reasons)

    act(page, "verifikasi", verify, f"Hasil verifikasi banding {number} disimpan.")
    shot("banding-langkah-4")

    # Step 4: the staff issue the rejection letter and record its delivery.
    login(page, p.staff.username)
    open_from_inbox(page, number)
    issue_letter(page, "Surat penolakan banding", shot)
    form = action_form(page, "tolak")
    expect(form.get_by_label("Alasan penolakan")).to_have_value(reasons)
    act(page, "tolak", nothing, f"Penolakan banding {number} dicatat; banding ditutup.")
    expect(page.get_by_role("heading", name="Banding ditolak (tidak relevan)")).to_be_visible()
    for step in REJECTION_PATH:
        expect(row_of(page, step).locator(".badge").first).to_have_text("Selesai")
    for step in (5, 6, 7, 9, 10, 11, 12):
        expect(row_of(page, step).locator(".badge").first).to_have_text("Tidak berlaku")
    shot("banding-ditolak")

    page.get_by_role("link", name="Buku agenda").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    expect(row).to_contain_text("Ditolak (tidak relevan)")
    shot("buku-agenda")
