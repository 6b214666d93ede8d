"""What the browser tests do again and again: sign in, open an appeal from a list, use the
form of one action on the appeal page, issue a letter, walk an appeal from verification to
closure, open the customer's phone-sized tab."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.factories import PDF_BYTES

if TYPE_CHECKING:
    from banding.accounts.models import User
    from tests.browser.conftest import Watch
    from tests.factories import Personas

# expect() waits up to 5 s by default, the actions 15 s (conftest's context timeout): on a
# loaded CI machine a page can take longer than 5 s to render, so the assertions wait as long.
expect.set_options(timeout=15_000)

Shot = Callable[[str], Path]  # the `shot` fixture: a named screenshot of the page
Hook = Callable[[], None]

PASSWORD = "rahasia-uji-123"  # tests.factories.make_user


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form, as nobody else (the cookies are cleared first).
    The page before may still be loading its cards (htmx): their responses, arriving after
    the cookies are cleared, would set the previous user's CSRF cookie under the login form."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    # Staff land on their inbox, customers on the portal: either way, away from the form.
    expect(page).not_to_have_url(re.compile(r"/masuk/"))
    # On a phone the button sits in the collapsed menu: attached, not visible.
    expect(page.get_by_role("button", name="Keluar", include_hidden=True)).to_be_attached()
    page.wait_for_load_state()  # the deferred scripts (htmx) have run


def open_from_inbox(page: Page, number: str) -> None:
    """The appeal must be in the user's inbox ("Tugas saya"): it is their turn."""
    page.get_by_role("link", name="Tugas saya", exact=True).click()
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", name=f"Banding {number}")).to_be_visible()
    page.wait_for_load_state()


def action_form(page: Page, slug: str) -> Locator:
    return page.locator(f"form[action$='/aksi/{slug}/']")


def send(page: Page, slug: str) -> None:
    """Press the submit button of action `slug`; htmx (not the browser) must post it.

    The page may still be loading (a link was just followed): htmx is a deferred script, so
    wait until it has taken the form over, or the click would post it natively."""
    form = action_form(page, slug)
    form.wait_for(state="attached")
    page.wait_for_function(
        "form => form.isConnected && form['htmx-internal-data']?.initHash !== undefined",
        arg=form.element_handle(),
    )
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith(f"/aksi/{slug}/")
    ) as sent:
        action_form(page, slug).locator("button[type=submit]").click()
    assert sent.value.headers.get("hx-request") == "true", "htmx did not send the form"


def act(page: Page, slug: str, fill: Callable[[Locator], None], done: str) -> None:
    """Fill and send the form of action `slug`. On success the server sends the browser back
    to the appeal page (HX-Redirect), which shows `done`."""
    fill(action_form(page, slug))
    send(page, slug)
    expect(page.get_by_role("alert").filter(has_text=done)).to_be_visible()
    page.wait_for_load_state()  # htmx is ready again for the next form


def nothing(_form: Locator) -> None:
    """For forms whose initial values are right (or that have no fields)."""


def pdf_file(name: str) -> dict:
    """A PDF for a file input (checked by content on the server, so it must start %PDF)."""
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def local_input(minutes_ago: int = 0) -> str:
    """A value for <input type="datetime-local">, in WIB, as the server reads it."""
    moment = timezone.localtime() - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M")


def sign_letter(page: Page, shot: Shot | None = None, name: str = "") -> str:
    """On a draft's page, as its signer: confirm with the password and issue it. Returns the
    letter number."""
    page.get_by_label("Kata sandi Anda").fill(PASSWORD)
    page.get_by_role("button", name="Terbitkan dan tandatangani").click()
    issued = page.get_by_role("alert").filter(has_text="terbit dan ditandatangani")
    expect(issued).to_be_visible()
    number = issued.inner_text().removeprefix("Surat ").split(" terbit")[0]
    expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
    if shot:
        shot(f"surat-{name}")
    return number


def issue_letter(
    page: Page, label: str, shot: Shot | None = None, *, signer: User | None = None
) -> str:
    """Draft a letter from the step's output card (or the "Surat" card) and issue it: as the
    user signed in, or — when another signs it — as `signer`, who finds it among the drafts
    waiting for their signature in Tugas saya. Back on the appeal page, as the signer. Returns
    the letter number."""
    page.get_by_role("button", name=f"Buat draf {label}").click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    if signer is not None:
        login(page, signer.username)
        if "/laporan/" in page.url:  # the head lands on the dashboard, told what waits
            page.get_by_role("link", name="Buka Tugas saya").click()
        waiting = page.locator("#tanda-tangan + p + ul li").filter(has_text=label).first
        waiting.get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", name=label)).to_be_visible()
    number = sign_letter(page, shot, label)
    page.locator(".breadcrumb").get_by_role("link").click()
    return number


def complete_step(page: Page, number: str) -> None:
    """Complete a step whose letters were made from its record (3, 5, 6, 9)."""
    act(page, "selesaikan", nothing, f"Langkah banding {number} diselesaikan")


# --- the walk from verification (step 3) to closure (step 12) ------------------------------


def panel_of(p: Personas) -> tuple[User, list[User]]:
    """The chair and the two other members every walk puts on the panel."""
    chair, *members = p.panel[:3]
    return chair, members


def confirm_similar(form: Locator) -> None:
    """Steps 3 and 9: when similar earlier appeals are listed, consider them all and say so."""
    for box in form.locator("input[name=similar_considered]").all():
        box.check()
    confirm = form.locator("input[name=similar_confirmed]")
    if confirm.count():
        confirm.check()


def walk_to_closure(
    page: Page,
    p: Personas,
    number: str,
    shot: Shot | None = None,
    *,
    before: Mapping[str, Hook] | None = None,
) -> str:
    """Walk appeal `number`, waiting at step 3, to closure in the UI, each step by the role
    that owns it (the main path: relevant, panel, decision partly accepted). Returns the
    decision letter's number.

    `before[slug]` runs when the user of action `slug` has the appeal page open, just before
    that action's form is filled: a test looks at the customer's portal in its own tab there,
    invites the customer, or provokes a refusal first."""
    hooks = before or {}
    chair, members = panel_of(p)

    def turn(user: User, slug: str) -> None:
        login(page, user.username)
        open_from_inbox(page, number)
        _hook(slug)

    def _hook(slug: str) -> None:
        if slug in hooks:
            hooks[slug]()

    # Step 3: the team leader verifies: complete and relevant, to the testing team.
    def verify(form: Locator) -> None:
        for box in form.locator("input[name=checklist]").all():
            box.check()
        form.get_by_label("Relevan", exact=True).check()
        form.get_by_label("Alasan", exact=True).fill("Lengkap dan relevan dengan hasil uji.")
        team = form.get_by_label("Bagian/Tim Teknis tujuan nota dinas")
        team.select_option(label=p.team_a.name)
        confirm_similar(form)

    turn(p.lead, "verifikasi")
    act(page, "verifikasi", verify, f"Hasil verifikasi banding {number} disimpan.")
    issue_letter(page, "Nota dinas permohonan penyelesaian banding", shot)
    complete_step(page, number)

    # Step 5: the technical team proposes the panel.
    def propose(form: Locator) -> None:
        for person in (chair, *members):
            form.get_by_label(person.display_name, exact=True).check()
        form.get_by_label("Ketua panel").select_option(label=chair.display_name)
        form.get_by_label("Catatan koordinasi").fill("Dikoordinasikan dengan Kepala Balai.")

    turn(p.tech, "usul-panel")
    act(page, "usul-panel", propose, f"Usulan Tim Panel Banding {number} dicatat")
    issue_letter(page, "Usulan Tim Panel Banding", shot)
    complete_step(page, number)
    if shot:
        shot("banding-langkah-6")

    # Step 6: the head appoints the proposed panel (the form starts from the proposal).
    turn(p.head, "tunjuk-panel")
    proposed = action_form(page, "tunjuk-panel")
    expect(proposed.get_by_label(chair.display_name, exact=True)).to_be_checked()
    act(page, "tunjuk-panel", nothing, f"Penunjukan Tim Panel Banding {number} dicatat")
    issue_letter(page, "Surat tugas penunjukan Tim Panel Banding", shot)
    complete_step(page, number)

    # Step 7: each member declares no conflict of interest; one notes a contact with the
    # customer; the chair declares too and uploads the investigation report.
    declared = "Pernyataan benturan kepentingan Anda untuk banding"
    for member in members:
        turn(member, "pernyataan")
        expect(page.get_by_text("Formulir langkah ini terbuka setelah")).to_be_visible()
        act(page, "pernyataan", nothing, declared)
    note = "Pelanggan dihubungi melalui telepon untuk klarifikasi sampel."

    def write_note(form: Locator) -> None:
        form.get_by_label("Jenis catatan").select_option(label="Kontak dengan pelanggan")
        form.get_by_label("Isi catatan").fill(note)

    _hook("catatan")
    act(page, "catatan", write_note, f"Catatan investigasi banding {number} disimpan.")
    expect(page.get_by_text(note)).to_be_visible()

    turn(chair, "pernyataan")
    act(page, "pernyataan", nothing, declared)
    if shot:
        shot("banding-langkah-7")

    def upload_report(form: Locator) -> None:
        form.get_by_label("Laporan hasil investigasi").set_input_files(pdf_file("laporan.pdf"))
        form.get_by_label("Ringkasan").fill("Sampel arsip diuji ulang; selisih dalam toleransi.")

    _hook("laporan")
    act(page, "laporan", upload_report, f"Laporan hasil investigasi banding {number} diunggah.")
    expect(page.get_by_role("link", name="laporan.pdf")).to_be_visible()

    # Step 9: the panel meeting and its decision (the chair records it).
    def decide(form: Locator) -> None:
        # Now: the panel was appointed a few minutes ago, and a meeting is not before it.
        form.get_by_label("Waktu rapat").fill(local_input())
        form.get_by_label("Tempat rapat").fill("Ruang Rapat 1")
        # Attendance per seat of the panel, every seat ticked to begin with.
        for person in (chair, *members):
            expect(form.get_by_label(person.display_name, exact=False)).to_be_checked()
        form.get_by_label("Notulen rapat").fill("Panel membahas laporan hasil investigasi.")
        form.get_by_label("Diterima sebagian").check()
        form.get_by_label("Pertimbangan atau alasan keputusan").fill(
            "Sebagian keberatan terbukti dari hasil uji ulang."
        )
        confirm_similar(form)
        form.get_by_label("Tindakan perbaikan atau pemulihan").fill("Pengujian ulang tanpa biaya.")

    _hook("putuskan")
    act(page, "putuskan", decide, f"Hasil rapat panel banding {number} dicatat")
    issue_letter(page, "Daftar hadir rapat panel", shot)
    issue_letter(page, "Notulen rapat panel", shot)
    complete_step(page, number)

    # Step 10: the head issues the decision letter and approves the decision.
    turn(p.head, "setujui")
    decision_letter = issue_letter(page, "Keputusan penyelesaian banding", shot)
    if shot:
        shot("banding-langkah-10")

    def approve(form: Locator) -> None:
        form.get_by_label("Isi disposisi").fill("Untuk ditindaklanjuti dan disampaikan.")

    act(page, "setujui", approve, f"Keputusan banding {number} disetujui dan didisposisikan.")

    # Step 11: the team leader's disposition to the staff.
    def disposition(form: Locator) -> None:
        form.get_by_label("Isi disposisi kepada staff PJTK").fill("Sampaikan kepada pelanggan.")

    turn(p.lead, "disposisi")
    act(page, "disposisi", disposition, f"Keputusan banding {number} didisposisikan")

    # Step 12: the staff deliver the decision and archive the file.
    def close(form: Locator) -> None:
        form.get_by_label("Lemari arsip").fill("L-01")
        form.get_by_label("Boks arsip").fill("B-2026")
        form.get_by_label("Map arsip").fill("M-001")

    # The delivery letter, prepared by the staff and signed a.n. Kepala Balai by the team
    # leader, first; then the staff record its delivery and the archive.
    turn(p.staff, "tutup")
    issue_letter(page, "Surat penyampaian keputusan banding", shot, signer=p.lead)
    turn(p.staff, "tutup")
    act(page, "tutup", close, f"Banding {number} disampaikan, diarsipkan dan selesai.")
    expect(page.get_by_role("heading", name="Banding selesai")).to_be_visible()
    return decision_letter


# --- a second tab: the customer's phone -----------------------------------------------------

PHONE = {"width": 390, "height": 844}


def phone_tab(browser: Browser, base_url: str, watch: Watch) -> Page:
    """A tab in its own browser context (own cookies) the size of a phone, watched like the
    `page` fixture's: the customer keeps their session while staff sign in and out in the
    desktop tab. The caller closes its context."""
    context = browser.new_context(
        base_url=base_url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    context.on("console", watch.console)
    tab = context.new_page()
    tab.on("pageerror", watch.page_error)
    return tab
