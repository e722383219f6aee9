"""Settings of the Celery worker that tests/publication/test_worker_crash.py runs in a
subprocess and kills: the test settings, on the test database and a private broker, with a
short claim, media in a directory of the test's own, and a render that hangs
(tests/publication/hanging_render.py)."""

from wijkaanpak.settings.base import env
from wijkaanpak.settings.test import *  # noqa: F403

CELERY_BROKER_URL = env("PUBLICATIE_TEST_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
INSTALLED_APPS = [*INSTALLED_APPS, "tests.publication.hanging_render.HangingRenderConfig"]  # noqa: F405
# Required here (no default), so that a worker started without it fails instead of claiming
# for the five minutes of the base settings.
PUBLICATIE_CLAIM_SECONDS = env.int("PUBLICATIE_CLAIM_SECONDS")
# Shorter than the task's time limit on purpose (the test kills the worker long before that).
SILENCED_SYSTEM_CHECKS = ["publication.E001"]
# The worker's own process: the test's in-memory storage is out of its reach.
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PUBLICATIE_TEST_MEDIA_ROOT")},
    },
}
