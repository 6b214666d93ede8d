"""Issue 18 item 4 in a real browser: a Staff PJTK takes a step from Tugas saya (Saya
kerjakan); another Staff PJTK no longer has it among her turns, finds it under "Dikerjakan
orang lain" and on the appeal page as taken."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from banding.accounts.roles import Role
from tests.browser.conftest import Watch
from tests.browser.helpers import login
from tests.factories import make_user
from tests.portal.helpers import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_staff_takes_a_step_from_tugas_saya_and_the_other_sees_it_taken(
    page: Page, shot, watch: Watch, p
):
    maria = make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")
    appeal = submit(p, complaint_reference="KEL/2026/123")
    other = submit(p, complaint_reference="KEL/2026/124")

    login(page, p.staff.username)  # Staff PJTK land on Tugas saya
    expect(page.get_by_role("heading", name="Tugas saya")).to_be_visible()
    row = page.locator("#tugas tbody tr").filter(has=page.get_by_role("link", name=appeal.number))
    expect(row).to_contain_text("Keluhan KEL/2026/123")
    expect(row).to_contain_text("PT Kimia Nusantara")
    expect(row).to_contain_text("Hasil uji kadar air tidak sesuai")
    shot("tugas-saya-sebelum")
    row.get_by_role("button", name="Saya kerjakan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Anda mengerjakan langkah 2 banding {appeal.number}."
    )
    row = page.locator("#tugas tbody tr").filter(has=page.get_by_role("link", name=appeal.number))
    expect(row).to_contain_text("Anda mengerjakannya sejak")
    expect(row.get_by_role("button", name="Lepaskan")).to_be_visible()
    expect(page.get_by_role("link", name="Saya kerjakan 1")).to_be_visible()
    shot("tugas-saya-diambil")
    watch.check()

    login(page, maria.username)
    turns = page.locator("#tugas")
    expect(turns.get_by_role("link", name=other.number)).to_be_visible()
    expect(turns.get_by_role("link", name=appeal.number)).to_have_count(0)
    page.get_by_role("link", name="Dikerjakan orang lain 1").click()
    row = page.locator("#tugas tbody tr").filter(has=page.get_by_role("link", name=appeal.number))
    expect(row).to_contain_text("Dikerjakan oleh Staff")
    expect(row.get_by_role("button")).to_have_count(0)
    shot("dikerjakan-orang-lain")
    row.get_by_role("link", name=appeal.number).click()
    taken = page.locator("#dikerjakan")
    expect(taken).to_contain_text("Dikerjakan oleh Staff")
    expect(taken).to_contain_text("Anda tetap dapat bertindak pada langkah ini")
    expect(taken.get_by_role("button")).to_have_count(0)
    shot("banding-dikerjakan-orang-lain")
    watch.check()
