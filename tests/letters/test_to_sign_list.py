"""Surat menunggu tanda tangan: Tugas saya shows the oldest few drafts waiting for the
user's signature and links to the whole list, a page of its own (staff only, the user's own
drafts to sign, paged, a fixed number of queries)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banding.appeals.views.inbox import SIDE_SHOWN
from banding.letters import services
from tests.factories import register

LIST = reverse("letters:to_sign")


def drafts(p, n, time_machine):
    """n receipts drafted by staff, one minute apart (the head signs them)."""
    start = timezone.now()
    made = []
    for i in range(n):
        time_machine.move_to(start + timedelta(minutes=i), tick=False)
        made.append(services.letter_draft(appeal=register(p), user=p.staff, kind="tanda_terima"))
    return made


def test_the_inbox_shows_the_oldest_and_links_to_all(client, p, time_machine):
    made = drafts(p, SIDE_SHOWN + 2, time_machine)
    client.force_login(p.head)
    response = client.get(reverse("appeals:inbox"))
    shown = response.context["to_sign"]
    assert [letter.pk for letter in shown] == [letter.pk for letter in made[:SIDE_SHOWN]]
    assert response.context["to_sign_more"]
    assert f'href="{LIST}"' in response.content.decode()


def test_the_whole_list_holds_every_draft_oldest_first_paged(client, p, time_machine, settings):
    settings.BANDING_PAGE_SIZE = 5
    made = drafts(p, 7, time_machine)
    client.force_login(p.head)
    first = client.get(LIST)
    assert first.status_code == 200
    assert [letter.pk for letter in first.context["page"].object_list] == [
        letter.pk for letter in made[:5]
    ]
    body = first.content.decode()
    letter = made[0]
    href = reverse("letters:letter", args=[letter.appeal.public_id, letter.public_id])
    assert f'<a href="{href}">' in body
    assert letter.appeal.number in body and p.staff.display_name in body
    second = client.get(LIST, {"page": 2})
    assert [x.pk for x in second.context["page"].object_list] == [x.pk for x in made[5:]]


def test_the_list_costs_the_same_queries_with_few_and_many_drafts(client, p, time_machine):
    drafts(p, 1, time_machine)
    client.force_login(p.head)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    drafts(p, 30, time_machine)
    # Signed in again where the clock now stands: no idle time to expire or activity to record
    # (banding.accounts.sessions), so the two requests differ only in the drafts.
    client.force_login(p.head)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_nobody_else_sees_the_heads_drafts(client, p, time_machine):
    drafts(p, 2, time_machine)
    client.force_login(p.tech)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Tidak ada surat yang menunggu tanda tangan Anda." in response.content.decode()


def test_a_customer_and_a_visitor_are_refused(client, p):
    client.force_login(p.customer)
    assert client.get(LIST).status_code == 403
    client.logout()
    assert client.get(LIST).status_code == 302
