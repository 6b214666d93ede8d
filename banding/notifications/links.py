"""Links in notices and e-mails. E-mails carry absolute addresses, built from
settings.BANDING_PUBLIC_URL (the worker has no request to take a host from)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:
    from banding.appeals.models import Appeal


def absolute(path: str) -> str:
    return f"{settings.BANDING_PUBLIC_URL.rstrip('/')}{path}"


def portal_path(appeal: Appeal) -> str:
    """The customer's page of the appeal (/portal/banding/<public_id>/)."""
    return reverse("portal:appeal", args=[appeal.public_id])


def portal_url(appeal: Appeal) -> str:
    return absolute(portal_path(appeal))


def receipt_url(appeal: Appeal) -> str:
    """The electronic receipt (tanda terima) of the appeal in the portal."""
    return absolute(reverse("portal:receipt", args=[appeal.public_id]))


def staff_url(appeal: Appeal) -> str:
    """The appeal's page in the staff workspace."""
    return absolute(reverse("appeals:detail", args=[appeal.public_id]))


def account_url(route: str, uidb64: str, token: str) -> str:
    """A link of the portal's account pages (set password, verify e-mail, reset password)."""
    return absolute(reverse(route, args=[uidb64, token]))
