"""The links SiBanding hands out lead to the server: with BANDING_PUBLIC_URL set to the live
server's own address (as `banding demo --port N` sets it for its port), the customer follows
the links of the milestone e-mail (the receipt and the appeal's progress), the receipt's
"Ikuti perkembangan" link, and the QR code of an issued letter (decoded: the QR image of the
letter is the QR code of exactly that address), and each finds its page."""

from __future__ import annotations

import re

import pytest
import segno
from django.core import mail
from playwright.sync_api import Page, expect

from banding.letters import render
from banding.notifications.outbox import mail_deliver_pending
from tests.browser.helpers import login
from tests.factories import issued, register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def public(live_server, settings) -> str:
    """The live server's address is the public URL (on a port of its own, not 8000)."""
    settings.BANDING_PUBLIC_URL = live_server.url
    return live_server.url


def links(text: str) -> list[str]:
    """The absolute links of a text, without the sentence's closing punctuation."""
    return [link.rstrip(".,;)") for link in re.findall(r"https?://[^\s<>\"]+", text)]


def test_the_links_of_a_mail_and_of_a_letters_qr_code_open_their_pages(page: Page, p, public):
    assert not public.endswith(":8000")
    appeal = register(p)
    sent_before = len(mail.outbox)
    mail_deliver_pending()
    milestone = [m for m in mail.outbox[sent_before:] if m.to == ["budi@kimia.example"]]
    assert len(milestone) == 1, [(m.to, m.subject) for m in mail.outbox[sent_before:]]
    found = links(milestone[0].body)
    assert found and all(link.startswith(f"{public}/") for link in found), found
    receipt_link = next(link for link in found if link.endswith("/tanda-terima/"))
    progress_link = next(link for link in found if link.endswith(f"/{appeal.public_id}/"))

    # The customer follows the mail's links (absolute: the browser goes where they say).
    login(page, p.customer.username)
    page.goto(receipt_link)
    expect(page.get_by_text(appeal.number).first).to_be_visible()
    follow = next(
        link
        for link in links(page.content())
        if link.endswith(f"/portal/banding/{appeal.public_id}/")
    )
    assert follow == progress_link
    page.goto(follow)
    expect(page.get_by_role("heading", name=appeal.number)).to_be_visible()

    # The letter's QR code: the image encodes its verification address, on this server.
    letter = issued(appeal, "tanda_terima", p.staff, p.lead)
    context = render.context(letter)
    url = context["verification_url"]
    assert url == f"{public}/verifikasi/{letter.verification_code}/"
    assert context["qr"] == segno.make(url).svg_data_uri(scale=3)
    with letter.pdf.open("rb") as stored:
        assert url.encode() in stored.read()  # the issued PDF prints it under the code
    page.context.clear_cookies()  # anybody holding the paper letter
    page.goto(url)
    expect(page.get_by_role("heading", name="Verifikasi surat")).to_be_visible()
    expect(page.locator(".status-surat")).to_contain_text("Berlaku")
    expect(page.locator(".penerbit")).to_have_text(
        "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kimia, Farmasi dan Kemasan "
        "(BBSPJIKFK)"
    )
