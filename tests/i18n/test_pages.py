"""Staff pages in Indonesian whatever the browser says; the customer's portal in the
customer's language, with nothing left untranslated from the catalog."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import walk
from tests.i18n.catalog import po_entries
from tests.portal.helpers import submit

WIB = ZoneInfo("Asia/Jakarta")
# The months whose English name differs from the Indonesian one (April, September and
# November are spelled alike).
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|May|June|July|August|October|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    # 5 December: "Desember" is not "December".
    time_machine.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=WIB), tick=True)


@pytest.fixture
def appeals(p):
    """A customer's closed appeal (decided, survey open) and a fresh one."""
    closed = walk(p, submit(p), 13)
    fresh = submit(p, complaint_reference="KEL/2026/031")
    return closed, fresh


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_staff_pages_are_indonesian_for_an_english_browser(client, p, appeals):
    closed, _ = appeals
    pages = [
        (p.staff, reverse("appeals:detail", args=[closed.public_id])),
        (p.staff, reverse("appeals:inbox")),
        (p.staff, reverse("appeals:register")),
        (p.lead, reverse("reports:monitoring")),
        (p.lead, reverse("reports:dashboard")),
    ]
    for user, url in pages:
        client.force_login(user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        assert response["Content-Language"] == "id"
        text = _text(response)
        assert ENGLISH_MONTHS.findall(text) == [], url
        assert " bytes" not in text, url
    client.force_login(p.staff)
    detail = _text(client.get(pages[0][1], HTTP_ACCEPT_LANGUAGE="en"))
    assert "Desember 2026" in detail


def test_the_login_page_stays_indonesian(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "id"


def _portal_pages(client, appeals) -> dict[str, str]:
    closed, fresh = appeals
    urls = [
        reverse("portal:home"),
        reverse("portal:appeal", args=[closed.public_id]),
        reverse("portal:appeal", args=[fresh.public_id]),
        reverse("portal:receipt", args=[fresh.public_id]),
        reverse("portal:submit"),
        reverse("portal:notifications"),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url
        pages[url] = _text(response)
    return pages


def _untranslated(pages: dict[str, str]) -> dict[str, list[str]]:
    """Catalog texts (12 characters or more) shown in Indonesian on an English page."""
    texts = [
        e.msgid
        for e in po_entries("en").values()
        if len(e.msgid) >= 12 and e.msgstr and e.msgstr != e.msgid and "%(" not in e.msgid
    ]
    found: dict[str, list[str]] = {}
    for url, text in pages.items():
        for msgid in texts:
            if msgid in text:
                found.setdefault(url, []).append(msgid)
    return found


def test_the_portal_in_english_by_the_accounts_choice(client, p, appeals):
    p.customer.language = "en"
    p.customer.save(update_fields=["language"])
    client.force_login(p.customer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"  # the account's choice wins

    pages = _portal_pages(client, appeals)

    assert _untranslated(pages) == {}
    appeal_page = pages[reverse("portal:appeal", args=[appeals[0].public_id])]
    assert "Outcome of the appeal" in appeal_page
    assert "Satisfaction survey" in appeal_page
    assert "How do you rate the speed of the service?" in appeal_page
    assert "December 2026" in appeal_page  # the customer's dates in English too
    assert "My appeals" in pages[reverse("portal:home")]


def test_the_portal_in_english_by_the_cookie(client, p, appeals):
    client.force_login(p.customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    pages = _portal_pages(client, appeals)

    assert _untranslated(pages) == {}


def test_the_portal_follows_the_browser_until_a_choice_is_made(client, p, appeals):
    client.force_login(p.customer)

    english = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    other = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="fr")

    assert english["Content-Language"] == "en"
    assert "My appeals" in english.content.decode()
    assert other["Content-Language"] == "id"
    assert "Banding saya" in other.content.decode()


def test_the_accounts_indonesian_wins_over_an_english_browser(client, p, appeals):
    p.customer.language = "id"
    p.customer.save(update_fields=["language"])
    client.force_login(p.customer)

    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "id"
    assert response["Vary"].count("Accept-Language") == 1


def test_english_costs_no_query_more(client, p, appeals, django_assert_num_queries):
    client.force_login(p.customer)
    url = reverse("portal:appeal", args=[appeals[0].public_id])
    client.get(url)  # warm the process-wide caches (calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as indonesian:
        client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    with django_assert_num_queries(len(indonesian)):
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_the_receipt_pdf_stays_indonesian(client, p, appeals):
    _, fresh = appeals
    p.customer.language = "en"
    p.customer.save(update_fields=["language"])
    client.force_login(p.customer)
    from tests.letters.conftest import pdf_text

    response = client.get(reverse("portal:receipt", args=[fresh.public_id]), {"format": "pdf"})

    text = pdf_text(b"".join(response.streaming_content))
    assert "Nomor register" in text
    assert "Register number" not in text
