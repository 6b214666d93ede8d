"""What the browser tests do again and again: sign in, open an appeal from a list, use the
form of one action on the appeal page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.factories import PDF_BYTES

PASSWORD = "rahasia-uji-123"  # tests.factories.make_user


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form, as nobody else (the cookies are cleared first)."""
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    # Staff land on their inbox, customers on the portal: either way, away from the form.
    expect(page).not_to_have_url(re.compile(r"/masuk/"))
    expect(page.get_by_role("button", name="Keluar")).to_be_attached()
    page.wait_for_load_state()  # the deferred scripts (htmx) have run


def open_from_inbox(page: Page, number: str) -> None:
    """The appeal must be in the user's inbox ("Tugas saya"): it is their turn."""
    page.get_by_role("link", name="Tugas saya").click()
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", name=f"Banding {number}")).to_be_visible()
    page.wait_for_load_state()


def action_form(page: Page, slug: str) -> Locator:
    return page.locator(f"form[action$='/aksi/{slug}/']")


def send(page: Page, slug: str) -> None:
    """Press the submit button of action `slug`; htmx (not the browser) must post it."""
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
