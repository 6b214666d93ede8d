"""Passwords set through an e-mailed link: the invitation's first password and the reset
after "Lupa kata sandi?". The link itself is Django's default token (password and last login
in its hash, so it works once), rendered by the outbox when the mail is sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from banding.accounts.hooks import count_mails, queue_mail
from banding.accounts.models import User
from banding.accounts.onboarding import clean_email
from banding.accounts.tokens import link_valid_days
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Invalid


def password_reset_request(*, email: str) -> int:
    """Queue a reset link to every active account with this address. The caller answers
    the same whatever this finds (so the page tells no one which addresses have accounts);
    the count is for tests and logs. At most BANDING_RESET_MAILS_PER_HOUR links per account
    an hour, so the form cannot be used to flood someone's mailbox."""
    email = clean_email(email)
    if not email:
        return 0
    limit = settings.BANDING_RESET_MAILS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    sent = 0
    with transaction.atomic():
        for user in User.objects.filter(email__iexact=email, is_active=True).order_by("pk"):
            recent: dict = {}
            count_mails(kind="password_reset", to_user=user, since=since, data=recent)
            if recent["count"] >= limit:
                continue
            record(
                action=Action.ACCOUNT_PASSWORD_RESET_REQUESTED,
                summary=f"Tautan atur ulang kata sandi dikirim kepada {user.email}",
                data={"user": str(user.public_id), "email": user.email},
            )
            queue_mail(
                kind="password_reset",
                to_user=user,
                context={"name": user.display_name, "link_days": link_valid_days()},
            )
            sent += 1
    return sent


def account_password_set(*, user: User, password: str, via: Literal["invite", "reset"]) -> User:
    """The password chosen through the link (the view has checked the link's token)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid(error.messages[0], fields={"password": list(error.messages)}) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        first = via == "invite"
        record(
            action=Action.ACCOUNT_PASSWORD_SET if first else Action.ACCOUNT_PASSWORD_RESET,
            actor=user,
            summary=(
                f"Kata sandi pertama diatur lewat undangan: {user.username}"
                if first
                else f"Kata sandi diatur ulang: {user.username}"
            ),
            data={"user": str(user.public_id)},
        )
    return user
