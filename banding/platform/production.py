"""What a production server needs of its settings (docs/operator.md, "Produksi"), read from
the environment by banding/settings.py before Django starts: a server or worker
(BANDING_SERVING, set by banding.wsgi and the `serve`/`worker` commands) refuses to start
without them, naming each variable that is missing. Imports nothing of Django but its
exception: the settings are not loaded yet."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """What the production settings lack (docs/operator.md, "Produksi"), one sentence each
    naming its variable; empty when the server may start."""

    def flag(name: str) -> bool:
        return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}

    problems = []
    key = environ.get("BANDING_SECRET_KEY", "")
    if not key:
        problems.append(
            "BANDING_SECRET_KEY belum diatur: isi dengan string acak panjang, mis. hasil "
            '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"`.'
        )
    elif len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        problems.append(
            "BANDING_SECRET_KEY terlalu lemah: sedikitnya 50 karakter acak (bukan kunci "
            "pengembangan)."
        )
    if not environ.get("BANDING_ALLOWED_HOSTS", "").strip(","):
        problems.append(
            "BANDING_ALLOWED_HOSTS belum diatur: nama host publik situs, mis. banding.balai.go.id."
        )
    if flag("BANDING_PLAIN_HTTP"):
        # A trusted office network without HTTPS (docs/deploy.md, "Tanpa nginx"), said so
        # explicitly: the key and the host names are still required.
        return problems
    if not environ.get("BANDING_PUBLIC_URL", "").startswith("https://"):
        problems.append(
            "BANDING_PUBLIC_URL harus alamat publik dengan https://, mis. "
            "https://banding.balai.go.id."
        )
    if not flag("BANDING_SECURE_COOKIES"):
        problems.append(
            "BANDING_SECURE_COOKIES harus true: cookie sesi dan CSRF hanya lewat HTTPS."
        )
    hsts = environ.get("BANDING_HSTS_SECONDS", "0").strip() or "0"
    if not hsts.isdigit() or int(hsts) <= 0:
        problems.append(
            "BANDING_HSTS_SECONDS harus lebih dari 0 (mulai dengan 300, lalu 31536000)."
        )
    if not (flag("BANDING_BEHIND_HTTPS_PROXY") or flag("BANDING_SSL_REDIRECT")):
        problems.append(
            "BANDING_BEHIND_HTTPS_PROXY (di belakang reverse proxy HTTPS) atau "
            "BANDING_SSL_REDIRECT harus true: Django perlu tahu permintaan datang lewat HTTPS."
        )
    return problems


def require_production_settings(environ: Mapping[str, str]) -> None:
    problems = production_problems(environ)
    if problems:
        raise ImproperlyConfigured(
            "Pengaturan produksi belum lengkap (docs/operator.md, bagian Produksi; untuk "
            "mencoba di komputer sendiri: `banding demo` atau BANDING_DEVELOPMENT=true):\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )


def cache_setting(choice: str) -> dict[str, dict[str, str]]:
    """CACHES for BANDING_CACHE: empty or "memory" (each process counts for itself),
    "database" (a table in DATABASE_URL every process and server shares); anything else is
    refused, naming the variable."""
    if choice == "database":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "banding_cache",
            }
        }
    if choice in {"", "memory"}:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    raise ImproperlyConfigured(
        f"BANDING_CACHE tidak dikenal: {choice!r}; pilih kosong (memori per proses) atau database."
    )
