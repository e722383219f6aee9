import contextlib
import importlib

import pytest

from cycle.demo import demo_cycle
from cycle.models import Fase
from people.models import Rol
from places.services import reference_data_import
from tests.people.factories import ClusterFactory, UserFactory, user_with_role
from tests.places.factories import WerkgebiedFactory, WijkFactory


def restore_migration_data() -> None:
    """Re-create the rows that data migrations provide (clusters and partners, the themes of
    meldingen, the themes of the wijkaanpak and the questions of the checklist): a
    transactional test ends by emptying every table, and the tests after it expect them."""
    from django.apps import apps

    importlib.import_module("people.migrations.0002_clusters_en_partners").create(apps, None)
    importlib.import_module("participation.migrations.0002_themas").add_themas(apps, None)
    importlib.import_module("cycle.migrations.0005_wijkthemas_checklist").add_reference_data(
        apps, None
    )


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the tables (in its teardown), put the reference
    data of the migrations back for the tests that follow."""
    yield
    # After the last test the test database is already gone.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()


def _counting_from_an_empty_log(assert_queries):
    """Django keeps at most 9000 queries in its log (a bounded deque) and counts a block by
    the log's length before and after it: once the log is full, every block counts 0 and any
    limit passes. Each counted block starts from an empty log."""

    @contextlib.contextmanager
    def counted(*args, **kwargs):
        from django.db import reset_queries

        reset_queries()
        with assert_queries(*args, **kwargs) as context:
            yield context

    return counted


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _counting_from_an_empty_log(django_assert_max_num_queries)


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _counting_from_an_empty_log(django_assert_num_queries)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts its database, and so the public version, afresh: a page cached by an
    earlier test under the same version number must not be served to this one."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.fixture
def rotterdam(db):
    """The real Rotterdam reference data (14 gebieden, 39 werkgebieden, 71 wijken)."""
    return reference_data_import()


@pytest.fixture
def werkgebied(db):
    werkgebied = WerkgebiedFactory(naam="Crooswijk", slug="crooswijk")
    WijkFactory(naam="Rubroek", slug="rubroek", werkgebied=werkgebied)
    return werkgebied


@pytest.fixture
def ander_werkgebied(db):
    """A werkgebied in another gebied."""
    return WerkgebiedFactory(naam="Feijenoord", slug="feijenoord")


@pytest.fixture
def beheerder(db):
    return user_with_role(Rol.BEHEERDER)


@pytest.fixture
def wijkmanager(werkgebied):
    return user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)


def _roles(werkgebied, ander_werkgebied):
    """Every role, in the right and in the wrong werkgebied. Value: may run the cycle."""
    cluster = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    return {
        "anoniem": (None, False),
        "bewoner (geen rol)": (UserFactory(), False),
        "bewoner": (user_with_role(Rol.BEWONER, werkgebied=werkgebied), False),
        "wijkmanager": (user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied), True),
        "wijkmanager via gebied": (
            user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied),
            True,
        ),
        "wijkmanager ander werkgebied": (
            user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied),
            False,
        ),
        "wijkmanager ander gebied": (
            user_with_role(Rol.WIJKMANAGER, gebied=ander_werkgebied.gebied),
            False,
        ),
        "accounthouder": (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=werkgebied.gebied),
            False,
        ),
        "accounthouder ander gebied": (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=ander_werkgebied.gebied),
            False,
        ),
        "wijkraadslid": (user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied), False),
        "wijkraadslid ander werkgebied": (
            user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied),
            False,
        ),
        "raad": (user_with_role(Rol.RAAD), False),
        "beheerder": (user_with_role(Rol.BEHEERDER), True),
    }


ROLE_NAMES = [
    "anoniem",
    "bewoner (geen rol)",
    "bewoner",
    "wijkmanager",
    "wijkmanager via gebied",
    "wijkmanager ander werkgebied",
    "wijkmanager ander gebied",
    "accounthouder",
    "accounthouder ander gebied",
    "wijkraadslid",
    "wijkraadslid ander werkgebied",
    "raad",
    "beheerder",
]


@pytest.fixture
def roles(werkgebied, ander_werkgebied):
    return _roles(werkgebied, ander_werkgebied)


@pytest.fixture
def make_cycle(beheerder):
    """Create a cycle through the services and take it to phase ``fase``."""

    def make(werkgebied, jaar=2027, fase=Fase.ANALYSE, lopend=0):
        # ``lopend``: initiatives still running when the execution year ends.
        return demo_cycle(
            werkgebied=werkgebied, jaar=jaar, doel=fase, user=beheerder, lopend=lopend
        )

    return make
