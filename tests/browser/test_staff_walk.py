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
    issue_letter,
    local_input,
    login,
    nothing,
    open_from_inbox,
    panel_of,
    pdf_file,
    send,
    walk_to_closure,
)
from tests.factories import register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAIN_PATH = (1, 2, 3, 5, 6, 7, 9, 10, 11, 12)
REJECTION_PATH = (1, 2, 3, 4)


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
    # Step 2's required answer about the persons of the original activity.
    page.get_by_label("Tidak ada pihak terlibat", exact=True).check()
    page.get_by_label("Alasan tidak ada pihak terlibat").fill(
        "Pengujian dilakukan laboratorium mitra; tidak ada pegawai balai yang terlibat."
    )
    shot("formulir-banding-baru")
    page.get_by_role("button", name="Catat banding").click()
    recorded = page.get_by_role("alert").filter(has_text="Banding tercatat dengan nomor register")
    expect(recorded).to_be_visible()
    appeal = Appeal.objects.get()
    number = appeal.number
    expect(recorded).to_have_text(f"Banding tercatat dengan nomor register {number}.")
    expect(page.get_by_role("link", name="surat-banding.pdf")).to_be_visible()
    shot("banding-langkah-3")
    # The receipt to the customer: prepared by the staff, signed a.n. Kepala Balai.
    receipt = issue_letter(page, "Tanda terima banding", shot, signer=p.lead)
    assert receipt.startswith("B-1/BBSPJIKFK/PJTK/HM.01/")

    # Steps 3-12 by the role that owns each (tests.browser.helpers.walk_to_closure). At step
    # 5 the technical team first names a chair who is not a member: the service refuses
    # (400) and htmx swaps the step panel for the form with the message, keeping what was
    # filled in.
    chair, members = panel_of(p)

    def refuse_chair_outside_panel() -> None:
        watch.allow(r"status of 400")
        form = action_form(page, "usul-panel")
        for person in members:
            form.get_by_label(person.display_name, exact=True).check()
        form.get_by_label("Ketua panel").select_option(label=chair.display_name)
        form.get_by_label("Catatan koordinasi").fill("Dikoordinasikan dengan Kepala Balai.")
        send(page, "usul-panel")
        panel = page.locator("#langkah-sekarang")
        message = "Ketua panel harus salah satu anggota."
        expect(panel.get_by_role("alert").first).to_have_text(message)
        expect(panel.get_by_text(message).nth(1)).to_be_visible()
        expect(form.get_by_label(members[0].display_name, exact=True)).to_be_checked()
        shot("usulan-panel-ditolak")

    decision_letter = walk_to_closure(
        page, p, number, shot, before={"usul-panel": refuse_chair_outside_panel}
    )
    expect(page.get_by_text("Lemari L-01 / boks B-2026 / map M-001")).to_be_visible()
    for step in MAIN_PATH:
        expect(row_of(page, step).locator(".badge").first).to_have_text("Selesai")
    expect(row_of(page, 4).locator(".badge").first).to_have_text("Tidak berlaku")
    timeline = page.locator("section[aria-labelledby=judul-linimasa]")
    timeline.locator("#linimasa-sebelumnya > summary").click()  # the earlier entries, folded
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

    # Step 4: the letter first (the delivery form waits for it, saying why), signed by the
    # head; then the staff record its delivery.
    login(page, p.staff.username)
    open_from_inbox(page, number)
    form = action_form(page, "tolak")
    expect(form.locator("button[type=submit]")).to_be_disabled()
    expect(form.get_by_text("Terbitkan dahulu output langkah ini")).to_be_visible()
    shot("langkah-4-menunggu-surat")
    issue_letter(page, "Surat penolakan banding", shot, signer=p.head)
    login(page, p.staff.username)
    open_from_inbox(page, number)
    expect(page.locator(".output-langkah")).to_contain_text("Terbit")
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
