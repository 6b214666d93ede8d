"""The e-mail verification token: valid until the account changes in what verifying, a new
registration or a new address changes; never a password-reset token, nor the other way."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone

from banding.accounts import onboarding
from banding.accounts.models import CustomerRegistration, User
from banding.accounts.tokens import email_verification_token, link_valid_days


def registrant() -> User:
    registration = onboarding.customer_register(
        name="Dewi Anggraini",
        email="dewi@kemasan.example",
        organization_name="PT Kemasan Lestari",
        password="Kemasan-Aman-2026",
    )
    return User.objects.select_related("registration").get(pk=registration.user_id)


def test_a_token_is_valid_for_its_account(db):
    user = registrant()
    assert email_verification_token.check_token(user, email_verification_token.make_token(user))


def test_it_stops_when_the_account_is_activated(db):
    user = registrant()
    token = email_verification_token.make_token(user)
    user.is_active = True
    assert not email_verification_token.check_token(user, token)


def test_it_stops_when_the_registration_is_verified(db):
    user = registrant()
    token = email_verification_token.make_token(user)
    CustomerRegistration.objects.filter(user=user).update(email_verified_at=timezone.now())
    user = User.objects.select_related("registration").get(pk=user.pk)
    assert not email_verification_token.check_token(user, token)


def test_it_stops_when_the_address_or_password_changes(db):
    user = registrant()
    token = email_verification_token.make_token(user)
    user.email = "lain@kemasan.example"
    assert not email_verification_token.check_token(user, token)
    user.email = "dewi@kemasan.example"
    assert email_verification_token.check_token(user, token)
    user.set_password("Sandi-Lain-2026")
    assert not email_verification_token.check_token(user, token)


def test_it_is_not_a_password_reset_token(db):
    user = registrant()
    assert not default_token_generator.check_token(user, email_verification_token.make_token(user))
    assert not email_verification_token.check_token(user, default_token_generator.make_token(user))


def test_links_are_valid_for_the_reset_timeout_in_days(settings):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 86400
    assert link_valid_days() == 2
    settings.PASSWORD_RESET_TIMEOUT = 3600
    assert link_valid_days() == 1
