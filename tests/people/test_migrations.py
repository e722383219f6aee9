"""The migration to case-insensitive addresses and exact role scopes merges and repairs nothing
silently: run on data that breaks the new rules, it stops and lists what to fix; on clean
data it lower-cases the addresses."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0002_clusters_en_partners"), ("places", "0001_initial")]
AFTER = [("people", "0003_exacte_scopes_en_emailadressen")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    # Leave the database as the rest of the suite expects it, whatever the test did.
    User = apps.get_model("people", "User")
    User.objects.all().delete()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_stops_on_addresses_that_clash_by_case(old_apps):
    User = old_apps.get_model("people", "User")
    User.objects.create(email="Wendy@example.nl", password="x")
    User.objects.create(email="wendy@example.nl", password="x")
    with pytest.raises(RuntimeError, match=re.escape("Wendy@example.nl")):
        migrate(AFTER)
    # Nothing was merged: both accounts are still there, as they were.
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "Wendy@example.nl",
        "wendy@example.nl",
    ]


def test_stops_on_a_role_without_its_scope(old_apps):
    User = old_apps.get_model("people", "User")
    Roltoewijzing = old_apps.get_model("people", "Roltoewijzing")
    Cluster = old_apps.get_model("people", "Cluster")
    user = User.objects.create(email="anton@example.nl", password="x")
    # Before: an accounthouder without a gebied counted as city-wide.
    cluster, _ = Cluster.objects.get_or_create(slug="stadsbeheer", defaults={"naam": "S"})
    wrong = Roltoewijzing.objects.create(user=user, rol="accounthouder", cluster=cluster)
    with pytest.raises(RuntimeError, match=f"roltoewijzing {wrong.pk} \\(accounthouder\\)"):
        migrate(AFTER)
    assert Roltoewijzing.objects.filter(pk=wrong.pk).exists()


def test_lower_cases_clean_data(old_apps):
    User = old_apps.get_model("people", "User")
    User.objects.create(email="Bram.Bewoner@Example.NL", password="x")
    new_apps = migrate(AFTER)
    assert list(new_apps.get_model("people", "User").objects.values_list("email", flat=True)) == [
        "bram.bewoner@example.nl"
    ]
