"""Isolation: a customer never sees or changes another organisation's objects.

Every URL of the project that takes an identifier (walked from the URL configuration, so a new
route is covered the day it is added) is tried by p.customer_other with the identifiers of
p.customer's appeal, document, letter, invitation, notification, token and organisation: in
the browser session and through the API with its own token, with every method. None answers
with the object, none changes anything. A route whose identifier this test does not know
fails the test until it is taught here.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from banding.accounts.services import api_token_create
from banding.appeals.invitations import invitation_send
from banding.appeals.models import DocumentKind, InvitationMode
from banding.appeals.services import panel_declare
from banding.audit.models import Event
from banding.letters import services as letters
from banding.notifications.models import Notification
from tests.factories import PASSWORD, Personas, register, walk

# Routes whose identifier is not an object of a customer: the public letter verification page
# (its code is printed on the letter for anyone to check) and one-time account links (a
# signed token, checked by the account tests).
PUBLIC = ("verifikasi/<str:code>/",)
TOKEN_LINKS = ("<str:uidb64>/<str:token>/",)

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(patterns=None, prefix: str = ""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def identified_routes() -> list[str]:
    found = []
    for route in routes():
        if route.startswith("admin/") or "<" not in route:
            continue
        if route in PUBLIC or any(route.endswith(t) for t in TOKEN_LINKS):
            continue
        found.append(route.lstrip("^").rstrip("$"))
    return sorted(set(found))


@pytest.fixture
def owned(p: Personas) -> dict[str, str]:
    """p.customer's organisation's objects, one of each kind a URL can name."""
    appeal = walk(p, register(p), 7)
    chair = p.panel[0]
    panel_declare(appeal=appeal, user=chair)
    invitation = invitation_send(
        appeal=appeal,
        user=chair,
        mode=InvitationMode.WRITTEN,
        respond_by=timezone.now() + timedelta(days=5),
        message="Mohon penjelasan tertulis.",
    )
    letter = letters.letter_draft(
        appeal=appeal,
        user=chair,
        kind="undangan",
        fields={
            "waktu": "Senin pukul 09.00 WIB",
            "tempat": "Ruang Rapat 1",
            "acara": "Klarifikasi",
        },
    )
    letter = letters.letter_issue(letter=letter, user=p.head, password=PASSWORD)
    notice = Notification.objects.filter(recipient=p.customer).first()
    assert notice is not None, "the customer was told of its appeal"
    token, _ = api_token_create(user=p.customer, name="milik pelanggan")
    document = appeal.documents.get(kind=DocumentKind.APPEAL_LETTER)
    return {
        "appeal": str(appeal.public_id),
        "number": appeal.number,
        "doc_id": str(document.public_id),
        "letter_id": str(letter.public_id),
        "inv_id": str(invitation.public_id),
        "notice": str(notice.public_id),
        "token": str(token.public_id),
        "organization": str(p.org.public_id),
        "contact": str(p.customer.public_id),
    }


def fill(route: str, ids: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(2)
        if name == "public_id":
            if route.startswith(("akun/token", "api/v1/tokens")):
                return ids["token"]
            if route.startswith(("notifikasi/", "portal/notifikasi/", "api/v1/notifications")):
                return ids["notice"]
            if route.startswith("akun/organisasi"):
                return ids["organization"]
            if route.startswith("akun/pendaftaran"):
                return str(uuid.uuid4())  # staff-only pages: refused before any lookup
            return ids["appeal"]
        named = {
            "doc_id": ids["doc_id"],
            "letter_id": ids["letter_id"],
            "inv_id": ids["inv_id"],
            "contact_id": ids["contact"],
            # Staff-only objects (corrective actions, disposal proposals): refused before
            # any lookup, whatever the id.
            "action_id": str(uuid.uuid4()),
            "disposal_id": str(uuid.uuid4()),
            "kind": "penolakan",
            "slug": "verifikasi",
            "number": "7",
            "file_format": "csv",
            # The API's catch-all for paths it does not have: a JSON 404 for anyone.
            "rest": "tidak-ada",
        }
        if name not in named:
            raise AssertionError(f"{route}: teach tests/test_isolation.py the identifier {name}")
        return named[name]

    return "/" + PARAM.sub(value, route)


def test_every_identified_route_is_covered():
    # The walk must find the routes this file was written against: a renamed module that
    # silently drops out of the URL configuration would otherwise pass unnoticed.
    found = identified_routes()
    for expected in (
        "portal/banding/<uuid:public_id>/",
        "portal/banding/<uuid:public_id>/tanda-terima/",
        "banding/<uuid:public_id>/dokumen/<uuid:doc_id>/",
        "banding/<uuid:public_id>/surat/<uuid:letter_id>/unduh/",
        "api/v1/appeals/<public_id>",
        "api/v1/appeals/<public_id>/invitations/<inv_id>/answer",
    ):
        assert expected in found


def test_the_owner_reaches_its_objects(p, owned):
    # The control: the identifiers are right, so the refusals below mean something.
    client = Client()
    client.force_login(p.customer)
    for url in (
        f"/portal/banding/{owned['appeal']}/",
        f"/portal/banding/{owned['appeal']}/tanda-terima/",
        f"/banding/{owned['appeal']}/dokumen/{owned['doc_id']}/",
        f"/banding/{owned['appeal']}/surat/{owned['letter_id']}/unduh/",
    ):
        assert client.get(url).status_code == 200, url
    _, raw = api_token_create(user=p.customer, name="uji")
    response = Client().get(
        f"/api/v1/appeals/{owned['appeal']}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert response.json()["number"] == owned["number"]


def _leaks(response, owned) -> bool:
    body = b"".join(response) if response.streaming else response.content
    return owned["number"].encode() in body or b"PT Kimia Nusantara" in body


def test_another_organisation_gets_nothing_from_any_route(p, owned):
    session = Client()
    session.force_login(p.customer_other)
    _, raw = api_token_create(user=p.customer_other, name="uji")
    api = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    events = Event.objects.count()
    tried = 0
    for route in identified_routes():
        url = fill(route, owned)
        is_api = route.startswith("api/")
        client, extra = (api, bearer) if is_api else (session, {})
        for method in ("get", "post", "patch", "delete") if is_api else ("get", "post"):
            response = getattr(client, method)(url, **extra)
            tried += 1
            allowed = {403, 404, 405}
            if method != "get":
                # A write may be refused by its payload check before the object is looked
                # up; it still neither answers with the object nor changes anything.
                allowed |= {400, 422}
            assert response.status_code in allowed, (method.upper(), url, response.status_code)
            assert not _leaks(response, owned), (method.upper(), url)
    assert Event.objects.count() == events, "a refused request wrote an audit event"
    assert tried > 40
