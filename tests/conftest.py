import os

import pytest
from django.db import connection

from banding.workdays import calendar as workcal
from tests.factories import Personas, make_personas

# The servers and workers the tests start are development ones (banding/settings.py): no
# production secret key or HTTPS needed.
os.environ.setdefault("BANDING_DEVELOPMENT", "true")


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


@pytest.fixture(scope="session", autouse=True)
def _audit_keys(tmp_path_factory):
    """The audit log's keys, outside the database as a deployment has them (banding.audit.keys):
    a MAC key in the environment (so servers and workers the tests start have it too) and a
    checkpoint signing key file."""
    import os

    from django.conf import settings

    from banding.audit import keys

    folder = tmp_path_factory.mktemp("audit-keys")
    signing = folder / "checkpoint.pem"
    values = {
        "BANDING_AUDIT_KEY": keys.new_key_line("test-1").strip(),
        "BANDING_AUDIT_SIGNING_KEY_FILE": str(signing),
    }
    os.environ.update(values)
    settings.BANDING_AUDIT_KEY = values["BANDING_AUDIT_KEY"]
    settings.BANDING_AUDIT_SIGNING_KEY_FILE = signing
    keys.create_keys()


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path):
    # Each test's signed checkpoints in its own folder: `banding audit verify` reads the latest.
    settings.BANDING_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"


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
def _empty_cache():
    # Counters of the throttles live in the cache: one test's must not reach the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # The process-wide calendar must not carry one test's overrides into the next.
    workcal.invalidate()
    yield
    workcal.invalidate()


@pytest.fixture(autouse=True)
def _letters_without_weasyprint(request, monkeypatch):
    """Issued letters are stored as PDF: WeasyPrint takes 0.1-0.2 s for each, and a walk to
    closure issues seven. Outside the tests of the PDF itself (marked `weasyprint`), a letter
    is the same template rendered to HTML (so a template's error still fails the test) and
    stored as a small real PDF of that text, whose text the assertions read as they would the
    real one's."""
    if request.node.get_closest_marker("weasyprint"):
        return
    from banding.letters import render

    monkeypatch.setattr(render, "render_pdf", _text_pdf)


@pytest.fixture(scope="session")
def signing_authority(tmp_path_factory):
    """The tests' DEMO certificate authority (banding.platform.demo.certificates), made once:
    its folder is BANDING_SIGNING["DIR"] of every test and its certificate the trust root."""
    from banding.platform.demo import certificates as demo_ca

    folder = tmp_path_factory.mktemp("signing")
    authority, _made = demo_ca.authority_in(folder)
    return authority, folder


@pytest.fixture(autouse=True)
def _signing_certificates(request, settings, monkeypatch, tmp_path, signing_authority):
    """Every signer has a valid certificate from the tests' authority, made in memory the
    first time they sign (an EC key: a millisecond). The tests of the PKCS#12 files
    themselves (marked `pkcs12`) read the files in BANDING_SIGNING["DIR"] instead: a folder
    of their own, with the authority's key and trust root and no signer's file yet."""
    import shutil

    authority, folder = signing_authority
    if request.node.get_closest_marker("pkcs12"):
        own = tmp_path / "signing"
        own.mkdir()
        for name in ("demo-ca-key.pem", "trust-roots.pem"):
            shutil.copy(folder / name, own / name)
        folder = own
    settings.BANDING_SIGNING = {
        "DIR": folder,
        "TRUST_ROOTS": folder / "trust-roots.pem",
        "TSA_URL": "",
    }
    if request.node.get_closest_marker("pkcs12"):
        return
    from banding.letters.signing import certificates

    monkeypatch.setattr(
        certificates, "open_pkcs12", lambda username: _credential(authority, username)
    )


_CREDENTIALS: dict = {}


def _credential(authority, username: str):
    from datetime import UTC, datetime, timedelta

    from banding.letters.signing.certificates import Credential
    from banding.platform.demo import certificates as demo_ca

    if username not in _CREDENTIALS:
        key, certificate = demo_ca.issue(
            authority,
            common_name=username,
            not_before=datetime(2000, 1, 1, tzinfo=UTC),
            lifetime=timedelta(days=365 * 90),
        )
        _CREDENTIALS[username] = Credential(
            key=key, certificate=certificate, chain=(authority.certificate,)
        )
    return _CREDENTIALS[username]


def _text_pdf(letter) -> bytes:
    import html

    from django.utils.html import strip_tags

    from banding.letters import render
    from banding.platform.demo import pdf_bytes

    text = html.unescape(strip_tags(render.render_html(letter)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return pdf_bytes(letter.get_kind_display(), [line for line in lines if line])
