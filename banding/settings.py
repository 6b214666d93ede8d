"""One settings file, driven by environment variables (see docs/operator.md)."""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from banding.letters.signing.config import signing_setting
from banding.platform.production import cache_setting, require_production_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BANDING_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_json_object(name: str) -> dict:
    """A JSON object from the environment variable `name` ({} when unset or empty)."""
    raw = os.environ.get(name, "").strip()
    try:
        value = json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} bukan JSON yang sah: {exc}.") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} harus berupa objek JSON, mis. {{"kunci": "isi"}}.')
    return value


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL: sqlite:///path/to.db or postgres://user:pass@host:port/name."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path.db or sqlite:////absolute/path.db
        path = unquote(parsed.path)[1:]
        return sqlite_database(Path(path) if path else VAR_DIR / "banding.sqlite3")
    if parsed.scheme in {"postgres", "postgresql"}:
        options = dict(parse_qsl(parsed.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("BANDING_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": os.environ.get("BANDING_TEST_DATABASE") or None},
        }
    raise ValueError(f"DATABASE_URL scheme not supported: {parsed.scheme!r}")


def sqlite_database(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers
            # never both read a state and then race to change it.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DEBUG = env_bool("BANDING_DEBUG", False)
# A development or demo process (`banding demo` sets it for itself, its server and its worker;
# the tests set it): the development key and plain HTTP are accepted. Otherwise a process that
# serves the site or sends its mail refuses to start without the production settings (below).
BANDING_DEVELOPMENT = env_bool("BANDING_DEVELOPMENT", False)
# Set by banding.wsgi (gunicorn, `banding serve`, any WSGI server) and by the `banding serve`
# and `banding worker` commands (banding.cli) before the settings are read.
_SERVING = env_bool("BANDING_SERVING", False)
SECRET_KEY = os.environ.get("BANDING_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key: `banding check --deploy` and docs/operator.md ask for a real one.
    # The "django-insecure-" prefix makes `banding check --deploy` flag it (security.W009).
    SECRET_KEY = "django-insecure-dev-only-set-BANDING_SECRET_KEY-in-production-0123456789"
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("BANDING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]
# A form refused for its CSRF token gets the Indonesian 403 page saying what to do.
CSRF_FAILURE_VIEW = "banding.platform.errorpages.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("BANDING_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # axes (lockout after repeated failed logins, docs/operator.md), named in Indonesian
    "banding.platform.thirdparty.AxesConfig",
    "ninja",  # its templates and static Swagger UI: the API docs page works offline
    "banding.accounts",
    "banding.sop",
    "banding.workdays",
    "banding.audit",
    "banding.appeals",
    "banding.notifications",
    "banding.letters",
    "banding.portal",
    "banding.survey",
    "banding.corrective",
    "banding.archive",  # retention (JRA): transfer, disposal, berita acara pemusnahan
    "banding.reports",
    "banding.api",
    "banding.platform",  # banding serve, worker, demo
    # django_tasks_db, named in Indonesian: the Tasks API's queue, in this database (banding
    # worker runs it)
    "banding.platform.thirdparty.TasksConfig",
]
# The bench's history generator (`banding seed-bulk`) belongs to the source tree, not to the
# product: installed where bench/ is there (a clone), with the project root importable.
if (BASE_DIR / "bench" / "bulk" / "apps.py").is_file():
    if str(BASE_DIR) not in sys.path:
        sys.path.append(str(BASE_DIR))
    INSTALLED_APPS.append("bench.bulk")

MIDDLEWARE = [
    # First: every error answer under /api/ is the API's JSON (banding.api.errors).
    "banding.api.errors.JsonErrors",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of Django's LocaleMiddleware: staff pages in Indonesian always, the portal and
    # the API in the customer's language (it reads the user, so it comes after auth).
    "banding.portal.language.LanguageMiddleware",
    # A page's query parameter with a control character: a 400 page in that language.
    "banding.platform.inputs.RefuseControlCharacters",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end after a spell without activity and after BANDING_SESSION_MAX_HOURS
    # (banding.accounts.sessions); after the messages, which carry the reason to the login page.
    "banding.accounts.sessions.SessionLimits",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "banding.urls"
WSGI_APPLICATION = "banding.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "banding" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "banding.accounts.context_processors.roles",
                "banding.notifications.context_processors.unread",
                "banding.accounts.sessions.context",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(VAR_DIR / "banding.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:after_login"  # staff to the inbox, customers to /portal/
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Customers log in with their e-mail address, however they capitalise it.
    "banding.accounts.backends.EmailCaseInsensitiveBackend",
]

# Failed logins (django-axes): after BANDING_LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for BANDING_LOGIN_COOLOFF_MINUTES.
# API tokens do not go through authenticate() and are not affected.
AXES_ENABLED = env_bool("BANDING_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("BANDING_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BANDING_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "banding.accounts.lockout.client_ip"

# Passwords (OWASP ASVS L2, 2.1): at least BANDING_PASSWORD_MIN_LENGTH characters (12), not
# like the account's name or address, not among Django's list of 20,000 common passwords, not
# digits only. Every form that sets a password (invitation, reset, admin) asks these.
BANDING_PASSWORD_MIN_LENGTH = max(12, int(os.environ.get("BANDING_PASSWORD_MIN_LENGTH", "12")))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": BANDING_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "banding" / "locale"]
LANGUAGE_COOKIE_NAME = "banding_bahasa"  # the portal's language switch, before logging in
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("BANDING_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
# The project-wide static tree (vendored Bootstrap and htmx, the app's own css/js).
STATICFILES_DIRS = [BASE_DIR / "banding" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    # Uploaded files live outside the static tree and are served only by views that check
    # who may see the appeal (banding.appeals.views.documents).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(os.environ.get("BANDING_MEDIA_ROOT", VAR_DIR / "media"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]

SESSION_COOKIE_HTTPONLY = True
# Sessions (OWASP ASVS L2, 3.3; banding.accounts.sessions): signed out after this many minutes
# without activity (staff, customers), and whatever the activity BANDING_SESSION_MAX_HOURS after
# signing in. Pages with a form warn BANDING_SESSION_WARN_MINUTES before the idle limit.
BANDING_SESSION_IDLE_MINUTES_STAFF = max(
    1, int(os.environ.get("BANDING_SESSION_IDLE_MINUTES_STAFF", "30"))
)
BANDING_SESSION_IDLE_MINUTES_CUSTOMER = max(
    1, int(os.environ.get("BANDING_SESSION_IDLE_MINUTES_CUSTOMER", "60"))
)
BANDING_SESSION_MAX_HOURS = max(0.25, float(os.environ.get("BANDING_SESSION_MAX_HOURS", "12")))
BANDING_SESSION_WARN_MINUTES = max(1, int(os.environ.get("BANDING_SESSION_WARN_MINUTES", "5")))
# The cookie and the stored session last no longer than the maximum age.
SESSION_COOKIE_AGE = int(BANDING_SESSION_MAX_HOURS * 3600)
SESSION_COOKIE_SECURE = env_bool("BANDING_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS only (docs/operator.md, "Produksi"): HSTS for BANDING_HSTS_SECONDS (0 = off) and a
# redirect from http:// when Django itself sees plain HTTP requests.
SECURE_HSTS_SECONDS = int(os.environ.get("BANDING_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("BANDING_SSL_REDIRECT", False)
# Content-Security-Policy on every response: only our own scripts (no inline <script>, no
# eval), our own styles, images from us or data: URIs (QR codes, logos), never framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if env_bool("BANDING_BEHIND_HTTPS_PROXY", False):
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads: the largest accepted file, in bytes (default 20 MB).
BANDING_UPLOAD_MAX_BYTES = int(os.environ.get("BANDING_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Register numbers: {year} and {seq} (zero-padded to four digits by default).
BANDING_REGISTER_FORMAT = os.environ.get("BANDING_REGISTER_FORMAT", "BDG/{year}/{seq:04d}")
BANDING_PAGE_SIZE = 25

NINJA_PAGINATION_PER_PAGE = 25

# Working time (banding.workdays, docs/working-time.md). Office hours per weekday, Monday = 0;
# a weekday left out is closed.
BANDING_OFFICE_HOURS = {
    0: ("07:30", "16:00"),
    1: ("07:30", "16:00"),
    2: ("07:30", "16:00"),
    3: ("07:30", "16:00"),
    4: ("07:30", "16:30"),
}
# "maks. 30 hari" (step 7) in calendar days instead of working days.
BANDING_CALENDAR_DAYS_FOR_MAX = env_bool("BANDING_CALENDAR_DAYS_FOR_MAX", False)
# The blanks of the SOP's identity sheet (tanggal_pembuatan, tanggal_revisi, tanggal_efektif,
# disahkan_oleh) and the lost beginning of dasar hukum item 4, as the administrator completes
# them (docs/sop.md); banding/sop/document.py merges them over the definition's words when it
# builds the document, and refuses anything that would replace the signed text.
BANDING_SOP_IDENTITY = env_json_object("BANDING_SOP_IDENTITY")
# The appeal panel (Tim Panel Banding): at least this many members, and an odd number unless
# BANDING_PANEL_ODD=false (docs/operator.md).
BANDING_PANEL_MIN_SIZE = max(1, int(os.environ.get("BANDING_PANEL_MIN_SIZE", "3")))
BANDING_PANEL_ODD = env_bool("BANDING_PANEL_ODD", True)
# The seats present that make step 9's meeting quorate (the chair always among them); 0 or
# unset: a majority of the seats that count (docs/operator.md).
BANDING_PANEL_QUORUM = max(0, int(os.environ.get("BANDING_PANEL_QUORUM") or "0"))
# A step is "at risk" once this share of its working time is used (0.75 = 75%).
BANDING_AT_RISK_SHARE = float(os.environ.get("BANDING_AT_RISK_SHARE", "0.75"))
# Deadline notices by e-mail come as digests (banding.notifications.digests, docs/operator.md):
# reminders and overdue notices at most once per BANDING_DIGEST_WINDOW_MINUTES within office
# hours; escalations to the Kepala Balai once a working day at BANDING_DIGEST_HEAD_TIME (WIB,
# within office hours). Checked at start-up (banding.notifications.checks).
BANDING_DIGEST_WINDOW_MINUTES = os.environ.get("BANDING_DIGEST_WINDOW_MINUTES", "60").strip()
BANDING_DIGEST_HEAD_TIME = os.environ.get("BANDING_DIGEST_HEAD_TIME", "08:00").strip()
# The escalation ladder (banding.appeals.sla, docs/operator.md): a Staff PJTK step still open
# this many WORKING days (the work calendar) after its overdue notice and escalation to the
# Ketua Tim PJTK escalates to the Kepala Balai. A whole number of days, at least 1; checked at
# start-up (banding.appeals.checks).
BANDING_ESCALATION_HEAD_DELAY_DAYS = os.environ.get(
    "BANDING_ESCALATION_HEAD_DELAY_DAYS", "1"
).strip()
# The audit log's keys, outside the database (banding.audit.keys, docs/archive.md): the MAC
# keyring (`id:base64` entries, the last signs) from BANDING_AUDIT_KEY, else the file
# BANDING_AUDIT_KEY_FILE; the checkpoints' Ed25519 signing key (PEM file). Without them the
# system checks refuse to start (banding.audit.checks) unless DEBUG is on; `banding demo` and
# DEBUG make missing files under var/keys/ on first use.
BANDING_AUDIT_KEY = os.environ.get("BANDING_AUDIT_KEY", "").strip()
BANDING_AUDIT_KEY_FILE = Path(
    os.environ.get("BANDING_AUDIT_KEY_FILE") or VAR_DIR / "keys" / "audit-mac.keys"
)
BANDING_AUDIT_SIGNING_KEY_FILE = Path(
    os.environ.get("BANDING_AUDIT_SIGNING_KEY_FILE") or VAR_DIR / "keys" / "audit-checkpoint.pem"
)
# Signed checkpoints of every chain head (banding.audit.checkpoint): written here every
# BANDING_AUDIT_CHECKPOINT_HOURS by `banding worker` and at every evidence-pack export, and
# mailed to the auditors.
BANDING_ARCHIVE_DIR = Path(os.environ.get("BANDING_ARCHIVE_DIR") or VAR_DIR / "archive")
BANDING_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("BANDING_AUDIT_CHECKPOINT_DIR") or BANDING_ARCHIVE_DIR / "checkpoints"
)
BANDING_AUDIT_CHECKPOINT_HOURS = float(os.environ.get("BANDING_AUDIT_CHECKPOINT_HOURS") or "24")
# How long a process keeps the calendar before re-reading administrator overrides.
BANDING_CALENDAR_CACHE_SECONDS = int(os.environ.get("BANDING_CALENDAR_CACHE_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANDING_LOG_LEVEL", "WARNING")},
}

# Letters (banding.letters, docs/letters.md). The number pattern per letter kind: {seq} (the
# kind's sequence in the calendar year), {month} and {year}, e.g. B-17/BBSPJIKFK/PJTK/HM.01/11/2026.
# Each kind needs its own pattern: sequences are per kind, so equal patterns would collide.
BANDING_LETTER_NUMBERING = {
    "tanda_terima": "B-{seq}/BBSPJIKFK/PJTK/HM.01/{month:02d}/{year}",
    "nota_dinas": "{seq}/ND/BBSPJIKFK/PJTK/{month:02d}/{year}",  # internal: no security code
    "penolakan": "B-{seq}/BBSPJIKFK/PJTK/HM.02/{month:02d}/{year}",
    "usulan_panel": "B-{seq}/BBSPJIKFK/TEK/KP.02/{month:02d}/{year}",
    "penunjukan_panel": "B-{seq}/BBSPJIKFK/KP.01/{month:02d}/{year}",
    "undangan": "B-{seq}/BBSPJIKFK/PJTK/HM.03/{month:02d}/{year}",
    "daftar_hadir": "{seq}/DH/BBSPJIKFK/TPB/{month:02d}/{year}",
    "notulen": "{seq}/NOT/BBSPJIKFK/TPB/{month:02d}/{year}",
    "keputusan": "B-{seq}/BBSPJIKFK/OT.01/{month:02d}/{year}",
    "disposisi": "{seq}/DIS/BBSPJIKFK/{month:02d}/{year}",
    "penyampaian": "B-{seq}/BBSPJIKFK/PJTK/HM.04/{month:02d}/{year}",
    # Retention (banding.archive, docs/archive.md): the transfer list and the berita acara.
    "usul_pindah": "{seq}/DPA/BBSPJIKFK/PJTK/{month:02d}/{year}",
    "berita_acara_pemusnahan": "{seq}/BAP/BBSPJIKFK/{month:02d}/{year}",
}
# Who signs each letter kind (banding/letters/kinds.py has the defaults): {"kind": {"signer":
# "KAB", "on_behalf": "KTP"}} with the SOP's actor codes; "on_behalf" (a.n.) may be left out.
# Set as JSON in the environment, e.g. to let only the head sign the rejection letter:
# BANDING_LETTER_SIGNERS='{"penolakan": {"signer": "KAB"}}'.
BANDING_LETTER_SIGNERS = json.loads(os.environ.get("BANDING_LETTER_SIGNERS") or "{}")
# The address the QR code of a letter points to (its /verifikasi/<code>/ page), and every link
# of the e-mails and receipts. `banding serve`/`banding demo` derive it from --host/--port when
# it is not set (banding.platform.address, whose DEFAULT_PUBLIC_URL is this default).
BANDING_PUBLIC_URL = os.environ.get("BANDING_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The institute's name in running text: the verification page ("diterbitkan oleh …"), the
# letters' verification note and the e-mails. The kop surat is the letterhead's (admin).
BANDING_INSTITUTE_NAME = os.environ.get("BANDING_INSTITUTE_NAME", "").strip() or (
    "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kimia, Farmasi dan Kemasan (BBSPJIKFK)"
)
# An administrator's own templates: a file here overrides the shipped one of the same name
# (e.g. letters/base.html), so it is searched first.
BANDING_TEMPLATE_OVERRIDES_DIR = Path(
    os.environ.get("BANDING_TEMPLATE_OVERRIDES_DIR", VAR_DIR / "templates")
)
TEMPLATES[0]["DIRS"].insert(0, BANDING_TEMPLATE_OVERRIDES_DIR)
# The signers' PKCS#12 certificates, their passwords and the trust roots (banding.letters.signing).
BANDING_SIGNING = signing_setting(os.environ, VAR_DIR)

# Background tasks (Django's Tasks API): queued as rows in this database, in the transaction of
# the action that causes them, and run by `banding worker` (docs/operator.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (docs/operator.md). Sent only by the worker, from the outbox (banding.notifications).
# BANDING_EMAIL_BACKEND "smtp" (default) or "file" (writes each mail under var/mail: the demo
# without a mail server).
_EMAIL_BACKEND = os.environ.get("BANDING_EMAIL_BACKEND", "smtp")
if _EMAIL_BACKEND == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "SiBanding BBSPJIKFK <sibanding@bbspjikfk.kemenperin.go.id>"
)

# The outbox (docs/operator.md, "Surel dan pekerja"): attempts before a mail is given up, how
# long a mail may stay claimed by a worker that died, and how long finished task rows are kept
# (the worker's own intervals are its options: `banding worker --help`).
BANDING_MAIL_MAX_ATTEMPTS = int(os.environ.get("BANDING_MAIL_MAX_ATTEMPTS", "12"))
BANDING_MAIL_STALE_MINUTES = int(os.environ.get("BANDING_MAIL_STALE_MINUTES", "15"))
BANDING_TASK_RESULT_DAYS = int(os.environ.get("BANDING_TASK_RESULT_DAYS", "7"))
# A task row a worker has held RUNNING this long belongs to a worker that died (kill -9): it is
# put back in the queue (at-least-once; banding.notifications.taskqueue). Longer than the
# longest task: one action's mails, each at most EMAIL_TIMEOUT seconds.
BANDING_TASK_LEASE_MINUTES = int(os.environ.get("BANDING_TASK_LEASE_MINUTES", "15"))

# The API's Idempotency-Key (banding.api.idempotency, docs/api.md): how long a request's
# answer is kept for a retry with the same key (the worker forgets older ones).
BANDING_IDEMPOTENCY_HOURS = int(os.environ.get("BANDING_IDEMPOTENCY_HOURS", "24"))

# Customer accounts: self-registrations and password-reset requests per client address per
# hour, and reset mails per account per hour (counted in the default cache).
BANDING_REGISTRATIONS_PER_HOUR = int(os.environ.get("BANDING_REGISTRATIONS_PER_HOUR", "20"))
BANDING_RESETS_PER_HOUR = int(os.environ.get("BANDING_RESETS_PER_HOUR", "20"))
BANDING_RESET_MAILS_PER_HOUR = int(os.environ.get("BANDING_RESET_MAILS_PER_HOUR", "3"))
# The public letter verification page (/verifikasi/<kode>/, banding.letters.views): page views
# and PDF uploads per client address per hour, and the largest PDF it checks (an issued
# letter is well under 1 MB).
BANDING_VERIFY_LOOKUPS_PER_HOUR = int(os.environ.get("BANDING_VERIFY_LOOKUPS_PER_HOUR", "120"))
BANDING_VERIFY_UPLOADS_PER_HOUR = int(os.environ.get("BANDING_VERIFY_UPLOADS_PER_HOUR", "20"))
BANDING_VERIFY_UPLOAD_MAX_BYTES = int(
    os.environ.get("BANDING_VERIFY_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
)

# The cache the limits above count in. Unset: memory of each process (each process counts
# for itself; enough for one server). "database": a table in DATABASE_URL shared by every
# process and server (docs/deploy.md; create it once with `banding createcachetable`).
BANDING_CACHE = os.environ.get("BANDING_CACHE", "").strip().lower()
CACHES = cache_setting(BANDING_CACHE)

# SOP monitoring (Permenpan-RB 35/2012): a step "berjalan dengan baik" in a period when at
# least this share of its occurrences kept the SOP's standard time (mutu baku waktu).
BANDING_MONITORING_GOOD_SHARE = float(os.environ.get("BANDING_MONITORING_GOOD_SHARE", "0.9"))

# Retention schedule (JRA, banding.archive.retention, docs/archive.md): record type -> label,
# active_years, inactive_years, disposition (musnah, dinilai kembali, permanen) and basis (the
# legal basis shown with it). Set as JSON in the environment to enter the institute's own JRA.
BANDING_RETENTION = env_json_object("BANDING_RETENTION") or None


# Production (OWASP ASVS L2 14.1; banding.platform.production): a server or worker does not
# start with the development key, without its host names or without HTTPS. `banding demo`, the
# tests and BANDING_DEBUG=true are development; other commands (migrate, check --deploy, ...)
# start, and `check --deploy` warns.
if _SERVING and not DEBUG and not BANDING_DEVELOPMENT:
    require_production_settings(os.environ)
