"""The portal's id/EN switch in a real browser: a customer switches to English, the portal
answers in English, and after signing out and in again (fresh cookies) the account's choice
still holds; switching back gives Indonesian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from banding.accounts.models import User
from tests.browser.helpers import PASSWORD
from tests.portal.helpers import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Page, username: str, signed_in_button: str) -> None:
    """The shared login page (Indonesian), then the portal in the account's language."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("button", name=signed_in_button)).to_be_visible()


def test_the_switch_gives_english_and_the_account_keeps_it(page: Page, p, shot):
    appeal = submit(p)
    sign_in(page, p.customer.username, "Keluar")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name=f"Banding {p.org.name}")).to_be_visible()

    page.get_by_role("button", name="EN", exact=True).click()

    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=f"Appeals of {p.org.name}")).to_be_visible()
    expect(page.get_by_role("link", name="Submit an appeal").first).to_be_visible()
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert User.objects.get(pk=p.customer.pk).language == "en"
    page.get_by_role("link", name=appeal.number).click()
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.get_by_text("We have received your appeal.")).to_be_visible()
    shot("portal-in-english")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/masuk/"))
    sign_in(page, p.customer.username, "Sign out")  # cookies cleared: the account holds it
    expect(page.get_by_role("heading", name=f"Appeals of {p.org.name}")).to_be_visible()

    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.get_by_role("heading", name=f"Banding {p.org.name}")).to_be_visible()
    assert User.objects.get(pk=p.customer.pk).language == "id"
