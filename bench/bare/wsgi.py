"""WSGI entry point of the bare page (gunicorn bench.bare.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bare.settings")

application = get_wsgi_application()
