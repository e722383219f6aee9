"""GeoReport's discovery ``changeset``, "the date of the last change to the API".

It is when this deployment last applied a migration of the apps the GeoReport documents are
made of (``APPS``): the services are participation's themes, which only its data migrations
write (no page or admin edits them); the requests are its meldingen; an ``address_id`` is a
wijk of places; an ``api_key`` is the api app's. So the services list, and the shape of what
a request shows, change only with such a migration, and its time in ``django_migrations`` is
when the change reached this deployment. Kept in the cache until the next ``migrate`` forgets
it (``api.apps``): one query per deployment, not one per request."""

import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max

APPS = ("participation", "places", "api")
KEY = "open311:changeset"


def changeset() -> str:
    """The time of the last migration of ``APPS`` applied here, as a W3C date-time in UTC."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    waarde = cache.get(KEY)
    if waarde is None:
        laatste = (
            MigrationRecorder(connection)
            .migration_qs.filter(app__in=APPS)
            .aggregate(laatste=Max("applied"))["laatste"]
        )
        waarde = laatste.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cache.set(KEY, waarde, timeout=None)
    return waarde


def vergeten(**kwargs) -> None:
    """After ``migrate`` (``post_migrate``): the changeset is read anew."""
    caches[settings.PAGE_CACHE_ALIAS].delete(KEY)
