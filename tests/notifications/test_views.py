"""/notifikasi/: the signed-in user's own notices, marking them read, the navbar count."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.notifications.models import Notification
from banding.notifications.services import notification_read

LIST = "/notifikasi/"


def read_url(notice: Notification) -> str:
    return reverse("notifications:read", args=[notice.public_id])


def test_the_list_needs_a_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_own_notices_unread_first_linking_to_the_appeal(client, p, notices):
    old, read, new = notices(p.lead, 3)
    notification_read(user=p.lead, public_id=read.public_id)
    notices(p.head, 1)
    client.force_login(p.lead)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [new.pk, old.pk, read.pk]
    body = response.content.decode()
    assert "untuk kepala" not in body
    assert body.count("Belum dibaca<") == 2
    assert f'href="{reverse("appeals:detail", args=[new.appeal.public_id])}"' in body
    assert new.appeal.number in body
    assert "Hampir jatuh tempo" in body
    assert body.count(f'action="{read_url(new)}"') == 1
    assert f'action="{read_url(read)}"' not in body  # already read: nothing to mark
    assert "Tandai semua sudah dibaca" in body


def test_the_list_pages_and_its_queries_do_not_grow(client, p, notices, settings):
    settings.BANDING_PAGE_SIZE = 10
    notices(p.lead, 5)
    client.force_login(p.lead)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    notices(p.lead, 45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST + "?page=2")

    assert len(few) == len(many)
    assert len(response.context["page"].object_list) == 10
    assert "Halaman 2 dari 5" in response.content.decode()


def test_an_empty_list_says_so(client, p):
    client.force_login(p.staff)
    body = client.get(LIST).content.decode()
    assert "Belum ada notifikasi untuk Anda." in body
    assert "Tandai semua sudah dibaca" not in body


def test_marking_one_read(client, p, notices):
    notice = notices(p.lead)[0]
    client.force_login(p.lead)

    response = client.post(read_url(notice))

    assert response.status_code == 302
    assert response["Location"] == LIST
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_marking_read_is_a_post(client, p, notices):
    notice = notices(p.lead)[0]
    client.force_login(p.lead)

    assert client.get(read_url(notice)).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


def test_someone_elses_notice_is_not_found(client, p, notices):
    theirs = notices(p.head)[0]
    client.force_login(p.lead)

    response = client.post(read_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_says_how_many(client, p, notices):
    notices(p.lead, 3)
    client.force_login(p.lead)

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert "3 notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Tidak ada notifikasi yang belum dibaca." in response.content.decode()


def navbar_count(body: str) -> str | None:
    found = re.search(r"Notifikasi <span class=\"badge[^\"]*\">(\d+)</span>", body)
    return found.group(1) if found else None


def test_the_navbar_shows_the_unread_count_on_every_page(client, p, notices):
    client.force_login(p.lead)
    assert navbar_count(client.get(reverse("appeals:inbox")).content.decode()) is None
    notices(p.lead, 2)
    notices(p.head, 4)

    for url in (reverse("appeals:inbox"), reverse("appeals:register"), LIST):
        assert navbar_count(client.get(url).content.decode()) == "2", url

    client.post(reverse("notifications:read_all"))
    assert navbar_count(client.get(reverse("appeals:inbox")).content.decode()) is None


def test_the_navbar_count_is_one_query(client, p, notices):
    client.force_login(p.lead)
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("appeals:inbox"))
    notices(p.lead, 30)
    with CaptureQueriesContext(connection) as some:
        client.get(reverse("appeals:inbox"))

    assert len(none) == len(some)
    counts = [q for q in some if 'FROM "notifications_notification"' in q["sql"]]
    assert len(counts) == 1 and "COUNT(*)" in counts[0]["sql"]


def test_no_count_for_anonymous_visitors(client, db):
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("login")).content.decode()

    assert "Notifikasi" not in body
    assert not any("notifications_notification" in q["sql"] for q in captured)


def test_a_customers_notice_links_to_the_portal_and_a_staff_notice_to_the_workspace(
    client, p, notices
):
    (turn,) = notices(p.lead, 1, kind="step_assigned")
    (progress,) = notices(p.lead, 1, kind="milestone")
    client.force_login(p.lead)

    body = client.get(LIST).content.decode()

    assert f'href="/banding/{turn.appeal.public_id}/"' in body
    assert f'href="/portal/banding/{progress.appeal.public_id}/"' in body
    assert "Giliran Anda" in body and "Kemajuan banding" in body


def test_a_customer_reads_its_notices_in_the_portal(client, p):
    client.force_login(p.customer)
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:notifications")
    assert client.get(response["Location"]).status_code == 200


def test_deadline_notices_are_grouped_per_kind_and_day_with_a_count(client, p, notices):
    from banding.notifications.models import Kind

    reminders = notices(p.lead, 3)  # step_at_risk, today
    (assigned,) = notices(p.lead, 1, kind=Kind.STEP_ASSIGNED)
    client.force_login(p.lead)

    response = client.get(LIST)

    entries = response.context["entries"]
    assert entries[0] == assigned  # the newest, as it is
    group = entries[1]
    assert (group.kind, len(group.items)) == (Kind.STEP_AT_RISK, 3)
    assert {n.pk for n in group.items} == {n.pk for n in reminders}
    body = response.content.decode()
    assert "3 langkah" in body and "<details>" in body
    # Each notice of the group is still there, with its own "mark read".
    assert all(f'action="{read_url(n)}"' in body for n in reminders)
