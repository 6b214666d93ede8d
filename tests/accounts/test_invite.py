"""Staff invite a contact of an existing organisation; the invitation's link sets the first
password once; the organisation's contacts page lists them and re-sends an invitation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from banding.accounts import onboarding
from banding.accounts.models import User
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.accounts.conftest import PASSWORD, queued, sent_link
from tests.factories import Personas, make_user

URL = "/akun/pendaftaran/"


def invite_data(p: Personas, **overrides: str) -> dict[str, str]:
    data = {"name": "Rudi Hartono", "email": "Rudi@Kimia.Example", "organization": ""}
    data["organization"] = str(p.org.public_id)
    data.update(overrides)
    return data


def org_url(p: Personas) -> str:
    return reverse("accounts:organization", args=[p.org.public_id])


def test_staff_invite_a_contact_from_the_registrations_page(client, p: Personas):
    client.force_login(p.staff)
    response = client.post(URL, invite_data(p))
    assert response.status_code == 302
    assert response["Location"] == org_url(p)
    contact = User.objects.get(username="rudi@kimia.example")
    assert contact.email == "rudi@kimia.example"
    assert contact.first_name == "Rudi Hartono"
    assert contact.organization == p.org
    assert contact.is_active
    assert not contact.has_usable_password()
    page = client.get(org_url(p)).content.decode()
    assert "Undangan dikirim kepada Rudi Hartono &lt;rudi@kimia.example&gt;." in page
    assert "Diundang, belum mengatur kata sandi" in page
    event = Event.objects.get(action="account.invited")
    assert event.actor == p.staff
    assert event.summary == (
        "Narahubung PT Kimia Nusantara diundang: Rudi Hartono <rudi@kimia.example>"
    )
    [mail] = queued("account_invite")
    assert mail.to_user == contact


def test_the_invitation_mail_carries_the_set_password_link(p: Personas, mailoutbox):
    onboarding.customer_invite(
        user=p.lead, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    link = sent_link(mailoutbox, "/portal/akun/atur-sandi/")
    message = mailoutbox[-1]
    assert message.subject == "[SiBanding] Undangan akun portal pelanggan PT Kimia Nusantara"
    assert "Nama pengguna: rudi@kimia.example" in message.body
    assert "Ketua membuatkan Anda akun" in message.body
    assert link.startswith("/portal/akun/atur-sandi/")


def test_the_invitation_link_sets_the_password_once(p: Personas, mailoutbox):
    contact = onboarding.customer_invite(
        user=p.staff, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    link = sent_link(mailoutbox, "/portal/akun/atur-sandi/")
    client = Client()
    # Django moves the token into the session, so it never shows in a Referer.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    page = client.get(form_url)
    assert page.status_code == 200
    assert "Atur kata sandi akun Anda" in page.content.decode()
    done = client.post(form_url, {"password": PASSWORD, "password_confirm": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/portal/akun/atur-sandi/selesai/"
    assert "Akun Anda siap dipakai." in client.get(done["Location"]).content.decode()
    contact.refresh_from_db()
    assert contact.check_password(PASSWORD)
    event = Event.objects.get(action="account.password_set")
    assert event.actor == contact
    # Used once: the same link is refused now.
    again = Client().get(link)
    assert again.status_code == 400
    assert "Tautan tidak berlaku" in again.content.decode()
    login = Client().post("/masuk/", {"username": "rudi@kimia.example", "password": PASSWORD})
    assert login.status_code == 302


def test_the_new_password_is_checked(p: Personas, mailoutbox):
    onboarding.customer_invite(
        user=p.staff, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    link = sent_link(mailoutbox, "/portal/akun/atur-sandi/")
    client = Client()
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password": "rahasia", "password_confirm": "rahasia"})
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == [
        "Kata sandi terlalu pendek. Harus mengandung setidaknya 12 karakter.",
        "Kata sandi ini terlalu umum.",
    ]
    response = client.post(form_url, {"password": PASSWORD, "password_confirm": "lain"})
    assert response.context["form"].errors["password_confirm"] == ["Kedua kata sandi tidak sama."]
    assert not User.objects.get(username="rudi@kimia.example").has_usable_password()


def test_an_address_in_use_cannot_be_invited(client, p: Personas):
    make_user("budi", email="budi@kimia.example")
    client.force_login(p.staff)
    response = client.post(URL, invite_data(p, email="BUDI@kimia.example"))
    assert response.status_code == 400
    assert response.context["invite"].errors["email"] == [
        "Alamat surel ini sudah dipakai akun lain."
    ]
    assert "Alamat surel ini sudah dipakai akun lain." in response.content.decode()
    assert not queued("account_invite")


def test_the_invitation_form_shows_indonesian_errors(client, p: Personas):
    client.force_login(p.staff)
    response = client.post(URL, {"name": "", "email": "bukan-surel", "organization": ""})
    assert response.status_code == 400
    errors = response.context["invite"].errors
    assert errors["name"] == ["Nama narahubung wajib diisi."]
    assert errors["email"] == ["Masukkan alamat surel yang benar."]
    assert errors["organization"] == ["Organisasi wajib diisi."]


@pytest.mark.parametrize("role", ["head", "auditor", "tech", "customer"])
def test_other_roles_cannot_invite(client, p: Personas, role: str):
    client.force_login(getattr(p, role))
    assert client.post(URL, invite_data(p)).status_code == 403
    assert client.post(org_url(p), invite_data(p)).status_code == 403
    assert not User.objects.filter(username="rudi@kimia.example").exists()
    with pytest.raises(Forbidden):
        onboarding.customer_invite(
            user=getattr(p, role), name="Rudi", email="rudi@kimia.example", organization=p.org
        )


def test_the_service_needs_a_name_and_an_address(p: Personas):
    with pytest.raises(Invalid) as refused:
        onboarding.customer_invite(user=p.staff, name=" ", email="x@y.example", organization=p.org)
    assert refused.value.message == "Nama wajib diisi."


def test_the_organisation_page_lists_its_contacts_and_invites_to_itself(client, p: Personas):
    client.force_login(p.lead)
    page = client.get(org_url(p))
    assert page.status_code == 200
    html = page.content.decode()
    assert "PT Kimia Nusantara" in html
    assert "Pelanggan" in html  # p.customer, a contact
    # Whatever organisation the form says, the page's own is used.
    response = client.post(org_url(p), invite_data(p, organization=str(p.org_other.public_id)))
    assert response.status_code == 302
    assert User.objects.get(username="rudi@kimia.example").organization == p.org


def test_the_organisations_list_and_its_search(client, p: Personas, django_assert_max_num_queries):
    client.force_login(p.staff)
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("accounts:organizations"))
    html = page.content.decode()
    assert "PT Kimia Nusantara" in html and "PT Farmasi Sejahtera" in html
    from banding.accounts.models import CustomerOrganization

    CustomerOrganization.objects.bulk_create(
        CustomerOrganization(name=f"CV Mitra {n}") for n in range(10)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:organizations"))
    found = client.get(reverse("accounts:organizations"), {"q": "farmasi"}).content.decode()
    assert "PT Farmasi Sejahtera" in found and "PT Kimia Nusantara" not in found


def test_the_contacts_page_costs_the_same_whatever_the_contacts(
    client, p: Personas, django_assert_max_num_queries
):
    client.force_login(p.staff)
    with django_assert_max_num_queries(12) as few:
        client.get(org_url(p))
    for n in range(5):
        make_user(f"kontak{n}", organization=p.org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(org_url(p))


def test_an_unknown_organisation_is_404(client, p: Personas):
    client.force_login(p.staff)
    path = reverse("accounts:organization", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(path).status_code == 404


def test_the_invitation_can_be_sent_again_until_a_password_is_set(client, p: Personas):
    contact = onboarding.customer_invite(
        user=p.staff, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    client.force_login(p.staff)
    path = reverse("accounts:invite_resend", args=[p.org.public_id, contact.public_id])
    response = client.post(path)
    assert response.status_code == 302
    assert len(queued("account_invite")) == 2
    assert Event.objects.get(action="account.invite_resent").actor == p.staff
    contact.set_password(PASSWORD)
    contact.save()
    response = client.post(path)
    assert response.status_code == 409
    assert "Narahubung ini sudah mengatur kata sandinya" in response.content.decode()
    with pytest.raises(Conflict):
        onboarding.customer_invite_resend(user=p.staff, contact=contact.public_id)


def test_resending_through_another_organisation_is_404(client, p: Personas):
    contact = onboarding.customer_invite(
        user=p.staff, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    client.force_login(p.staff)
    path = reverse("accounts:invite_resend", args=[p.org_other.public_id, contact.public_id])
    assert client.post(path).status_code == 404
    assert len(queued("account_invite")) == 1


def test_other_roles_cannot_resend(client, p: Personas):
    contact = onboarding.customer_invite(
        user=p.staff, name="Rudi Hartono", email="rudi@kimia.example", organization=p.org
    )
    client.force_login(p.head)
    path = reverse("accounts:invite_resend", args=[p.org.public_id, contact.public_id])
    assert client.post(path).status_code == 403
    with pytest.raises(Forbidden):
        onboarding.customer_invite_resend(user=p.customer, contact=contact.public_id)
