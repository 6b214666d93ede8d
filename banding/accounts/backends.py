"""Login by username, where a customer's username is its e-mail address in lower case (see
banding.accounts.onboarding): an address typed with capitals still finds the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from banding.accounts.models import User


class EmailCaseInsensitiveBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or "@" not in username:
            return super().authenticate(request, username=username, password=password, **kwargs)
        lowered = username.strip().lower()
        try:
            User._default_manager.get_by_natural_key(lowered)
        except User.DoesNotExist:
            # Run the hasher anyway, as ModelBackend does: timing tells nothing.
            User().set_password(password)
            return None
        return super().authenticate(request, username=lowered, password=password, **kwargs)
