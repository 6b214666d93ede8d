"""The pages people use render on the generated data: the staff inbox of the demo staff and
head, the register (first page, filtered, searched, a deep page), appeal pages, the portal
and the SOP monitoring report."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from banding.accounts.models import User
from banding.appeals.models import Appeal, Status


def get(client, url: str, user: str):
    client.force_login(User.objects.get(username=user))
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("user", ["staf", "ketua", "kepala"])
def test_the_inbox_of_the_demo_staff_lists_bulk_appeals(client, all_open, user):
    response = get(client, reverse("appeals:inbox"), user)
    assert response.context["page"].object_list


def test_the_register_first_filtered_searched_and_deep_pages(client, seeded):
    url = reverse("appeals:register")
    first = get(client, url, "staf")
    assert len(first.context["page"].object_list) == 25
    number = Appeal.objects.order_by("-year", "-sequence").first().number
    get(client, url + "?status=open&service_type=pengujian", "staf")
    searched = get(client, url + f"?q={number}", "staf")
    assert [a.number for a in searched.context["page"].object_list] == [number]
    get(client, url + "?page=5", "staf")


@pytest.mark.parametrize("status", [Status.CLOSED, Status.REJECTED, Status.OPEN])
def test_appeal_pages_render_for_staff_head_and_customer(client, seeded, status):
    appeal = Appeal.objects.filter(status=status).order_by("?").first()
    get(client, reverse("appeals:detail", args=[appeal.public_id]), "kepala")
    get(client, reverse("appeals:detail", args=[appeal.public_id]), "staf")
    customer = appeal.organization.contacts.filter(groups__isnull=True).first()
    get(client, reverse("portal:appeal", args=[appeal.public_id]), customer.username)


def test_the_portal_home_of_a_bulk_customer(client, seeded):
    appeal = Appeal.objects.first()
    customer = appeal.organization.contacts.filter(groups__isnull=True).first()
    response = get(client, reverse("portal:home"), customer.username)
    assert appeal.number in response.content.decode()


def test_a_document_downloads(client, seeded):
    appeal = Appeal.objects.filter(documents__isnull=False).first()
    document = appeal.documents.first()
    client.force_login(User.objects.get(username="staf"))
    url = reverse("appeals:document", args=[appeal.public_id, document.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"\x89PNG")


def test_the_monitoring_report_shows_late_steps(client, seeded):
    year = timezone.localdate().year - 1
    response = get(client, reverse("reports:monitoring") + f"?jenis=tahun&tahun={year}", "kepala")
    stats = response.context["sheet"].stats
    assert sum(s.count for s in stats) > 0
    assert sum(s.late for s in stats) > 0
