import pytest
from django.db import connection


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Row locks and real concurrent writers are what these tests prove; the in-memory SQLite
    # test database cannot show them (see test_concurrency.py).
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # Every test builds a dozen users; the production hasher would make that take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
