"""Personal API tokens: created and revoked only here."""

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import ApiToken, User, hash_token
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Conflict, Invalid, NotFound


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the raw value, which is shown only once."""
    name = (name or "").strip()
    if not name:
        raise Invalid(
            N_("Nama token wajib diisi."), fields={"name": [N_("Nama token wajib diisi.")]}
        )
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], key_hash=hash_token(raw), hint=raw[:8]
        )
        record(
            action=Action.API_TOKEN_CREATED,
            actor=user,
            summary=f"Token API dibuat: {token.name}",
            data={"token": str(token.public_id)},
        )
    return token, raw


def api_token_revoke(*, user: User, public_id: UUID | str) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, public_id=public_id).first()
        if token is None:
            raise NotFound(N_("Token tidak ditemukan."))
        if token.revoked_at is not None:
            raise Conflict(N_("Token ini sudah dicabut."), code="token_revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action=Action.API_TOKEN_REVOKED,
            actor=user,
            summary=f"Token API dicabut: {token.name}",
            data={"token": str(token.public_id)},
        )
    return token


def api_token_user(raw: str) -> User | None:
    """The active user behind a raw token, or None. Marks the token used."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
