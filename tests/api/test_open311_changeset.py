"""Open311 discovery's ``changeset`` ("the date of the last change to the API") is when this
deployment last applied a migration of the apps the documents are made of, the same in JSON
and XML, read once and kept until the next ``migrate``."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max
from django.db.models.signals import post_migrate

from api.open311.changeset import APPS, changeset

pytestmark = pytest.mark.django_db

LATER = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)


def _discovery(client) -> tuple[set[str], set[str]]:
    """The changesets of the JSON and of the XML discovery (the document's and its endpoint's)."""
    body = client.get("/open311/v2/discovery.json").json()
    uit_json = {body["changeset"], *(e["changeset"] for e in body["endpoints"])}
    root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)  # noqa: S314
    uit_xml = {e.text for e in root.iter("changeset")}
    return uit_json, uit_xml


def _migratie(app: str, name: str, applied: datetime.datetime) -> None:
    recorder = MigrationRecorder(connection)
    recorder.record_applied(app, name)
    recorder.migration_qs.filter(app=app, name=name).update(applied=applied)


def _migrate_klaar() -> None:
    """What ``migrate`` sends when it is done."""
    config = apps.get_app_config("api")
    post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False)


def test_the_changeset_is_the_last_migration_of_the_apps_the_documents_are_made_of(client):
    laatste = (
        MigrationRecorder(connection)
        .migration_qs.filter(app__in=APPS)
        .aggregate(m=Max("applied"))["m"]
    )
    verwacht = laatste.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _discovery(client) == ({verwacht}, {verwacht})
    # A W3C date-time, as GeoReport's other dates.
    assert datetime.datetime.fromisoformat(verwacht) == laatste.replace(microsecond=0)


def test_it_is_read_once_and_read_anew_after_migrate(client, django_assert_num_queries):
    eerst = changeset()
    with django_assert_num_queries(0):
        assert changeset() == eerst
    # A migration of another app is no change to these documents.
    _migratie("cycle", "9999_elders", LATER)
    _migrate_klaar()
    assert changeset() == eerst
    # A new theme (participation's data migration) is; until migrate is done the kept value
    # stands.
    _migratie("participation", "9999_nieuw_thema", LATER)
    assert changeset() == eerst
    _migrate_klaar()
    assert _discovery(client) == ({"2031-05-06T07:08:09Z"}, {"2031-05-06T07:08:09Z"})
