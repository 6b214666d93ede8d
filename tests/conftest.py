import pytest
from django.db import connection

from banding.workdays import calendar as workcal
from tests.factories import Personas, make_personas


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def p(db) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # Every test builds a dozen users; the production hasher would make that take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Row locks and real concurrent writers need PostgreSQL; the in-memory SQLite test
    # database cannot show them (see tests/services/test_concurrency.py).
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # The process-wide calendar must not carry one test's overrides into the next.
    workcal.invalidate()
    yield
    workcal.invalidate()
