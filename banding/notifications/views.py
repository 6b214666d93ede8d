"""Notifikasi: the signed-in user's own notices, and marking them read.

One set of views for both audiences: staff read them in the workspace (/notifikasi/), customers
in the portal (/portal/notifikasi/), each in its own layout; a page opened in the other's
place is sent to the right one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.http import AuthedRequest
from banding.accounts.models import User
from banding.accounts.roles import is_internal
from banding.errors import NotFound
from banding.notifications import selectors, services
from banding.notifications.models import DIGEST_KINDS, Notification
from banding.paging import Paginator


@dataclass(frozen=True)
class Layout:
    namespace: str
    base_template: str
    intro: Any  # text, or lazily translated text: the portal's follows the customer

    def route(self, name: str) -> str:
        return f"{self.namespace}:{name}"


STAFF = Layout(
    "notifications",
    "base.html",
    gettext_lazy(
        "Giliran Anda mengerjakan sebuah langkah, pengingat langkah yang hampir jatuh tempo, "
        "pemberitahuan keterlambatan dan eskalasi, serta kemajuan banding; yang belum dibaca "
        "lebih dulu. Setiap notifikasi juga dikirim ke surel Anda bila akun Anda memiliki alamat "
        "surel; pengingat tenggat, keterlambatan dan eskalasi dikirim terhimpun dalam satu surel "
        "ringkasan."
    ),
)
PORTAL = Layout(
    "portal",
    "portal/base.html",
    gettext_lazy(
        "Kabar perkembangan banding organisasi Anda; yang belum dibaca lebih dulu. Setiap "
        "notifikasi juga dikirim ke surel Anda."
    ),
)
# The route names of each namespace: the staff workspace and the portal name them apart.
ROUTES = {
    "notifications": {"list": "list", "read": "read", "read_all": "read_all"},
    "portal": {
        "list": "notifications",
        "read": "notification_read",
        "read_all": "notifications_read_all",
    },
}


def layout_of(user: User) -> Layout:
    return STAFF if is_internal(user) else PORTAL


def _route(layout: Layout, name: str) -> str:
    return layout.route(ROUTES[layout.namespace][name])


@dataclass
class Group:
    """Deadline notices of one kind and day (read or unread alike), shown as one entry with
    a count: the sweep tells about many steps at once."""

    kind: str
    day: date
    unread: bool
    items: list[Notification] = field(default_factory=list)
    is_group = True

    @property
    def label(self) -> str:
        return self.items[0].get_kind_display()


def grouped(notifications: Iterable[Notification]) -> list[Notification | Group]:
    """The page's notices in order, each run of deadline notices of one kind, day and
    read state as one Group; every other notice (and a run of one) as it is."""
    entries: list[Notification | Group] = []
    for notice in notifications:
        if notice.kind not in DIGEST_KINDS:
            entries.append(notice)
            continue
        key = (notice.kind, localdate(notice.created_at), not notice.is_read)
        last = entries[-1] if entries else None
        if isinstance(last, Group) and (last.kind, last.day, last.unread) == key:
            last.items.append(notice)
        else:
            entries.append(Group(*key, items=[notice]))
    return [e.items[0] if isinstance(e, Group) and len(e.items) == 1 else e for e in entries]


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    layout = layout_of(request.user)
    # Set: the view is reached through its URL (the staff or the portal route).
    assert request.resolver_match is not None, "resolved by the URLconf"
    if request.resolver_match.namespace != layout.namespace:
        return redirect(_route(layout, "list"))
    paginator = Paginator(selectors.for_user(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "entries": grouped(page.object_list),
        "layout": layout,
        "read_route": _route(layout, "read"),
        "read_all_route": _route(layout, "read_all"),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: AuthedRequest, public_id: Any) -> HttpResponse:
    try:
        services.notification_read(user=request.user, public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from None
    return redirect(_route(layout_of(request.user), "list"))


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notifikasi ditandai sudah dibaca.",
                "%(count)s notifikasi ditandai sudah dibaca.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, gettext("Tidak ada notifikasi yang belum dibaca."))
    return redirect(_route(layout_of(request.user), "list"))
