"""Self-registration at /portal/akun/daftar/: an inactive account, its registration, the
verification e-mail; Indonesian errors; an unverified address may register again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from banding.accounts.models import CustomerRegistration, RegistrationStatus, User
from banding.audit.models import Event
from tests.accounts.conftest import (
    PASSWORD,
    REGISTER_URL,
    queued,
    register,
    registration_data,
    sent_link,
)
from tests.factories import Personas, make_user


def test_register_urls_are_the_named_ones():
    assert reverse("portal:register") == REGISTER_URL
    assert reverse("portal:register_done") == "/portal/akun/daftar/terkirim/"


def test_the_page_shows_the_form(db):
    page = Client().get(REGISTER_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Daftar akun pelanggan" in html
    assert 'SiBanding <span class="fw-normal">· Portal Pelanggan</span>' in html
    for label in ("Nama lengkap", "Alamat surel", "Telepon", "Nama organisasi", "Kata sandi"):
        assert label in html


def test_it_creates_an_inactive_account_and_a_pending_registration(db):
    response = register(email="Dewi@Kemasan.Example")
    assert response.status_code == 302
    assert response["Location"] == "/portal/akun/daftar/terkirim/"
    user = User.objects.get()
    # One spelling of the address: it is also the username.
    assert user.username == user.email == "dewi@kemasan.example"
    assert user.first_name == "Dewi Anggraini"
    assert user.phone == "0812 3456 7890"
    assert not user.is_active
    assert user.organization is None
    assert user.check_password(PASSWORD)
    registration = user.registration
    assert registration.status == RegistrationStatus.PENDING
    assert registration.organization_name == "PT Kemasan Lestari"
    assert registration.organization is None  # no organisation of that name yet
    assert registration.email_verified_at is None


def test_the_page_then_says_check_your_mail(db):
    client = Client()
    register(client)
    html = client.get("/portal/akun/daftar/terkirim/").content.decode()
    assert "Periksa surel Anda" in html
    assert "dewi@kemasan.example" in html
    assert "tautan berlaku 3 hari" in html


def test_it_matches_an_existing_organisation_by_name_whatever_the_case(p: Personas):
    register(organization_name="  pt   kimia NUSANTARA ")
    registration = CustomerRegistration.objects.get()
    assert registration.organization == p.org
    assert registration.organization_name == "pt kimia NUSANTARA"
    # Matching links nothing yet: staff confirm first.
    assert registration.user.organization is None


def test_it_writes_an_audit_event(db):
    register()
    event = Event.objects.get(action="account.registered")
    user = User.objects.get()
    assert event.actor == user
    assert event.appeal is None
    assert event.summary == (
        "Pendaftaran pelanggan: Dewi Anggraini <dewi@kemasan.example>, PT Kemasan Lestari"
    )
    assert event.data["email"] == "dewi@kemasan.example"
    assert event.data["again"] is False


def test_it_queues_the_verification_mail_with_a_link(db, mailoutbox):
    register()
    [mail] = queued("account_verify")
    assert mail.to_user == User.objects.get()
    assert mail.to_address == "dewi@kemasan.example"
    # No token in the outbox: the link is made when the mail is sent.
    assert "token" not in str(mail.context)
    link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    message = mailoutbox[-1]
    assert message.subject == "[SiBanding] Verifikasi alamat surel Anda"
    assert message.to == ["dewi@kemasan.example"]
    assert "PT Kemasan Lestari" in message.body
    assert "berlaku 3 hari" in message.body
    assert link.startswith("/portal/akun/verifikasi/")
    html = message.alternatives[0].content
    assert "Verifikasi alamat surel saya" in html


def test_an_address_in_use_is_refused_whatever_its_case(p: Personas):
    make_user("budi", email="budi@kimia.example")
    response = register(email="BUDI@kimia.example")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "Alamat surel ini sudah terdaftar. Silakan masuk, atau pakai Lupa kata sandi."
    ]
    assert not CustomerRegistration.objects.exists()
    assert not queued("account_verify")


def test_a_username_equal_to_the_address_is_refused_too(p: Personas):
    make_user("sari@kemasan.example")
    response = register(email="sari@kemasan.example")
    assert response.status_code == 400
    assert "Alamat surel ini sudah terdaftar." in response.context["form"].errors["email"][0]


def test_a_verified_registration_cannot_be_registered_over(db):
    register()
    registration = CustomerRegistration.objects.get()
    User.objects.filter(pk=registration.user_id).update(is_active=True)
    CustomerRegistration.objects.filter(pk=registration.pk).update(
        email_verified_at=registration.created_at
    )
    response = register(
        name="Orang Lain", password="Lain-Sekali-2026", password_confirm="Lain-Sekali-2026"
    )
    assert response.status_code == 400
    user = User.objects.get()
    assert user.first_name == "Dewi Anggraini"
    assert user.check_password(PASSWORD)


def test_an_unverified_address_registers_again_and_old_links_stop_working(db, mailoutbox):
    register()
    first_link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    response = register(
        name="Dewi A.",
        organization_name="PT Kemasan Baru",
        password="Sandi-Baru-2026",
        password_confirm="Sandi-Baru-2026",
    )
    assert response.status_code == 302
    user = User.objects.get()  # the same account, started over
    assert user.first_name == "Dewi A."
    assert user.check_password("Sandi-Baru-2026")
    assert user.registration.organization_name == "PT Kemasan Baru"
    assert Event.objects.filter(action="account.registered").last().data["again"] is True
    second_link = sent_link(mailoutbox, "/portal/akun/verifikasi/")
    assert Client().get(first_link).status_code == 400
    assert Client().get(second_link).status_code == 200


def test_a_rejected_address_may_register_again(p: Personas):
    from banding.accounts.onboarding import registration_reject

    register()
    registration = CustomerRegistration.objects.get()
    CustomerRegistration.objects.filter(pk=registration.pk).update(
        email_verified_at=registration.created_at
    )
    registration_reject(
        user=p.staff, registration=registration.public_id, reason="Bukan narahubung."
    )
    assert register().status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.email_verified_at is None
    assert registration.reason == ""
    assert registration.decided_by is None


def test_required_fields_say_so_in_indonesian(db):
    response = Client().post(REGISTER_URL, {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["Nama lengkap wajib diisi."]
    assert errors["email"] == ["Alamat surel wajib diisi."]
    assert errors["organization_name"] == ["Nama organisasi wajib diisi."]
    assert errors["password"] == ["Kata sandi wajib diisi."]
    assert "phone" not in errors  # optional
    assert not User.objects.exists()


def test_a_malformed_address_is_refused(db):
    response = register(email="dewi-di-kemasan")
    assert response.context["form"].errors["email"] == ["Masukkan alamat surel yang benar."]


def test_the_two_passwords_must_match(db):
    response = register(password_confirm="Kemasan-Aman-2027")
    assert response.status_code == 400
    assert response.context["form"].errors["password_confirm"] == ["Kedua kata sandi tidak sama."]
    assert not User.objects.exists()


def test_a_weak_password_is_refused_with_the_validators_messages(db):
    response = register(password="12345678", password_confirm="12345678")
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == [
        "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter.",
        "Kata sandi ini terlalu umum.",
        "Kata sandi ini seluruhnya terdiri dari angka.",
    ]
    assert not User.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        # long enough but on Django's list of common passwords (OWASP ASVS L2, 2.1.7)
        ("qwertyqwerty", "Kata sandi ini terlalu umum."),
        # eleven characters: one short of the twelve ASVS L2 (2.1.1) asks
        ("Kmsn-Aman-7", "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter."),
    ],
)
def test_a_short_or_common_password_is_refused(db, password, message):
    response = register(password=password, password_confirm=password)
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == [message]
    assert not User.objects.exists()


def test_a_password_like_the_address_is_refused(db):
    response = register(password="dewi@kemasan.example", password_confirm="dewi@kemasan.example")
    assert response.status_code == 400
    [message] = response.context["form"].errors["password"]
    assert message.startswith("Kata sandi terlalu mirip")


def test_a_logged_in_user_is_sent_home(client, p: Personas):
    client.force_login(p.customer)
    response = client.get(REGISTER_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/")


def test_registrations_from_one_address_are_limited(db, settings):
    settings.BANDING_REGISTRATIONS_PER_HOUR = 2
    client = Client()
    assert register(client, email="a@kemasan.example").status_code == 302
    assert register(client, email="b@kemasan.example").status_code == 302
    response = register(client, email="c@kemasan.example")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan dari alamat Anda" in response.content.decode()
    assert User.objects.count() == 2
    # Another address is counted apart.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert register(other, email="d@kemasan.example").status_code == 302


def test_the_form_data_is_kept_on_error(db):
    data = registration_data(password_confirm="salah")
    html = Client().post(REGISTER_URL, data).content.decode()
    assert 'value="PT Kemasan Lestari"' in html
    assert PASSWORD not in html  # passwords are never echoed
