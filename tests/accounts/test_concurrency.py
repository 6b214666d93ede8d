"""Two requests at once, on PostgreSQL with real threads and transactions: one address makes
one account, and one verification link verifies once. Whatever the interleaving, exactly one
of the two wins and the other is refused with the usual message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from banding.accounts import onboarding
from banding.accounts.models import CustomerRegistration, User
from banding.accounts.tokens import email_verification_token
from banding.audit.models import Event
from banding.errors import Invalid
from tests.concurrency import in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(body: Callable[[], object], count: int = 2) -> list[object]:
    """Run `body` in `count` threads that start together; their results or errors."""
    return in_threads(count, lambda _: body())


def register() -> CustomerRegistration:
    return onboarding.customer_register(
        name="Dewi Anggraini",
        email="dewi@kemasan.example",
        organization_name="PT Kemasan Lestari",
        password="Kemasan-Aman-2026",
    )


def test_one_address_registered_twice_at_once_makes_one_account():
    results = race(register)
    made = [r for r in results if isinstance(r, CustomerRegistration)]
    refused = [r for r in results if isinstance(r, Invalid)]
    # The second either waited for the first's commit and registered over its unverified
    # registration, or hit the unique username: never two accounts, never a crash.
    assert len(made) + len(refused) == 2, results
    assert made
    for error in refused:
        assert error.message == onboarding.EMAIL_TAKEN
    assert User.objects.filter(username="dewi@kemasan.example").count() == 1
    assert CustomerRegistration.objects.count() == 1


def test_a_link_followed_twice_at_once_verifies_once():
    registration = register()
    user = User.objects.select_related("registration").get(pk=registration.user_id)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    results = race(lambda: onboarding.customer_verify_email(uidb64=uidb64, token=token))
    assert sum(isinstance(r, CustomerRegistration) for r in results) == 1, results
    assert sum(isinstance(r, Invalid) for r in results) == 1, results
    assert Event.objects.filter(action="account.email_verified").count() == 1
    assert User.objects.get(pk=user.pk).is_active
