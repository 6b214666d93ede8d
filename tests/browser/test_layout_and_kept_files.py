"""In Chromium: every demo role's top bar is one line at 1280 px; nothing is wider than a
375 px phone on the appeal page, the inbox and the portal home; the intake side cards do not
break words; a form refused by the server comes back with its files kept, and is then saved
with them without choosing them again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from banding.appeals.models import Appeal, StagedUpload
from banding.platform import demo
from banding.platform.demo.data import ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import Watch
from tests.browser.helpers import local_input, login, pdf_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAFF = [a.username for a in ACCOUNTS if not a.organization]
CUSTOMER = next(a.username for a in ACCOUNTS if a.organization)

# The visible items of the top bar (links, menus, the notifications button, the account menu).
BAR_ITEMS = """() => [...document.querySelectorAll(
    '#navbar-utama > ul > li > .nav-link, #navbar-utama > .btn, '
    + '#navbar-utama > .dropdown > .btn')]
  .filter(e => e.offsetParent !== null)
  .map(e => {
    const r = e.getBoundingClientRect();
    return [e.textContent.trim(), r.top, r.height];
  })"""

PORTAL_ITEMS = BAR_ITEMS.replace("navbar-utama", "navbar-portal").replace(
    "> .btn", "> .navbar-text"
)

WIDER_THAN_PAGE = """() => document.documentElement.scrollWidth
  - document.documentElement.clientWidth"""


def test_every_demo_roles_top_bar_is_one_line_at_1280_px(page: Page, watch: Watch):
    demo.seed()
    page.set_viewport_size({"width": 1280, "height": 900})
    for username in STAFF:
        login(page, username, DEMO_PASSWORD)
        items = page.evaluate(BAR_ITEMS)
        assert len(items) >= 4, (username, items)
        tops = {round(top) for _, top, _ in items}
        assert max(tops) - min(tops) <= 8, (username, items)  # all on one line
        assert all(height < 48 for _, _, height in items), (username, items)  # none wraps
        assert page.evaluate(WIDER_THAN_PAGE) == 0, username
    # The customer's portal bar too.
    login(page, CUSTOMER, DEMO_PASSWORD)
    items = page.evaluate(PORTAL_ITEMS)
    assert len(items) >= 3, items
    assert max(t for _, t, _ in items) - min(t for _, t, _ in items) <= 8, items
    assert all(height < 48 for _, _, height in items), items
    watch.check()


def test_nothing_is_wider_than_a_phone_on_the_main_pages(page: Page, watch: Watch):
    demo.seed()
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "staf", DEMO_PASSWORD)
    assert page.evaluate(WIDER_THAN_PAGE) == 0, "inbox"
    for appeal in Appeal.objects.all():
        page.goto(f"/banding/{appeal.public_id}/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(WIDER_THAN_PAGE) == 0, appeal.number
    page.goto("/banding/baru/")
    assert page.evaluate(WIDER_THAN_PAGE) == 0, "intake"
    login(page, CUSTOMER, DEMO_PASSWORD)
    assert page.evaluate(WIDER_THAN_PAGE) == 0, "portal"
    watch.check()


def test_the_intake_side_cards_do_not_break_words(page: Page, watch: Watch):
    demo.seed()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "staf", DEMO_PASSWORD)
    page.goto("/banding/baru/")
    # Each label of the SOP cards on one line: as high as one line of its text.
    heights = page.evaluate(
        """() => [...document.querySelectorAll('aside .sop-langkah dt')].map(
            e => [e.textContent, e.getBoundingClientRect().height,
                  parseFloat(getComputedStyle(e).lineHeight)])"""
    )
    assert heights
    assert all(h <= line * 1.2 for _, h, line in heights), heights
    watch.check()


def test_a_refused_intake_keeps_its_files_and_saves_them(page: Page, shot, watch: Watch, p):
    login(page, p.staff.username)
    page.get_by_role("link", name="Banding baru").click()
    page.get_by_label("Organisasi pelanggan").select_option(label=p.org.name)
    page.get_by_label("Narahubung", exact=True).fill("Budi Santoso")
    page.get_by_label("Saluran").select_option(label="Email")
    # Received "tomorrow": the service refuses it (a time in the future).
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Waktu diterima").fill(tomorrow)
    page.get_by_label("Nomor keluhan yang dibanding").fill("KEL/2026/017")
    page.get_by_label("Tanggal hasil penanganan keluhan").fill(
        (timezone.localdate() - timedelta(days=10)).isoformat()
    )
    page.get_by_label("Jenis layanan").select_option(label="Pengujian")
    page.get_by_label("Alasan banding").fill("Hasil uji kadar air tidak sesuai hasil kami.")
    page.get_by_label("Penyelesaian yang diminta").fill("Pengujian ulang dengan sampel arsip.")
    page.get_by_label("Surat permohonan banding").set_input_files(pdf_file("surat-banding.pdf"))
    page.get_by_label("Dokumen pendukung").set_input_files(
        [pdf_file("lampiran-1.pdf"), pdf_file("lampiran-2.pdf")]
    )
    page.get_by_label("Tidak ada pihak terlibat", exact=True).check()
    page.get_by_label("Alasan tidak ada pihak terlibat").fill("Dikerjakan laboratorium mitra.")
    watch.allow(r"status of 400")
    page.get_by_role("button", name="Catat banding").click()

    expect(page.get_by_role("alert").first).to_be_visible()
    kept = page.locator(".berkas-tersimpan")
    expect(kept).to_have_count(2)
    expect(kept.first).to_contain_text("surat-banding.pdf")
    expect(kept.nth(1)).to_contain_text("lampiran-1.pdf")
    expect(kept.nth(1)).to_contain_text("lampiran-2.pdf")
    assert StagedUpload.objects.count() == 3
    assert not Appeal.objects.exists()
    shot("berkas-yang-sudah-dipilih")

    # Corrected, sent again without choosing any file: one attachment removed.
    page.get_by_label("Waktu diterima").fill(local_input(minutes_ago=60))
    kept.nth(1).get_by_label("Hapus").nth(1).check()
    page.get_by_role("button", name="Catat banding").click()
    expect(page.get_by_role("alert").filter(has_text="Banding tercatat")).to_be_visible()
    appeal = Appeal.objects.get()
    names = sorted(d.original_name for d in appeal.documents.all())
    assert names == ["lampiran-1.pdf", "surat-banding.pdf"]
    expect(page.get_by_role("link", name="lampiran-1.pdf")).to_be_visible()
    assert not StagedUpload.objects.exists()
    watch.check()
