"""The administrator's override list in Django admin writes through the services."""

from datetime import date

import pytest
from django.urls import reverse

from banding.appeals.calendar import override_add
from banding.audit.models import Event
from banding.workdays.models import CalendarOverride, OverrideKind

CHANGELIST = "admin:workdays_calendaroverride_changelist"
ADD = "admin:workdays_calendaroverride_add"


def test_admin_adds_a_closure(client, p):
    client.force_login(p.admin)
    response = client.post(
        reverse(ADD), {"date": "2026-03-25", "kind": "closed", "reason": "Penutupan balai"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.date, override.kind, override.created_by) == (
        date(2026, 3, 25),
        "closed",
        p.admin,
    )
    assert Event.objects.exclude(action="account.logged_in").get().action == (
        "calendar.override_added"
    )


def test_admin_form_shows_why_an_override_is_refused(client, p):
    client.force_login(p.admin)
    response = client.post(
        reverse(ADD), {"date": "2026-03-19", "kind": "closed", "reason": "Penutupan balai"}
    )
    assert response.status_code == 200
    assert "Kamis, 19 Maret 2026 sudah libur menurut paket holidays: Hari Suci Nyepi." in (
        response.content.decode()
    )
    assert not CalendarOverride.objects.exists()


def test_admin_form_reports_a_taken_date_once(client, p):
    override_add(actor=p.admin, day=date(2026, 3, 25), kind=OverrideKind.CLOSED, reason="SK")
    client.force_login(p.admin)
    response = client.post(
        reverse(ADD), {"date": "2026-03-25", "kind": "closed", "reason": "SK lain"}
    )
    assert response.status_code == 200
    assert response.content.decode().count("sudah memiliki pengecualian kalender") == 1


def test_admin_lists_overrides_with_the_day_name(client, p):
    override_add(actor=p.admin, day=date(2026, 3, 19), kind=OverrideKind.WORKING, reason="SKB")
    client.force_login(p.admin)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "Kamis, 19 Maret 2026" in response.content.decode()


def test_an_override_is_read_only_once_saved(client, p):
    override = override_add(
        actor=p.admin, day=date(2026, 3, 19), kind=OverrideKind.WORKING, reason="SKB"
    )
    client.force_login(p.admin)
    url = reverse("admin:workdays_calendaroverride_change", args=[override.pk])
    client.post(url, {"date": "2026-03-19", "kind": "closed", "reason": "Diubah"})
    override.refresh_from_db()
    assert (override.kind, override.reason) == ("working", "SKB")


def test_admin_deletes_through_the_service(client, p):
    override = override_add(
        actor=p.admin, day=date(2026, 3, 19), kind=OverrideKind.WORKING, reason="SKB"
    )
    client.force_login(p.admin)
    url = reverse("admin:workdays_calendaroverride_delete", args=[override.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert Event.objects.order_by("id").last().action == "calendar.override_removed"


def test_the_bulk_delete_action_goes_through_the_service(client, p):
    first = override_add(actor=p.admin, day=date(2026, 3, 19), kind="working", reason="SKB")
    second = override_add(actor=p.admin, day=date(2026, 3, 25), kind="closed", reason="Tutup")
    client.force_login(p.admin)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert Event.objects.filter(action="calendar.override_removed").count() == 2


@pytest.mark.parametrize("url", [CHANGELIST, ADD])
def test_staff_without_the_administrator_role_are_refused(client, p, url):
    p.staff.is_staff = True
    p.staff.save(update_fields=["is_staff"])
    client.force_login(p.staff)
    assert client.get(reverse(url)).status_code == 403
