"""Reads for the staff pages on customer accounts; each list is one query whatever its length."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from banding.accounts.models import (
    CustomerOrganization,
    CustomerRegistration,
    RegistrationStatus,
    User,
)


def registrations_waiting() -> QuerySet[CustomerRegistration]:
    """Verified registrations staff have still to decide, oldest verification first."""
    return (
        CustomerRegistration.objects.filter(
            status=RegistrationStatus.PENDING, email_verified_at__isnull=False
        )
        .select_related("user", "organization")
        .order_by("email_verified_at", "pk")
    )


def registrations_unverified() -> int:
    return CustomerRegistration.objects.filter(
        status=RegistrationStatus.PENDING, email_verified_at__isnull=True
    ).count()


def registrations_decided() -> QuerySet[CustomerRegistration]:
    return (
        CustomerRegistration.objects.exclude(status=RegistrationStatus.PENDING)
        .select_related("user", "organization", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def organizations(search: str = "") -> QuerySet[CustomerOrganization]:
    rows = CustomerOrganization.objects.annotate(contact_total=Count("contacts"))
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return rows.order_by("name", "pk")


def organization_choices() -> list[CustomerOrganization]:
    """Every organisation, for the pickers: read once per page, not once per row."""
    return list(CustomerOrganization.objects.only("public_id", "name").order_by("name", "pk"))


def contacts(organization: CustomerOrganization) -> QuerySet[User]:
    return organization.contacts.select_related("registration").order_by(
        "first_name", "last_name", "username"
    )
