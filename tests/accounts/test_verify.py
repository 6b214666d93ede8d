"""E-mail verification: the link shows a button (opening it uses nothing up), the button
activates the account once; the verified account has no organisation and sees nothing of
the organisation it named until staff confirm."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from banding.accounts.models import CustomerRegistration, RegistrationStatus, User
from banding.accounts.tokens import email_verification_token
from banding.audit.models import Event
from tests.accounts.conftest import PASSWORD, register, sent_link
from tests.factories import Personas
from tests.factories import register as register_appeal


def verify_link(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("portal:verify_email", args=[uidb64, email_verification_token.make_token(user)])


def login(client: Client, username: str, password: str = PASSWORD):
    """As the login page's form posts: with its `next` (where the role belongs, unless a
    page was asked for)."""
    form = client.get("/masuk/")
    next_url = re.search(r'name="next" value="([^"]*)"', form.content.decode()).group(1)
    return client.post("/masuk/", {"username": username, "password": password, "next": next_url})


def test_the_mailed_link_opens_the_verification_page_without_using_it(db, mailoutbox):
    register()
    link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    page = Client().get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verifikasi alamat surel saya" in html
    assert "PT Kemasan Lestari" in html
    assert "no-store" in page["Cache-Control"]
    user = User.objects.get()
    assert not user.is_active
    # Opened again (a mail scanner, then the person): still valid.
    assert Client().get(link).status_code == 200


def test_the_button_activates_the_account(db, mailoutbox):
    register()
    link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    response = Client().post(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alamat surel terverifikasi" in html
    assert "menunggu konfirmasi staf" in html
    user = User.objects.get()
    assert user.is_active
    assert user.organization is None
    registration = user.registration
    assert registration.email_verified_at is not None
    assert registration.status == RegistrationStatus.PENDING
    event = Event.objects.get(action="account.email_verified")
    assert event.actor == user
    assert event.summary == "Alamat surel diverifikasi: dewi@kemasan.example"


def test_a_used_link_is_refused(db, mailoutbox):
    register()
    link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    Client().post(link)
    for response in (Client().get(link), Client().post(link)):
        assert response.status_code == 400
        assert "Tautan tidak berlaku" in response.content.decode()
    assert Event.objects.filter(action="account.email_verified").count() == 1


def test_a_link_for_a_deactivated_account_does_not_reactivate_it(db):
    register()
    user = User.objects.get()
    link = verify_link(user)
    Client().post(link)
    user.refresh_from_db()
    # An administrator closes the account; the link from before must not open it again.
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().post(link).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_an_expired_link_is_refused(db, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        register()
        link = verify_link(User.objects.get())
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        assert Client().post(link).status_code == 400
    assert not User.objects.get().is_active


def test_a_forged_or_garbled_link_is_refused(p: Personas):
    register()
    user = User.objects.get(username="dewi@kemasan.example")
    good = verify_link(user)
    uid = good.split("/")[-3]
    for path in (
        f"/portal/akun/verifikasi/{uid}/abc-123/",
        "/portal/akun/verifikasi/!!!/abc-123/",
        # A token for another account (the shared customer) with this account's uid.
        reverse(
            "portal:verify_email",
            args=[uid, email_verification_token.make_token(p.customer)],
        ),
    ):
        assert Client().post(path).status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


def test_an_account_without_registration_has_no_verification(p: Personas):
    assert Client().post(verify_link(p.customer)).status_code == 400


def test_before_verification_the_account_cannot_log_in(db):
    register()
    response = login(Client(), "dewi@kemasan.example")
    assert response.status_code == 200  # the login form again
    assert "_auth_user_id" not in response.wsgi_request.session


def test_after_verification_it_logs_in_and_lands_in_the_portal(db):
    register()
    Client().post(verify_link(User.objects.get()))
    client = Client()
    response = login(client, "dewi@kemasan.example")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/lanjut/"
    assert client.get(response["Location"])["Location"] == "/portal/"


def test_an_unconfirmed_account_sees_nothing_of_the_organisation_it_named(p: Personas):
    appeal = register_appeal(p)  # an appeal of p.org
    register(organization_name=p.org.name)
    user = User.objects.get(username="dewi@kemasan.example")
    Client().post(verify_link(user))
    registration = CustomerRegistration.objects.get()
    assert registration.organization == p.org  # matched, but not linked
    client = Client()
    client.force_login(user)
    assert client.get(reverse("appeals:detail", args=[appeal.public_id])).status_code in (403, 404)
    assert client.get(reverse("appeals:register")).status_code == 403
    assert client.get(reverse("appeals:inbox"))["Location"] == "/portal/"
    api = client.get("/api/v1/appeals")
    assert api.status_code in (200, 403)
    if api.status_code == 200:
        assert api.json()["count"] == 0
    assert client.get(f"/api/v1/appeals/{appeal.public_id}").status_code in (403, 404)


def test_the_portal_tells_an_unconfirmed_account_it_waits(db):
    register()
    user = User.objects.get()
    Client().post(verify_link(user))
    client = Client()
    client.force_login(user)
    page = client.get(reverse("portal:password_reset"))
    assert "Pendaftaran Anda menunggu konfirmasi staf." in page.content.decode()
