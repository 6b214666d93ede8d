"""API callers: each persona with its own personal token, talking JSON to /api/v1/."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.test import Client

from banding.accounts.models import User
from banding.accounts.services import api_token_create

BASE = "/api/v1"


@dataclass
class Caller:
    client: Client
    user: User | None
    token: str = ""

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(BASE + path, params or {}, **self._headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            BASE + path,
            json.dumps(body or {}, default=str),
            content_type="application/json",
            **self._headers(),
        )

    def upload(self, path: str, data: dict):
        """multipart/form-data: fields and files together."""
        return self.client.post(BASE + path, data, **self._headers())

    def delete(self, path: str):
        return self.client.delete(BASE + path, **self._headers())


@pytest.fixture
def api(db):
    """`api(user)` is that user calling with a fresh personal token; `api()` is anonymous."""

    def caller(user: User | None = None) -> Caller:
        if user is None:
            return Caller(Client(), None)
        _, raw = api_token_create(user=user, name="uji")
        return Caller(Client(), user, raw)

    return caller
