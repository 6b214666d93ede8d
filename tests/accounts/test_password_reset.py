"""Password reset at /portal/akun/sandi/: the same answer for any address, a link to active
accounts only, usable once; for staff as for customers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banding.accounts import passwords
from banding.audit.models import Event
from banding.errors import Invalid
from tests.accounts.conftest import PASSWORD, queued, sent_link
from tests.factories import Personas

URL = "/portal/akun/sandi/"


def ask(email: str, client: Client | None = None):
    return (client or Client()).post(URL, {"email": email})


@pytest.fixture
def with_mail(p: Personas) -> Personas:
    for user, address in ((p.customer, "budi@kimia.example"), (p.staff, "siti@balai.example")):
        user.email = address
        user.save(update_fields=["email"])
    return p


def test_reset_urls_are_the_named_ones():
    assert reverse("portal:password_reset") == URL
    assert reverse("portal:password_reset_done") == "/portal/akun/sandi/terkirim/"
    assert reverse("portal:password_reset_confirm", args=["MQ", "abc"]) == (
        "/portal/akun/sandi/MQ/abc/"
    )


def test_the_login_page_links_to_reset_and_registration(db):
    html = Client().get("/masuk/").content.decode()
    assert 'href="/portal/akun/sandi/">Lupa kata sandi?</a>' in html
    assert 'href="/portal/akun/daftar/">Daftar</a>' in html


def test_an_unknown_address_is_answered_as_a_known_one(with_mail: Personas):
    known = ask("budi@kimia.example")
    unknown = ask("tidak.ada@kimia.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/portal/akun/sandi/terkirim/"
    page = Client().get(known["Location"]).content.decode()
    assert "Jika alamat itu terdaftar pada akun yang aktif" in page
    [mail] = queued("password_reset")
    assert mail.to_user == with_mail.customer


def test_the_address_matches_whatever_its_case(with_mail: Personas):
    ask("BUDI@Kimia.Example")
    assert [m.to_user for m in queued("password_reset")] == [with_mail.customer]
    event = Event.objects.get(action="account.password_reset_requested")
    assert event.actor is None
    assert event.summary == "Tautan atur ulang kata sandi dikirim kepada budi@kimia.example"


def test_inactive_accounts_get_no_link(with_mail: Personas):
    with_mail.customer.is_active = False
    with_mail.customer.save(update_fields=["is_active"])
    assert ask("budi@kimia.example").status_code == 302
    assert not queued("password_reset")


def test_the_link_sets_a_new_password_once(with_mail: Personas, mailoutbox):
    ask("budi@kimia.example")
    link = sent_link(mailoutbox, "/portal/akun/sandi/")
    message = mailoutbox[-1]
    assert message.subject == "[SiBanding] Atur ulang kata sandi"
    assert "nama pengguna: pelanggan" in message.body
    client = Client()
    form_url = client.get(link)["Location"]
    page = client.get(form_url).content.decode()
    assert "Atur kata sandi baru" in page
    done = client.post(form_url, {"password": PASSWORD, "password_confirm": PASSWORD})
    assert done["Location"] == "/portal/akun/sandi/selesai/"
    with_mail.customer.refresh_from_db()
    assert with_mail.customer.check_password(PASSWORD)
    assert Event.objects.get(action="account.password_reset").actor == with_mail.customer
    assert Client().get(link).status_code == 400


def test_it_works_for_staff_too(with_mail: Personas, mailoutbox):
    ask("siti@balai.example")
    link = sent_link(mailoutbox, "/portal/akun/sandi/")
    client = Client()
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password": PASSWORD, "password_confirm": PASSWORD})
    with_mail.staff.refresh_from_db()
    assert with_mail.staff.check_password(PASSWORD)
    response = Client().post("/masuk/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302


def test_a_link_stops_working_once_the_password_changed_otherwise(with_mail: Personas, mailoutbox):
    ask("budi@kimia.example")
    link = sent_link(mailoutbox, "/portal/akun/sandi/")
    with_mail.customer.set_password("Sudah-Diganti-2026")
    with_mail.customer.save()
    assert Client().get(link).status_code == 400


def test_an_expired_link_is_refused(with_mail: Personas, mailoutbox, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        ask("budi@kimia.example")
        link = sent_link(mailoutbox, "/portal/akun/sandi/")
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        assert Client().get(link).status_code == 400


def test_a_malformed_address_is_an_indonesian_form_error(db):
    response = ask("bukan-surel")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Masukkan alamat surel yang benar."]
    response = ask("")
    assert response.context["form"].errors["email"] == ["Alamat surel akun Anda wajib diisi."]


def test_links_per_account_are_capped(with_mail: Personas, settings):
    settings.BANDING_RESET_MAILS_PER_HOUR = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            assert ask("budi@kimia.example").status_code == 302
        assert len(queued("password_reset")) == 2
        traveller.shift(timedelta(hours=1, seconds=1))
        ask("budi@kimia.example")
    assert len(queued("password_reset")) == 3


def test_requests_from_one_address_are_limited(with_mail: Personas, settings):
    settings.BANDING_RESETS_PER_HOUR = 3
    client = Client()
    for _ in range(3):
        assert ask("x@kimia.example", client).status_code == 302
    response = ask("budi@kimia.example", client)
    assert response.status_code == 429
    assert not queued("password_reset")


def test_the_service_checks_the_password(with_mail: Personas):
    with pytest.raises(Invalid) as refused:
        passwords.account_password_set(user=with_mail.customer, password="123", via="reset")
    assert refused.value.message == (
        "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter."
    )
    assert not Event.objects.filter(action="account.password_reset").exists()


def test_an_invalid_link_page_offers_a_new_one(db):
    response = Client().get("/portal/akun/sandi/MQ/bukan-token/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tautan tidak berlaku" in html
    assert 'href="/portal/akun/sandi/"' in html
