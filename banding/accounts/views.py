"""The API token page: a user lists, creates and revokes their own personal tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from banding.accounts import services
from banding.accounts.http import AuthedRequest
from banding.accounts.models import ApiToken
from banding.appeals.forms.base import BootstrapForm
from banding.errors import NotFound, ServiceError

TEMPLATE = "accounts/tokens.html"


class TokenForm(BootstrapForm):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini dipakai, mis. 'Skrip laporan bulanan'."),
    )


def _page(
    request: AuthedRequest, form: TokenForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(request, TEMPLATE, {"form": form, "tokens": tokens, **extra}, status=status)
    # The raw value of a new token must not stay in any cache.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ServiceError as error:
        form.apply_service_error(error)
        return _page(request, form, status=error.status, error=error.message)
    # Shown in this response only: only the hash is stored, so it cannot be shown again.
    return _page(request, TokenForm(), created=token, raw=raw)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, public_id: Any) -> HttpResponse:
    try:
        token = services.api_token_revoke(user=request.user, public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from None
    except ServiceError as error:
        return _page(request, TokenForm(), status=error.status, error=error.message)
    messages.success(
        request,
        gettext("Token %(name)s dicabut; token itu tidak dapat dipakai lagi.")
        % {"name": token.name},
    )
    return redirect("accounts:tokens")
