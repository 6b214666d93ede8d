"""The "Banding serupa sebelumnya" card in a real browser: the appeal page loads it after
itself with htmx (under the strict CSP), in place of its placeholder link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Watch
from tests.browser.helpers import login
from tests.factories import register, walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_head_sees_the_similar_appeals_loaded_after_the_page(page: Page, watch: Watch, p):
    earlier = walk(p, register(p, reference_document="LHU-2026-0777"), 13)
    appeal = register(p, reference_document="LHU-2026-0777")
    login(page, p.head.username)
    with page.expect_response(lambda r: r.url.endswith(f"/banding/{appeal.public_id}/serupa/")):
        page.goto(f"/banding/{appeal.public_id}/")
    card = page.locator("#banding-serupa")
    expect(card.get_by_role("link", name=earlier.number, exact=True)).to_be_visible()
    expect(card).to_contain_text("dokumen acuan sama")
    # The placeholder's link for a browser without JavaScript is gone.
    expect(card.get_by_role("link", name="Lihat banding serupa sebelumnya")).to_have_count(0)
    watch.check()
