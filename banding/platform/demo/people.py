"""The demo's people: an account for every role, the technical teams and the customer
organisations, and one self-registration waiting for staff confirmation. Existing accounts
are left alone, so seeding again changes nothing."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from banding.accounts import onboarding
from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.accounts.roles import Role
from banding.accounts.tokens import email_verification_token
from banding.platform.demo.data import (
    ACCOUNTS,
    DEMO_PASSWORD,
    ORGANIZATIONS,
    REGISTRANT,
    TEAMS,
)


def seed_accounts() -> int:
    """Create what is missing of the demo accounts, teams and organisations; returns how
    many accounts were created. Existing accounts (and their passwords) are left alone."""
    teams = {
        code: TechnicalTeam.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in TEAMS.items()
    }
    orgs = {
        name: CustomerOrganization.objects.get_or_create(name=name, defaults=details)[0]
        for name, details in ORGANIZATIONS.items()
    }
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    # Hashed once: every demo account shares the one published password.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is not None:
            continue
        org = orgs[account.organization] if account.organization else None
        domain = org.email.split("@")[1] if org else "balai.example.go.id"
        user = User.objects.create(
            username=account.username,
            password=password,
            email=f"{account.username}@{domain}",
            first_name=account.first_name,
            last_name=account.last_name,
            nip=account.nip,
            position=account.position,
            organization=org,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        user.groups.add(*(groups[name] for name in account.groups))
        for code in account.teams:
            teams[code].members.add(user)
        created += 1
    return created


def seed_registrant() -> bool:
    """The pending self-registration, registered and verified as the customer would (the
    verification link's token made here instead of read from the e-mail); True if created."""
    if User.objects.filter(username=REGISTRANT.email).exists():
        return False
    with transaction.atomic():
        registration = onboarding.customer_register(
            name=REGISTRANT.name,
            email=REGISTRANT.email,
            phone=REGISTRANT.phone,
            organization_name=REGISTRANT.organization_name,
            password=DEMO_PASSWORD,
        )
        user = registration.user
        onboarding.customer_verify_email(
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=email_verification_token.make_token(user),
        )
    return True


def accounts_table() -> str:
    """The demo accounts as a plain-text table (username, role, password)."""
    rows = [("Nama pengguna", "Peran", "Kata sandi")]
    rows += [(a.username, a.role, DEMO_PASSWORD) for a in ACCOUNTS]
    rows.append((REGISTRANT.email, REGISTRANT.role, DEMO_PASSWORD))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
