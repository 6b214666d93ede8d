"""Notifikasi: the signed-in user's own notices, and marking them read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.roles import is_internal
from banding.appeals.errors import NotFound
from banding.notifications import selectors, services


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    if not is_internal(request.user):
        # Customers read their notices in the portal, in its layout.
        return redirect("portal:notifications")
    paginator = Paginator(selectors.for_user(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, public_id: Any) -> HttpResponse:
    try:
        services.notification_read(user=request.user, public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from None
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, f"{count} notifikasi ditandai sudah dibaca.")
    else:
        messages.info(request, "Tidak ada notifikasi yang belum dibaca.")
    return redirect("notifications:list")
