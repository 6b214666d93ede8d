"""Customer accounts: self-registration, e-mail verification, staff confirmation or rejection,
and staff invitations. Each action checks who may do it and in which state, writes its audit
event and enqueues its e-mail in one transaction (the outbox renders the link with a fresh
token when it sends: no token is ever stored)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.hooks import queue_mail
from banding.accounts.models import (
    CustomerOrganization,
    CustomerRegistration,
    RegistrationStatus,
    User,
)
from banding.accounts.roles import Role, has_role
from banding.accounts.tokens import email_verification_token, link_valid_days
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Forbidden, Invalid, NotFound

# Who confirms registrations and invites contacts.
MANAGERS = (Role.PJTK_STAFF, Role.PJTK_LEAD, Role.ADMIN)
NOT_MANAGER = N_(
    "Hanya staff PJTK, ketua tim PJTK atau administrator yang dapat mengelola akun pelanggan."
)
EMAIL_TAKEN = N_("Alamat surel ini sudah terdaftar. Silakan masuk, atau pakai Lupa kata sandi.")
EMAIL_IN_USE = N_("Alamat surel ini sudah dipakai akun lain.")
LINK_INVALID = N_(
    "Tautan verifikasi ini tidak berlaku lagi: sudah dipakai, kedaluwarsa, atau bukan dari "
    "surel terakhir kami. Daftar lagi dengan alamat yang sama untuk menerima tautan baru."
)


def clean_email(raw: str) -> str:
    # One spelling per address: the username is the address, and two spellings of one
    # address must not make two accounts.
    return (raw or "").strip().lower()


def clean_name(raw: str) -> str:
    return " ".join((raw or "").split())


def _require(**values: str) -> None:
    labels = {
        "name": _("Nama"),
        "email": _("Alamat surel"),
        "organization_name": _("Nama organisasi"),
        "reason": _("Alasan penolakan"),
    }
    missing = {
        k: [_("%(label)s wajib diisi.") % {"label": labels[k]}] for k, v in values.items() if not v
    }
    if missing:
        raise Invalid(next(iter(missing.values()))[0], fields=missing)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid(error.messages[0], fields={"password": list(error.messages)}) from None


def _users_with(email: str) -> QuerySet[User]:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


def _reusable(user: User) -> CustomerRegistration | None:
    """A registration that never became an account one can use (link never followed, or
    rejected): registering again with its address starts it over."""
    registration = getattr(user, "registration", None)
    if registration is None or user.is_active:
        return None
    unverified = registration.email_verified_at is None
    if registration.status == RegistrationStatus.REJECTED or (
        registration.status == RegistrationStatus.PENDING and unverified
    ):
        return registration
    return None


def _matching_organization(name: str) -> CustomerOrganization | None:
    return CustomerOrganization.objects.filter(name__iexact=name).first()


def _pages() -> dict[str, str]:
    """Absolute addresses of the account pages, for the e-mails (sent without a request):
    on BANDING_PUBLIC_URL, as every link of the mails (banding.notifications.links)."""
    site = settings.BANDING_PUBLIC_URL.rstrip("/")
    return {
        "login_url": site + reverse("login"),
        "register_url": site + reverse("portal:register"),
        "reset_url": site + reverse("portal:password_reset"),
    }


def _registration_data(registration: CustomerRegistration) -> dict[str, Any]:
    return {
        "registration": str(registration.public_id),
        "user": str(registration.user.public_id),
        "email": registration.user.email,
        "organization_name": registration.organization_name,
    }


# --- the customer ---------------------------------------------------------------------------


def customer_register(
    *, name: str, email: str, phone: str = "", organization_name: str, password: str
) -> CustomerRegistration:
    """A self-registration: an inactive account (username = the address) and its
    registration, and the verification e-mail. An address whose earlier registration was
    never verified, or was rejected, registers again (a new link; earlier links stop
    working); any other account with the address refuses it."""
    name, email = clean_name(name), clean_email(email)
    organization_name = clean_name(organization_name)
    phone = (phone or "").strip()
    _require(name=name, email=email, organization_name=organization_name)
    with transaction.atomic():
        # "of self": PostgreSQL locks no row of the outer-joined registration (which may be
        # missing); the account's row is the one that matters.
        users = _users_with(email).select_related("registration")
        existing = list(users.select_for_update(of=("self",)))
        again = _reusable(existing[0]) if len(existing) == 1 else None
        if existing and again is None:
            raise Invalid(EMAIL_TAKEN, fields={"email": [EMAIL_TAKEN]})
        user = again.user if again is not None else User(is_active=False)
        user.username = user.email = email
        user.first_name, user.last_name, user.phone = name[:150], "", phone[:50]
        user.is_active = False
        _check_password(password, user)
        user.set_password(password)
        registration = again or CustomerRegistration()
        registration.organization_name = organization_name[:200]
        registration.organization = _matching_organization(organization_name)
        registration.created_at = timezone.now()
        registration.email_verified_at = registration.decided_at = registration.decided_by = None
        registration.status, registration.reason = RegistrationStatus.PENDING, ""
        try:
            with transaction.atomic():  # two first registrations of one address at once
                user.save()
        except IntegrityError:
            raise Invalid(EMAIL_TAKEN, fields={"email": [EMAIL_TAKEN]}) from None
        registration.user = user
        registration.save()
        record(
            action=Action.ACCOUNT_REGISTERED,
            actor=user,
            summary=f"Pendaftaran pelanggan: {name} <{email}>, {registration.organization_name}",
            data={**_registration_data(registration), "again": again is not None},
        )
        queue_mail(
            kind="account_verify",
            to_user=user,
            context={
                "name": name,
                "organization_name": registration.organization_name,
                "link_days": link_valid_days(),
            },
        )
    return registration


def verification_for(uidb64: str, token: str) -> CustomerRegistration | None:
    """The registration a verification link belongs to while the link is valid, else None
    (read only: showing the page does not use the link up)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    registration = (
        CustomerRegistration.objects.select_related("user", "user__registration")
        .filter(user_id=pk, status=RegistrationStatus.PENDING, email_verified_at__isnull=True)
        .first()
    )
    if registration is None or not email_verification_token.check_token(registration.user, token):
        return None
    return registration


def customer_verify_email(*, uidb64: str, token: str) -> CustomerRegistration:
    """Following the link activates the account: the customer can log in, but has no
    organisation (so sees no appeal) until staff confirm the registration."""
    with transaction.atomic():
        registration = verification_for(uidb64, token)
        if registration is None:
            raise Invalid(LINK_INVALID, code="link_invalid")
        # Locked and read again: of two clicks at once only one verifies.
        locked = CustomerRegistration.objects.select_for_update().get(pk=registration.pk)
        if locked.email_verified_at is not None or locked.status != RegistrationStatus.PENDING:
            raise Invalid(LINK_INVALID, code="link_invalid")
        user = registration.user
        registration.email_verified_at = timezone.now()
        registration.save(update_fields=["email_verified_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(
            action=Action.ACCOUNT_EMAIL_VERIFIED,
            actor=user,
            summary=f"Alamat surel diverifikasi: {user.email}",
            data=_registration_data(registration),
        )
    return registration


# --- staff ----------------------------------------------------------------------------------


def _manager(user: User) -> None:
    if not has_role(user, *MANAGERS):
        raise Forbidden(NOT_MANAGER)


def _waiting(public_id: UUID | str) -> CustomerRegistration:
    registration = (
        CustomerRegistration.objects.select_for_update()
        .select_related("user")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        raise NotFound(N_("Pendaftaran tidak ditemukan."))
    if registration.status != RegistrationStatus.PENDING:
        raise Conflict(
            _("Pendaftaran ini sudah diputuskan: %(status)s.")
            % {"status": registration.get_status_display().lower()},
            code="registration_decided",
        )
    if registration.email_verified_at is None:
        raise Conflict(
            N_("Alamat surel pendaftar belum diverifikasi."), code="registration_unverified"
        )
    return registration


def registration_confirm(
    *,
    user: User,
    registration: UUID | str,
    organization: CustomerOrganization | None = None,
) -> CustomerRegistration:
    """Link the account to `organization`, or, when None, to a new organisation named as the
    registrant wrote it. From now on the customer sees that organisation's appeals."""
    _manager(user)
    with transaction.atomic():
        reg = _waiting(registration)
        created = organization is None
        if organization is None:
            if _matching_organization(reg.organization_name) is not None:
                message = _("Organisasi bernama %(name)s sudah ada; pilih organisasi itu.") % {
                    "name": reg.organization_name
                }
                raise Invalid(message, fields={"organization": [message]})
            organization = CustomerOrganization.objects.create(name=reg.organization_name)
        contact = reg.user
        contact.organization = organization
        contact.save(update_fields=["organization"])
        reg.organization = organization
        reg.status = RegistrationStatus.CONFIRMED
        reg.decided_by, reg.decided_at = user, timezone.now()
        reg.save(update_fields=["organization", "status", "decided_by", "decided_at"])
        record(
            action=Action.ACCOUNT_REGISTRATION_CONFIRMED,
            actor=user,
            summary=(
                f"Pendaftaran {contact.email} dikonfirmasi: narahubung {organization.name}"
                + (" (organisasi baru)" if created else "")
            ),
            data={
                **_registration_data(reg),
                "organization": str(organization.public_id),
                "organization_created": created,
            },
        )
        queue_mail(
            kind="account_confirmed",
            to_user=contact,
            context={"name": contact.display_name, "organization": organization.name, **_pages()},
        )
    return reg


def registration_reject(
    *, user: User, registration: UUID | str, reason: str
) -> CustomerRegistration:
    """Refuse a registration with the reason the registrant is told. The account is closed;
    the address may register again."""
    _manager(user)
    reason = (reason or "").strip()
    _require(reason=reason)
    with transaction.atomic():
        reg = _waiting(registration)
        reg.status, reg.reason = RegistrationStatus.REJECTED, reason
        reg.decided_by, reg.decided_at = user, timezone.now()
        reg.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        contact = reg.user
        contact.is_active = False
        contact.save(update_fields=["is_active"])
        record(
            action=Action.ACCOUNT_REGISTRATION_REJECTED,
            actor=user,
            summary=f"Pendaftaran {contact.email} ditolak: {reason}",
            data={**_registration_data(reg), "reason": reason},
        )
        queue_mail(
            kind="account_rejected",
            to_user=contact,
            context={
                "name": contact.display_name,
                "organization_name": reg.organization_name,
                "reason": reason,
                **_pages(),
            },
        )
    return reg


def _invite_mail(*, contact: User, organization: CustomerOrganization, by: User) -> None:
    queue_mail(
        kind="account_invite",
        to_user=contact,
        context={
            "name": contact.display_name,
            "organization": organization.name,
            "invited_by": by.display_name,
            "link_days": link_valid_days(),
            **_pages(),
        },
    )


def customer_invite(
    *, user: User, name: str, email: str, organization: CustomerOrganization
) -> User:
    """A contact account made by staff: active, linked to `organization`, without a password
    until the contact sets one through the link in the invitation."""
    _manager(user)
    name, email = clean_name(name), clean_email(email)
    _require(name=name, email=email)
    with transaction.atomic():
        if _users_with(email).exists():
            raise Invalid(EMAIL_IN_USE, fields={"email": [EMAIL_IN_USE]})
        contact = User(
            username=email, email=email, first_name=name[:150], organization=organization
        )
        contact.set_unusable_password()
        try:
            with transaction.atomic():
                contact.save()
        except IntegrityError:
            raise Invalid(EMAIL_IN_USE, fields={"email": [EMAIL_IN_USE]}) from None
        record(
            action=Action.ACCOUNT_INVITED,
            actor=user,
            summary=f"Narahubung {organization.name} diundang: {name} <{email}>",
            data={
                "user": str(contact.public_id),
                "email": email,
                "organization": str(organization.public_id),
            },
        )
        _invite_mail(contact=contact, organization=organization, by=user)
    return contact


def customer_invite_resend(*, user: User, contact: UUID | str) -> User:
    """The invitation again (its link expires): only while the contact has set no password."""
    _manager(user)
    with transaction.atomic():
        invited = (
            User.objects.select_for_update()
            .select_related("organization")
            .filter(public_id=contact, organization__isnull=False)
            .first()
        )
        if invited is None:
            raise NotFound(N_("Narahubung tidak ditemukan."))
        if invited.has_usable_password():
            raise Conflict(
                N_(
                    "Narahubung ini sudah mengatur kata sandinya; bila lupa, ia dapat memakai Lupa "
                    "kata sandi."
                ),
                code="password_already_set",
            )
        if not invited.is_active:
            raise Conflict(N_("Akun narahubung ini tidak aktif."), code="account_inactive")
        record(
            action=Action.ACCOUNT_INVITE_RESENT,
            actor=user,
            summary=f"Undangan dikirim ulang kepada {invited.email}",
            data={"user": str(invited.public_id), "email": invited.email},
        )
        # The query above asked for a contact with an organisation.
        assert invited.organization is not None
        _invite_mail(contact=invited, organization=invited.organization, by=user)
    return invited
