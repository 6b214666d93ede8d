import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
# A process serving the site: it refuses to start without the production settings
# (banding/settings.py) unless it is a development one.
os.environ.setdefault("BANDING_SERVING", "true")
application = get_wsgi_application()


def _refuse_on_serious_checks() -> None:
    """A WSGI server started without `banding serve` (gunicorn banding.wsgi:application) runs
    SiBanding's own system checks (the settings' and keys': no database) when it loads, so a
    serious one (the audit log's keys, the digest settings, the escalation delay) stops it
    here, naming its variable, instead of every audited action failing later. A development
    server (DEBUG, BANDING_DEVELOPMENT) is left to make its keys on first use."""
    from django.conf import settings
    from django.core.checks.registry import registry

    if settings.DEBUG or settings.BANDING_DEVELOPMENT:
        return
    serious = [
        error
        for check in registry.get_checks()
        if check.__module__.startswith("banding.")
        for error in check(app_configs=None, databases=None)
        if error.is_serious()
    ]
    if serious:
        raise ImproperlyConfigured("\n".join(str(error) for error in serious))


_refuse_on_serious_checks()
