"""Local development and the zero-setup demo: SQLite and eager Celery unless configured."""

from .base import *
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

SHOW_DEMO_ACCOUNTS = True

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo (accounts with a published password) may be loaded here, never in production.
DEMO_DATA_ALLOWED = True
# load_scale may build a generated city here (see cycle/scale.py).
SCALE_DATA_ALLOWED = True

# In the demo, tasks run in-process (eager): their per-task success lines and kombu's note
# about the missing broker host would bury the demo accounts printed by `make run`.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
