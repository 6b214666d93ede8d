"""Content-Security-Policy: every page is sent with a policy that allows only our own scripts,
and no template carries an inline script, inline style or event-handler attribute that such a
policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import Personas, register
from tests.letters.conftest import issued

ROOT = Path(__file__).resolve().parent.parent / "banding"
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))
# Rendered only to PDF by WeasyPrint (their <style> is the page layout), never sent to a browser.
PDF_ONLY = {
    "archive/timeline.html",
    "archive/records/base.html",
    "archive/retention/pdf_base.html",
    "letters/base.html",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def assert_strict(response) -> None:
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert 'style="' not in html


def test_templates_exist_to_scan():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda t: str(t.relative_to(ROOT)))
def test_no_template_has_inline_script_style_or_handler(path: Path):
    text = path.read_text()
    assert not INLINE_SCRIPT.findall(text), "every <script> needs src= (CSP script-src 'self')"
    assert not EVENT_HANDLER.findall(text), "on...= handlers are inline scripts"
    assert "javascript:" not in text
    # As the template loader names it: the path below its `templates` folder.
    parts = path.parts
    name = "/".join(parts[len(parts) - parts[::-1].index("templates") :])
    if name not in PDF_ONLY:
        assert 'style="' not in text, f"{name}: move the style to banding/static/css/app.css"
        assert "<style" not in text, f"{name}: move the style to banding/static/css/app.css"


def test_every_main_page_sends_the_policy(client, p: Personas):
    appeal = register(p)
    letter = issued(appeal, "tanda_terima", p.staff, p.head)
    anonymous = Client()
    pages = [
        anonymous.get(reverse("login")),
        anonymous.get(f"/verifikasi/{letter.verification_code}/"),
    ]
    client.force_login(p.staff)
    for url in (
        reverse("appeals:inbox"),
        reverse("appeals:register"),
        reverse("appeals:detail", args=[appeal.public_id]),
        reverse("notifications:list"),
        reverse("accounts:tokens"),
    ):
        pages.append(client.get(url))
    for page in pages:
        assert page.status_code == 200, page.request["PATH_INFO"]
        assert_strict(page)


def test_api_docs_work_under_the_policy(client, p: Personas):
    client.force_login(p.staff)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert policy(page)["script-src"] == ["'self'"]
    html = page.content.decode()
    # django-ninja's Swagger page: its settings are a JSON data block (not executed, so not
    # blocked) and its start-up code is a static file.
    scripts = re.findall(r"<script[^>]*>", html)
    assert [s for s in scripts if "src=" not in s] == [
        '<script type="application/json" id="swagger-settings">'
    ]
    assert "/static/ninja/swagger-ui-init.js" in html
