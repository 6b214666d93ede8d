"""The Django admin: every registered model's pages load; appeals and the log are read-only."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.accounts.admin import Audited, ReadOnlyAdmin
from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.accounts.services import api_token_create
from banding.appeals import services
from banding.appeals.models import Appeal, NoteKind
from banding.audit.actions import Action
from banding.audit.models import Event
from banding.notifications.models import Cadence, Digest
from tests.factories import Personas, register, walk


@pytest.fixture
def root(p: Personas) -> User:
    return User.objects.create_superuser("root", "root@balai.example.go.id", "rahasia-root-123")


@pytest.fixture
def rows(p: Personas) -> None:
    """At least one row of every model: a closed appeal, one at step 7 with a note, a token."""
    walk(p, register(p), 13)
    at_seven = walk(p, register(p), 7)
    services.panel_declare(appeal=at_seven, user=p.panel[0])
    services.investigation_note(
        appeal=at_seven, user=p.panel[0], kind=NoteKind.CONTACT, text="Menelepon pelanggan."
    )
    api_token_create(user=p.staff, name="skrip laporan")
    Digest.objects.create(recipient=p.head, cadence=Cadence.DAILY, count=3)


def registered_models() -> list:
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_changelist_and_change_page_load_for_the_superuser(client, root, rows, model):
    client.force_login(root)
    opts = model._meta

    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    assert changelist.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200


def test_admin_site_is_titled_in_indonesian(client, root):
    client.force_login(root)

    response = client.get(reverse("admin:index"))

    assert "SiBanding — Administrasi" in response.content.decode()


@pytest.mark.parametrize("view", ["add", "delete", "change"])
def test_appeal_admin_refuses_to_write(client, root, rows, view):
    client.force_login(root)
    appeal = Appeal.objects.order_by("pk").first()
    args = [] if view == "add" else [appeal.pk]
    url = reverse(f"admin:appeals_appeal_{view}", args=args)

    response = client.post(url, {"post": "yes", "contact_name": "Diubah"})

    assert response.status_code == 403
    assert Appeal.objects.count() == 2
    appeal.refresh_from_db()
    assert appeal.contact_name == "Budi Santoso"


def test_appeal_change_page_is_read_only(client, root, rows):
    client.force_login(root)
    appeal = Appeal.objects.order_by("pk").first()

    page = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).content.decode()

    assert appeal.number in page
    assert 'name="_save"' not in page
    assert 'name="contact_name"' not in page


def test_admin_creates_a_staff_user_with_a_role_and_a_team(client, root, p):
    client.force_login(root)
    url = reverse("admin:accounts_user_add")
    form = client.get(url).content.decode()
    prefix = re.search(r'name="([\w-]+)-TOTAL_FORMS"', form).group(1)
    team = TechnicalTeam.objects.get(code="pengujian")

    response = client.post(
        url,
        {
            "username": "wulan",
            "usable_password": "true",
            "password1": "sandi-baru-yang-kuat-42",
            "password2": "sandi-baru-yang-kuat-42",
            "first_name": "Wulan",
            "last_name": "Anggraini",
            "nip": "19930101 201801 2 001",
            "position": "Analis Laboratorium",
            "groups": [p.tech.groups.get(name=Role.TECHNICAL).pk],
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-technicalteam": str(team.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    wulan = User.objects.get(username="wulan")
    assert wulan.nip == "19930101 201801 2 001"
    assert list(wulan.groups.values_list("name", flat=True)) == [Role.TECHNICAL]
    assert list(wulan.technical_teams.all()) == [team]
    event = Event.objects.get(action=Action.ADMIN_RECORD_ADDED)
    assert event.actor == root
    assert event.appeal is None
    assert event.data["model"] == "accounts.user" and event.data["pk"] == wulan.pk


def test_a_role_changed_in_the_admin_is_an_audit_event_naming_what_changed(client, root, p):
    client.force_login(root)
    team = TechnicalTeam.objects.get(code="pengujian")

    response = client.post(
        reverse("admin:accounts_technicalteam_change", args=[team.pk]),
        {"code": team.code, "name": "Tim Pengujian Kimia", "members": [p.tech.pk]},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(action=Action.ADMIN_RECORD_CHANGED)
    assert event.actor == root
    assert "Tim Pengujian Kimia" in event.summary
    assert event.data["change"][0]["changed"]["fields"]


def test_a_bulk_delete_in_the_admin_records_each_row_deleted(client, root, p):
    client.force_login(root)
    orgs = [CustomerOrganization.objects.create(name=f"PT Hapus {i}") for i in range(2)]

    response = client.post(
        reverse("admin:accounts_customerorganization_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in orgs], "post": "yes"},
    )

    assert response.status_code == 302
    assert not CustomerOrganization.objects.filter(pk__in=[o.pk for o in orgs]).exists()
    deleted = Event.objects.filter(action=Action.ADMIN_RECORD_DELETED)
    assert sorted(e.data["object"] for e in deleted) == ["PT Hapus 0", "PT Hapus 1"]


# Written through a service that records its own event.
AUDITED_BY_SERVICE = {"workdays.calendaroverride"}


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_admin_that_writes_records_its_writes(model):
    model_admin = admin.site._registry[model]

    assert (
        isinstance(model_admin, Audited | ReadOnlyAdmin)
        or model._meta.label_lower in AUDITED_BY_SERVICE
        or not (
            model_admin.has_add_permission(_AdminRequest())
            or model_admin.has_change_permission(_AdminRequest(), None)
            or model_admin.has_delete_permission(_AdminRequest(), None)
        )
    ), f"{model_admin!r} writes without an audit event"


class _AdminRequest:
    """A request of an administrator, for asking a ModelAdmin what it permits."""

    def __init__(self) -> None:
        self.user = User(is_superuser=True, is_staff=True, is_active=True)


def test_api_tokens_are_read_only_in_the_admin(client, root, rows):
    client.force_login(root)

    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


@pytest.mark.parametrize(
    "model", [User, Appeal, CustomerOrganization, TechnicalTeam], ids=lambda m: m.__name__
)
def test_changelist_queries_do_not_grow_with_rows(client, root, p, model):
    client.force_login(root)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    register(p)
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(5):
        register(p)
        CustomerOrganization.objects.create(name=f"PT Contoh {i}")
        TechnicalTeam.objects.create(code=f"tim-{i}", name=f"Tim {i}").members.add(p.tech)
        User.objects.create_user(f"pengguna{i}", organization=p.org)

    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)
