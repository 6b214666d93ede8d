import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
# A process serving the site: it refuses to start without the production settings
# (banding/settings.py) unless it is a development one.
os.environ.setdefault("BANDING_SERVING", "true")
application = get_wsgi_application()
