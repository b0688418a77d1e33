"""WSGI entry point: production HTTP is served by gunicorn (`gunicorn ashyq.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ashyq.settings.production")
application = get_wsgi_application()
