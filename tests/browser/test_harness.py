"""The browser harness itself: the pages load their own CSS and JavaScript under the strict
Content-Security-Policy, and a violation or a JS error would fail a test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch
from tests.browser.helpers import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def test_it_loads_bootstrap_and_htmx_under_the_csp(page: Page, shot, p):
    response = page.goto("/masuk/")
    assert response is not None and response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    button = page.get_by_role("button", name="Masuk")
    # Bootstrap's stylesheet applies (the button is Bootstrap blue, not the browser's grey).
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == BOOTSTRAP_PRIMARY
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.bootstrap") == "object"
    shot("masuk")
    login(page, "staff")
    assert page.evaluate("typeof window.htmx.ajax") == "function"
    shot("tugas-saya")


def test_it_reports_a_csp_violation_and_a_js_error(page: Page, watch: Watch, p):
    page.goto("/masuk/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
              const s = document.createElement("script");
              s.textContent = "window.inlineRan = true";
              document.head.appendChild(s);
            }"""
        )
    assert page.evaluate("window.inlineRan === undefined")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('gagal-uji') })")
    found = list(watch.problems)
    assert any(f.startswith("CSP ") and "script-src" in f for f in found), found
    assert any("gagal-uji" in f for f in found), found
    with pytest.raises(AssertionError, match="the browser reported"):
        watch.check()
    expect(page.get_by_role("heading", name="Masuk ke SiBanding")).to_be_visible()


def test_a_form_disabled_against_double_submission_still_says_which_button_was_pressed(
    page: Page, p
):
    # app.js disables every submit button of a form being sent; a disabled button is not sent,
    # so the pressed one's name and value must travel another way (aksi=finalkan, decision=...).
    page.goto("/masuk/")
    page.evaluate(
        """() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/terbawa/";
          form.innerHTML = '<input name="isi" value="x">' +
            '<button type="submit" name="aksi" value="simpan">Simpan</button>' +
            '<button type="submit" name="aksi" value="finalkan">Finalkan</button>';
          document.body.append(form);
        }"""
    )
    sent: list[str] = []

    def capture(route):
        sent.append(route.request.post_data or "")
        route.fulfill(status=200, body="ok", content_type="text/plain")

    page.route("**/terbawa/", capture)
    page.get_by_role("button", name="Finalkan").click()
    page.wait_for_url("**/terbawa/")
    assert sent == ["isi=x&aksi=finalkan"]
