"""After logging in, staff land in their inbox and customers in the portal; the account pages
work under the strict Content-Security-Policy; registrations are in the admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from banding.accounts import onboarding
from banding.accounts.landing import home_url
from banding.accounts.models import CustomerRegistration, User
from banding.accounts.roles import Role
from tests.factories import Personas
from tests.test_csp import assert_strict

PASSWORD = "rahasia-uji-123"  # tests/factories.make_user


def login_through_the_form(client: Client, username: str, path: str = "/masuk/"):
    form = client.get(path).content.decode()
    next_url = re.search(r'name="next" value="([^"]*)"', form).group(1)
    response = client.post(
        "/masuk/", {"username": username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_login_form_goes_to_the_landing_unless_a_page_was_asked_for(db):
    html = Client().get("/masuk/").content.decode()
    assert 'name="next" value="/akun/masuk/lanjut/"' in html
    html = Client().get("/masuk/?next=/banding/").content.decode()
    assert 'name="next" value="/banding/"' in html


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("staff", "appeals:inbox"),
        ("lead", "appeals:inbox"),
        ("tech", "appeals:inbox"),
        ("admin", "appeals:inbox"),
        ("head", "reports:dashboard"),  # the overview, not a mostly empty inbox
        ("auditor", "audit:log"),
    ],
)
def test_staff_land_where_their_work_is(p: Personas, role: str, page: str):
    landing = login_through_the_form(Client(), getattr(p, role).username)
    assert landing.status_code == 302
    assert landing["Location"] == reverse(page)
    client = Client()
    client.force_login(getattr(p, role))
    assert client.get(landing["Location"]).status_code == 200  # a page they may open


def test_a_head_who_also_works_a_queue_lands_in_it(p: Personas):
    p.head.groups.add(Group.objects.get(name=Role.PJTK_LEAD))
    assert home_url(User.objects.get(pk=p.head.pk)) == reverse("appeals:inbox")
    p.auditor.groups.add(Group.objects.get(name=Role.HEAD))
    assert home_url(User.objects.get(pk=p.auditor.pk)) == reverse("reports:dashboard")


def test_customers_land_in_the_portal(p: Personas):
    landing = login_through_the_form(Client(), p.customer.username)
    assert landing["Location"] == "/portal/"


def test_a_page_asked_for_wins(p: Personas):
    response = Client().post(
        "/masuk/", {"username": "staff", "password": PASSWORD, "next": "/banding/"}
    )
    assert response["Location"] == "/banding/"


def test_home_url_by_role(p: Personas):
    assert home_url(p.staff) == "/"
    assert home_url(p.customer) == "/portal/"


def test_the_landing_needs_a_login(db):
    response = Client().get(reverse("accounts:after_login"))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_the_account_pages_send_the_strict_policy(p: Personas):
    anonymous = Client()
    pages = [
        anonymous.get(url)
        for url in (
            "/masuk/",
            "/portal/akun/daftar/",
            "/portal/akun/daftar/terkirim/",
            "/portal/akun/sandi/",
            "/portal/akun/sandi/terkirim/",
            "/portal/akun/sandi/selesai/",
            "/portal/akun/atur-sandi/selesai/",
        )
    ]
    staff = Client()
    staff.force_login(p.staff)
    for url in (
        reverse("accounts:registrations"),
        reverse("accounts:organizations"),
        reverse("accounts:organization", args=[p.org.public_id]),
    ):
        pages.append(staff.get(url))
    for page in pages:
        assert page.status_code == 200, page.request["PATH_INFO"]
        assert_strict(page)


def test_the_portal_base_shows_the_customer_navigation(p: Personas):
    client = Client()
    client.force_login(p.customer)
    html = client.get("/portal/akun/sandi/").content.decode()
    assert 'SiBanding <span class="fw-normal">· Portal Pelanggan</span>' in html
    assert "Banding saya" in html
    assert "Keluar" in html
    assert "PT Kimia Nusantara" in html
    assert "menunggu konfirmasi staf" not in html


def test_the_admin_lists_registrations_read_only(client, p: Personas):
    onboarding.customer_register(
        name="Dewi Anggraini",
        email="dewi@kemasan.example",
        organization_name="PT Kemasan Lestari",
        password="Kemasan-Aman-2026",
    )
    registration = CustomerRegistration.objects.get()
    client.force_login(User.objects.create_superuser("root", "root@balai.example", "x-root-123"))
    page = client.get("/admin/accounts/customerregistration/")
    assert page.status_code == 200
    assert "dewi@kemasan.example" in page.content.decode()
    change = client.get(f"/admin/accounts/customerregistration/{registration.pk}/change/")
    assert change.status_code == 200
    assert client.get("/admin/accounts/customerregistration/add/").status_code == 403


def test_a_customer_opening_the_staff_home_goes_to_the_portal(p: Personas):
    client = Client()
    client.force_login(p.customer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    # Other staff pages still refuse, saying why.
    assert client.get("/banding/").status_code == 403


def test_a_login_posted_without_next_lands_by_role(p: Personas):
    response = Client().post("/masuk/", {"username": p.customer.username, "password": PASSWORD})
    assert response["Location"] == "/akun/masuk/lanjut/"


def test_customers_log_in_with_their_address_however_capitalised(db):
    user = User.objects.create_user(
        username="dewi@kemasan.example", email="dewi@kemasan.example", password=PASSWORD
    )
    client = Client()
    response = client.post("/masuk/", {"username": "Dewi@Kemasan.Example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    wrong = Client().post("/masuk/", {"username": "Dewi@Kemasan.Example", "password": "salah"})
    assert wrong.status_code == 200  # the form again, with its error


def test_the_staff_menu_links_the_customer_accounts_page_for_those_who_manage_them(p: Personas):
    client = Client()
    for persona, shown in ((p.staff, True), (p.lead, True), (p.admin, True), (p.head, False)):
        client.force_login(persona)
        body = client.get("/").content.decode()
        assert ('href="/akun/pendaftaran/"' in body) is shown, persona.username
