"""Staff confirm or reject verified registrations at /akun/pendaftaran/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banding.accounts import onboarding
from banding.accounts.models import (
    CustomerOrganization,
    CustomerRegistration,
    RegistrationStatus,
    User,
)
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.accounts.conftest import queued
from tests.factories import Personas
from tests.factories import register as register_appeal

URL = "/akun/pendaftaran/"


def registered(
    email: str = "dewi@kemasan.example",
    organization_name: str = "PT Kemasan Lestari",
    *,
    verified: bool = True,
) -> CustomerRegistration:
    registration = onboarding.customer_register(
        name="Dewi Anggraini",
        email=email,
        phone="0812 3456 7890",
        organization_name=organization_name,
        password="Kemasan-Aman-2026",
    )
    if verified:
        CustomerRegistration.objects.filter(pk=registration.pk).update(
            email_verified_at=timezone.now()
        )
        User.objects.filter(pk=registration.user_id).update(is_active=True)
        registration.refresh_from_db()
    return registration


def confirm_url(registration: CustomerRegistration) -> str:
    return reverse("accounts:registration_confirm", args=[registration.public_id])


def reject_url(registration: CustomerRegistration) -> str:
    return reverse("accounts:registration_reject", args=[registration.public_id])


def test_urls_are_the_named_ones():
    assert reverse("accounts:registrations") == URL


def test_the_page_lists_verified_pending_registrations_only(client, p: Personas):
    waiting = registered()
    matched = registered("budi@kimia.example", "pt kimia nusantara")
    registered("belum@kemasan.example", verified=False)
    decided = registered("tolak@kemasan.example")
    onboarding.registration_reject(
        user=p.staff, registration=decided.public_id, reason="Bukan narahubung."
    )
    client.force_login(p.staff)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["waiting"] == [waiting, matched]
    html = page.content.decode()
    assert "Menunggu konfirmasi (2)" in html
    assert "organisasi baru" in html
    assert "cocok dengan organisasi yang ada: PT Kimia Nusantara" in html
    assert "1 pendaftaran lain belum memverifikasi alamat surelnya" in html
    assert "belum@kemasan.example" not in html
    # The decision just taken is listed below, with its reason.
    assert "Bukan narahubung." in html


@pytest.mark.parametrize("role", ["staff", "lead", "admin"])
def test_staff_lead_and_admin_open_the_page(client, p: Personas, role: str):
    client.force_login(getattr(p, role))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["head", "auditor", "tech", "customer"])
def test_other_roles_are_refused_the_page(client, p: Personas, role: str):
    client.force_login(getattr(p, role))
    response = client.get(URL)
    assert response.status_code == 403
    assert onboarding.NOT_MANAGER in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_the_list_costs_the_same_whatever_its_length(
    client, p: Personas, django_assert_max_num_queries
):
    registered("a@kemasan.example")
    client.force_login(p.staff)
    client.get(URL)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(6):
        registered(f"n{n}@kemasan.example", f"PT Baru {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
    assert len(page.context["waiting"]) == 7


def test_confirming_a_new_organisation_creates_it_and_links_the_account(
    client, p: Personas, mailoutbox
):
    registration = registered()
    client.force_login(p.staff)
    response = client.post(confirm_url(registration), {"organization": ""})
    assert response.status_code == 302
    organization = CustomerOrganization.objects.get(name="PT Kemasan Lestari")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organization == organization
    assert registration.decided_by == p.staff
    assert registration.decided_at is not None
    assert registration.user.organization == organization
    page = client.get(URL).content.decode()
    assert "Pendaftaran dikonfirmasi; pendaftar diberi tahu lewat surel." in page
    event = Event.objects.get(action="account.registration_confirmed")
    assert event.actor == p.staff
    assert event.data["organization_created"] is True
    assert event.summary == (
        "Pendaftaran dewi@kemasan.example dikonfirmasi: narahubung PT Kemasan Lestari "
        "(organisasi baru)"
    )
    [mail] = queued("account_confirmed")
    assert mail.to_user == registration.user


def test_the_confirmation_mail_says_where_to_log_in(p: Personas, mailoutbox):
    from banding.notifications.outbox import mail_deliver_pending

    registration = registered()
    mail_deliver_pending()
    mailoutbox.clear()
    onboarding.registration_confirm(user=p.lead, registration=registration.public_id)
    mail_deliver_pending()
    [message] = mailoutbox
    assert message.subject == "[SiBanding] Pendaftaran Anda dikonfirmasi: PT Kemasan Lestari"
    assert "http://127.0.0.1:8000/masuk/" in message.body
    assert "dewi@kemasan.example" in message.body


def test_confirming_with_the_matched_organisation(client, p: Personas):
    registration = registered(organization_name="PT KIMIA NUSANTARA")
    client.force_login(p.lead)
    client.post(confirm_url(registration), {"organization": str(p.org.public_id)})
    registration.refresh_from_db()
    assert registration.user.organization == p.org
    assert CustomerOrganization.objects.count() == 2  # none created
    assert (
        Event.objects.get(action="account.registration_confirmed").data["organization_created"]
        is False
    )


def test_staff_may_pick_another_existing_organisation(client, p: Personas):
    registration = registered(organization_name="Farmasi Sejahtera")
    client.force_login(p.admin)
    client.post(confirm_url(registration), {"organization": str(p.org_other.public_id)})
    registration.refresh_from_db()
    assert registration.user.organization == p.org_other
    assert registration.organization == p.org_other


def test_a_new_organisation_with_an_existing_name_is_refused(p: Personas):
    registration = registered(organization_name="PT Kimia Nusantara")
    with pytest.raises(Invalid) as refused:
        onboarding.registration_confirm(user=p.staff, registration=registration.public_id)
    assert refused.value.message == (
        "Organisasi bernama PT Kimia Nusantara sudah ada; pilih organisasi itu."
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_an_unknown_organisation_choice_is_refused(client, p: Personas):
    registration = registered()
    client.force_login(p.staff)
    response = client.post(confirm_url(registration), {"organization": "bukan-uuid"})
    assert response.status_code == 400
    assert "Pilih organisasi dari daftar." in response.content.decode()


def test_after_confirmation_the_customer_sees_the_organisations_appeals(client, p: Personas):
    appeal = register_appeal(p)
    registration = registered(organization_name=p.org.name)
    onboarding.registration_confirm(
        user=p.staff, registration=registration.public_id, organization=p.org
    )
    client.force_login(User.objects.get(pk=registration.user_id))
    api = client.get(f"/api/v1/appeals/{appeal.public_id}")
    assert api.status_code == 200


def test_rejecting_needs_a_reason_and_closes_the_account(client, p: Personas):
    registration = registered()
    client.force_login(p.staff)
    response = client.post(reject_url(registration), {"reason": ""})
    assert response.status_code == 400
    assert "Alasan penolakan wajib diisi." in response.content.decode()
    response = client.post(reject_url(registration), {"reason": "Tidak terdaftar sebagai pegawai."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.reason == "Tidak terdaftar sebagai pegawai."
    assert not registration.user.is_active
    assert registration.user.organization is None
    event = Event.objects.get(action="account.registration_rejected")
    assert event.actor == p.staff
    assert event.summary == (
        "Pendaftaran dewi@kemasan.example ditolak: Tidak terdaftar sebagai pegawai."
    )
    [mail] = queued("account_rejected")
    assert mail.context["reason"] == "Tidak terdaftar sebagai pegawai."


def test_the_rejection_mail_gives_the_reason(p: Personas, mailoutbox):
    from banding.notifications.outbox import mail_deliver_pending

    registration = registered()
    mail_deliver_pending()
    mailoutbox.clear()
    onboarding.registration_reject(
        user=p.staff, registration=registration.public_id, reason="Data tidak lengkap."
    )
    mail_deliver_pending()
    [message] = mailoutbox
    assert message.subject == "[SiBanding] Pendaftaran Anda tidak dapat dikonfirmasi"
    assert "Alasan: Data tidak lengkap." in message.body
    assert "http://127.0.0.1:8000/portal/akun/daftar/" in message.body


def test_the_service_refuses_other_roles(p: Personas):
    registration = registered()
    for user in (p.head, p.auditor, p.tech, p.customer):
        with pytest.raises(Forbidden) as refused:
            onboarding.registration_confirm(user=user, registration=registration.public_id)
        assert refused.value.message == onboarding.NOT_MANAGER
        with pytest.raises(Forbidden):
            onboarding.registration_reject(
                user=user, registration=registration.public_id, reason="x"
            )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    assert not Event.objects.filter(action__startswith="account.registration_").exists()


@pytest.mark.parametrize("role", ["head", "tech", "customer"])
def test_the_actions_refuse_other_roles(client, p: Personas, role: str):
    registration = registered()
    client.force_login(getattr(p, role))
    assert client.post(confirm_url(registration), {"organization": ""}).status_code == 403
    assert client.post(reject_url(registration), {"reason": "x"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_a_decided_registration_cannot_be_decided_again(client, p: Personas):
    registration = registered()
    onboarding.registration_confirm(user=p.staff, registration=registration.public_id)
    client.force_login(p.lead)
    response = client.post(reject_url(registration), {"reason": "Terlambat."})
    assert response.status_code == 409
    assert "Pendaftaran ini sudah diputuskan: dikonfirmasi." in response.content.decode()
    with pytest.raises(Conflict):
        onboarding.registration_confirm(user=p.staff, registration=registration.public_id)


def test_an_unverified_registration_cannot_be_confirmed(client, p: Personas):
    registration = registered(verified=False)
    client.force_login(p.staff)
    response = client.post(confirm_url(registration), {"organization": ""})
    assert response.status_code == 409
    assert "Alamat surel pendaftar belum diverifikasi." in response.content.decode()
    assert not CustomerOrganization.objects.filter(name="PT Kemasan Lestari").exists()


def test_an_unknown_registration_is_404(client, p: Personas):
    client.force_login(p.staff)
    path = reverse("accounts:registration_confirm", args=["00000000-0000-0000-0000-000000000000"])
    assert client.post(path, {"organization": ""}).status_code == 404


def test_the_actions_are_post_only(client, p: Personas):
    registration = registered()
    client.force_login(p.staff)
    assert client.get(confirm_url(registration)).status_code == 405
    assert Client().post(confirm_url(registration)).status_code == 302  # to log in first
