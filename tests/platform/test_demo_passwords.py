"""The demo's one published password (README.md, `banding demo`) passes the password rules
every real account meets (AUTH_PASSWORD_VALIDATORS: 12 characters, not common, not like the
account)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password

from banding.accounts.models import User
from banding.platform.demo.data import ACCOUNTS, DEMO_PASSWORD, ORGANIZATIONS, REGISTRANT


def test_the_demo_password_passes_the_validators_for_every_demo_account():
    for account in ACCOUNTS:
        org = ORGANIZATIONS.get(account.organization or "", {})
        domain = org["email"].split("@")[1] if org else "balai.example.go.id"
        user = User(
            username=account.username,
            email=f"{account.username}@{domain}",
            first_name=account.first_name,
            last_name=account.last_name,
        )
        validate_password(DEMO_PASSWORD, user)  # raises ValidationError with the reasons
    first, _, last = REGISTRANT.name.partition(" ")
    registrant = User(
        username=REGISTRANT.email, email=REGISTRANT.email, first_name=first, last_name=last
    )
    validate_password(DEMO_PASSWORD, registrant)
