"""/portal/notifikasi/: the customer's in-app notices in the portal, linking to the portal."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.notifications.models import Notification
from tests.portal.helpers import record, submit

LIST = "/portal/notifikasi/"


def test_the_url_is_the_named_one():
    assert reverse("portal:notifications") == LIST


def test_the_customer_reads_its_notices_linking_to_the_portal(client, p):
    appeal = submit(p)
    client.force_login(p.customer)

    response = client.get(LIST)

    assert response.status_code == 200
    notices = list(response.context["page"].object_list)
    assert [n.recipient for n in notices] == [p.customer]
    html = response.content.decode()
    assert "Diterima" in html
    assert reverse("portal:appeal", args=[appeal.public_id]) in html
    assert f'href="{reverse("appeals:detail", args=[appeal.public_id])}"' not in html
    assert "Portal Pelanggan" in html


def test_marking_one_and_all_read(client, p):
    submit(p)
    submit(p)
    first, _ = Notification.objects.filter(recipient=p.customer)
    client.force_login(p.customer)

    response = client.post(reverse("portal:notification_read", args=[first.public_id]))

    assert response.status_code == 302
    assert response["Location"] == LIST
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("portal:notifications_read_all"), follow=True)
    assert "1 notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notification.objects.filter(recipient=p.customer, read_at__isnull=True).exists()


def test_the_list_queries_do_not_grow_with_the_notices(client, p):
    submit(p)
    client.force_login(p.customer)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(3):
        record(p, submit(p))
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert len(response.context["page"].object_list) == 4
    assert len(many) == len(few)


def test_staff_are_sent_to_their_own_notifications_page(client, p):
    client.force_login(p.staff)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
