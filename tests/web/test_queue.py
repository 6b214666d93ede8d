"""Issue 18 item 4, the pages: Tugas saya says what each case is (customer, complaint
reference, the grounds in short, step, due time), filters its rows with a count per view, and
a shared step is taken (Saya kerjakan) and released (Lepaskan) from it or the appeal page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banding.accounts.roles import Role
from banding.appeals import services
from banding.appeals.models import Appeal
from banding.formats import summary
from tests.factories import make_user, register, walk
from tests.portal.helpers import submit
from tests.state import capture, open_step
from tests.web.helpers import detail_url
from tests.web.test_detail import PAGE_QUERIES
from tests.web.test_detail import queries as detail_queries

INBOX = reverse("appeals:inbox")
GROUNDS = (
    "Hasil uji kadar air pada sampel kami tidak sesuai dengan hasil laboratorium pembanding "
    "yang terakreditasi, selisihnya melebihi ketidakpastian pengukuran yang dilaporkan."
)
# The inbox: session, user, roles; the counts of its views (which the paginator reuses);
# the page's rows with their takers; the letters to sign; the unread notifications of the
# menu. The head's lists ask nothing of anyone else.
INBOX_QUERIES = 7
TAKE_BUTTON = "Saya kerjakan</button>"


@pytest.fixture
def maria(p):
    return make_user("maria", Role.PJTK_STAFF, first_name="Maria", last_name="Ulfa")


def inbox_queries(client, url: str = INBOX) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def numbers(client, view: str = "") -> list[str]:
    response = client.get(INBOX, {"tampil": view} if view else {})
    assert response.status_code == 200
    return [a.number for a in response.context["page"].object_list]


def counts(client) -> dict[str, int]:
    return {key: count for key, _, count in client.get(INBOX).context["views"]}


def take_from_inbox(client, appeal: Appeal, back: str = "/?tampil=giliran"):
    return client.post(
        reverse("appeals:take", args=[appeal.public_id]),
        {"langkah": appeal.current_step, "kembali": back},
    )


def test_summary_cuts_after_a_word():
    assert summary("Pendek saja.") == "Pendek saja."
    assert summary("  baris\n\nbaru  ") == "baris baru"
    cut = summary(GROUNDS)
    assert cut.endswith("…") and len(cut) <= 101
    assert GROUNDS.startswith(cut[:-1])
    assert GROUNDS[len(cut) - 1] == " "  # cut where a word ended
    assert summary("x" * 150) == "x" * 100 + "…"


def test_each_row_names_the_customer_the_complaint_the_grounds_and_the_due_time(client, p):
    appeal = register(p, complaint_reference="KEL/2026/099", grounds=GROUNDS)
    client.force_login(p.lead)
    body = client.get(INBOX).content.decode()
    assert "PT Kimia Nusantara" in body
    assert "Keluhan KEL/2026/099" in body
    assert summary(GROUNDS) in body and GROUNDS not in body
    assert "3. Verifikasi kelengkapan dan relevansi" in body
    assert appeal.number in body
    assert "Tepat waktu" in body or "Hampir jatuh tempo" in body  # the deadline badge


def test_a_staff_takes_a_step_from_tugas_saya_and_the_other_sees_it_taken(client, p, maria):
    appeal = submit(p)
    other = submit(p)
    client.force_login(p.staff)
    assert numbers(client) == [appeal.number, other.number]
    assert TAKE_BUTTON in client.get(INBOX).content.decode()

    response = take_from_inbox(client, appeal)

    assert response.status_code == 302 and response["Location"] == "/?tampil=giliran"
    assert open_step(appeal).taken_by == p.staff
    page = client.get(INBOX)
    assert "Anda mengerjakannya sejak" in page.content.decode()
    assert numbers(client, "saya") == [appeal.number]
    assert counts(client) == {
        "giliran": 2, "saya": 1, "lain": 0, "terlambat": 0, "hampir": 0, "semua": 2
    }  # fmt: skip

    client.force_login(maria)
    assert numbers(client) == [other.number]  # out of her turns...
    assert numbers(client, "lain") == [appeal.number]  # ...into "taken by others"
    assert numbers(client, "semua") == [appeal.number, other.number]
    body = client.get(INBOX, {"tampil": "lain"}).content.decode()
    assert "Dikerjakan oleh Staff" in body
    assert counts(client) == {
        "giliran": 1, "saya": 0, "lain": 1, "terlambat": 0, "hampir": 0, "semua": 2
    }  # fmt: skip


def test_taking_a_step_already_taken_is_refused_and_writes_nothing(client, p, maria):
    appeal = submit(p)
    services.step_take(appeal=appeal, user=p.staff)
    before = capture()
    client.force_login(maria)
    response = take_from_inbox(client, appeal)
    assert response.status_code == 409
    assert "sudah dikerjakan oleh Staff sejak" in response.content.decode()
    # Not her role, and the wrong step: refused too.
    client.force_login(p.lead)
    assert take_from_inbox(client, appeal).status_code == 403
    client.force_login(maria)
    stale = client.post(reverse("appeals:take", args=[appeal.public_id]), {"langkah": 4})
    assert stale.status_code == 409
    assert capture() == before


def test_the_taker_releases_from_tugas_saya(client, p, maria):
    appeal = submit(p)
    services.step_take(appeal=appeal, user=p.staff)
    client.force_login(maria)
    refused = client.post(reverse("appeals:release", args=[appeal.public_id]), {"langkah": 2})
    assert refused.status_code == 403
    client.force_login(p.staff)
    response = client.post(
        reverse("appeals:release", args=[appeal.public_id]), {"langkah": 2, "kembali": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert open_step(appeal).taken_by is None
    client.force_login(maria)
    assert numbers(client) == [appeal.number]


def test_the_forms_go_back_only_to_this_site_and_take_no_get(client, p):
    appeal = submit(p)
    client.force_login(p.staff)
    assert client.get(reverse("appeals:take", args=[appeal.public_id])).status_code == 405
    response = take_from_inbox(client, appeal, back="https://elsewhere.example/")
    assert response["Location"] == detail_url(appeal)


def test_a_customer_cannot_take(client, p):
    appeal = submit(p)
    client.force_login(p.customer)
    assert take_from_inbox(client, appeal).status_code == 403
    assert open_step(appeal).taken_by is None


def test_the_deadline_views_and_an_unknown_view(client, p):
    late, soon, fine = register(p), register(p), register(p)
    now = timezone.now()
    Appeal.objects.filter(pk=late.pk).update(current_due_at=now - timedelta(hours=1))
    Appeal.objects.filter(pk=soon.pk).update(
        current_due_at=now + timedelta(hours=2), current_at_risk_at=now - timedelta(hours=1)
    )
    Appeal.objects.filter(pk=fine.pk).update(
        current_due_at=now + timedelta(days=5), current_at_risk_at=now + timedelta(days=4)
    )
    client.force_login(p.lead)
    assert numbers(client, "terlambat") == [late.number]
    assert numbers(client, "hampir") == [soon.number]
    assert numbers(client, "nope") == [late.number, soon.number, fine.number]
    assert client.get(INBOX, {"tampil": "nope"}).context["view"] == "giliran"
    body = client.get(INBOX, {"tampil": "lain"}).content.decode()
    assert "Tidak ada tugas pada saringan ini." in body
    assert 'href="?tampil=terlambat"' in body


def test_the_inbox_costs_the_same_queries_with_2_and_31_rows_taken_or_not(client, p, maria):
    submit(p)
    services.step_take(appeal=submit(p), user=maria)
    client.force_login(p.staff)
    few = {view: inbox_queries(client, f"{INBOX}?tampil={view}") for view in ("giliran", "lain")}
    for i in range(29):
        appeal = submit(p)
        if i % 2:
            services.step_take(appeal=appeal, user=maria)
    many = {view: inbox_queries(client, f"{INBOX}?tampil={view}") for view in ("giliran", "lain")}
    assert many == few == {"giliran": INBOX_QUERIES, "lain": INBOX_QUERIES}
    assert numbers(client, "lain")  # the rows were there
    page_2 = inbox_queries(client, f"{INBOX}?tampil=semua&page=2")
    assert page_2 == INBOX_QUERIES


def test_the_appeal_page_shows_who_has_the_step_with_take_and_release(client, p, maria):
    appeal = submit(p)
    client.force_login(p.staff)
    body = client.get(detail_url(appeal)).content.decode()
    assert "Belum ada yang mengerjakan langkah ini." in body and TAKE_BUTTON in body
    response = client.post(reverse("appeals:take", args=[appeal.public_id]), {"langkah": 2})
    assert response["Location"] == detail_url(appeal)
    body = client.get(detail_url(appeal)).content.decode()
    assert "Anda mengerjakan langkah ini sejak" in body and "Lepaskan" in body

    client.force_login(maria)
    body = client.get(detail_url(appeal)).content.decode()
    assert "Dikerjakan oleh Staff" in body
    assert "Anda tetap dapat bertindak pada langkah ini" in body  # warned, not refused
    assert "Lepaskan" not in body and TAKE_BUTTON not in body

    client.force_login(p.lead)  # the supervisor of Staff PJTK may release it
    body = client.get(detail_url(appeal)).content.decode()
    assert "Dikerjakan oleh Staff" in body and "Lepaskan" in body
    assert "Anda tetap dapat bertindak" not in body  # not the lead's turn


def test_the_appeal_page_keeps_its_queries_with_a_taken_step(client, p):
    """The taker is read with the page's steps: no query of its own (the Ketua Tim PJTK, who
    sees it with Lepaskan, and has no form at step 2 to add its choice lists)."""
    appeal = submit(p)
    client.force_login(p.lead)
    detail_queries(client, detail_url(appeal))  # warm the per-process caches (calendar)
    untaken = len(detail_queries(client, detail_url(appeal)))
    services.step_take(appeal=appeal, user=p.staff)
    taken = len(detail_queries(client, detail_url(appeal)))
    assert taken == untaken <= PAGE_QUERIES


def test_the_panels_step_offers_no_take(client, p):
    appeal = walk(p, register(p), 7)
    client.force_login(p.panel[0])
    assert TAKE_BUTTON not in client.get(detail_url(appeal)).content.decode()
    assert TAKE_BUTTON not in client.get(INBOX).content.decode()
