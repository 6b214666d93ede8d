"""The caller's own account: who am I, and my personal API tokens."""

from uuid import UUID

from ninja import Router, Status

from banding.accounts import services
from banding.api import present
from banding.api.auth import ApiRequest
from banding.api.payloads import TokenIn
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import MeOut, TokenCreated, TokenOut

router = Router(tags=["akun"])


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me", summary="Akun saya")
def me(request: ApiRequest) -> dict:
    return present.me_out(request.auth)


@router.get(
    "/tokens",
    response={200: list[TokenOut], **ERRORS},
    url_name="token_list",
    summary="Token API saya",
)
def token_list(request: ApiRequest) -> list[dict]:
    return [present.token_out(t) for t in request.auth.api_tokens.all()]


@router.post(
    "/tokens",
    response={201: TokenCreated, **ERRORS},
    url_name="token_create",
    summary="Buat token API",
)
def token_create(request: ApiRequest, payload: TokenIn) -> Status:
    """A new token; `raw` is shown only in this answer and cannot be read again."""
    token, raw = services.api_token_create(user=request.auth, name=payload.name)
    return Status(201, {"token": present.token_out(token), "raw": raw})


@router.delete(
    "/tokens/{public_id}",
    response={200: TokenOut, **ERRORS},
    url_name="token_revoke",
    summary="Cabut token API",
)
def token_revoke(request: ApiRequest, public_id: UUID) -> dict:
    return present.token_out(services.api_token_revoke(user=request.auth, public_id=public_id))
