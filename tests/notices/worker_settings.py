"""Settings of the Celery worker that tests/notices/test_worker_crash.py runs in a subprocess
and kills: the test settings, on the test database and a private broker, with a mail backend
that hangs mid-send and a short lease."""

from wijkaanpak.settings.base import env
from wijkaanpak.settings.test import *  # noqa: F403

CELERY_BROKER_URL = env("NOTICE_TEST_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.notices.backends.BlockingBackend"
NOTICE_LEASE_SECONDS = env.int("NOTICE_LEASE_SECONDS")
