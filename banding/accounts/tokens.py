"""The e-mail verification link of a self-registration (banding.accounts.onboarding)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from banding.accounts.models import User


def link_valid_days() -> int:
    """How long an e-mailed account link (verification, invitation, reset) stays valid, in
    whole days: Django's PASSWORD_RESET_TIMEOUT, which every account token uses."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring token (PASSWORD_RESET_TIMEOUT), over what verifying changes:
    the account becomes active and the registration gets its verification time, so a used
    link stops working. The password and the address are in it too: registering again with
    the same address (new password) or a changed address voids the links sent before."""

    key_salt = "banding.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        registration = getattr(user, "registration", None)
        verified = registration.email_verified_at if registration is not None else None
        verified_at = "" if verified is None else verified.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{user.is_active}{user.email}{verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()
