"""/admin/ in Indonesian for an English browser: SiBanding's models and the third-party apps
named in Indonesian."""

from __future__ import annotations

import html
import re

from django.contrib.auth import get_user_model

ENGLISH = [
    "Letter sequence",
    "Register sequence",
    "Task Result",
    "Tasks Database Backend",
    "AXES",
    "Axes",
    "Access attempt",
    "Access log",
    "Access failure",
    "Site administration",
    "Authentication and Authorization",
    "Groups",
    "Recent actions",
]


def test_the_admin_index_has_no_english_names(client, db):
    admin = get_user_model().objects.create_superuser("super", "super@x.example", "Rahasia-123-x")
    client.force_login(admin)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    found = [name for name in ENGLISH if re.search(rf"\b{name}", text)]
    assert found == []
    for indonesian in ("Urutan nomor surat", "Hasil tugas", "Pembatasan masuk (django-axes)"):
        assert indonesian in text
