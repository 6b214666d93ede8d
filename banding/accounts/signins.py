"""Log-ins in the audit log: each success and each failure is an event of no appeal, connected
to Django's user_logged_in and user_login_failed signals in accounts/apps.py. The data holds
the address and, for a failure, the username tried; never a password (Django hands the
receiver the credentials with the password already masked, and only the username is kept)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from banding.accounts.lockout import client_ip
from banding.accounts.models import User
from banding.audit.actions import Action
from banding.audit.log import record

USERNAME_MAX = 150


def _address(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


def logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        record(
            action=Action.ACCOUNT_LOGGED_IN,
            summary=f"{user.username} masuk",
            actor=user,
            data={"ip": _address(request)},
        )


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:USERNAME_MAX]
    with transaction.atomic():
        record(
            action=Action.ACCOUNT_LOGIN_FAILED,
            summary=f"Gagal masuk sebagai {username or '(tanpa nama)'}"[:300],
            actor=None,  # who tried is not known: the username typed is in the data
            data={"username": username, "ip": _address(request)},
        )
