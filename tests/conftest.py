import pytest

from cycle.demo import demo_cycle
from cycle.models import Fase
from people.models import Rol
from places.services import reference_data_import
from tests.people.factories import ClusterFactory, UserFactory, user_with_role
from tests.places.factories import WerkgebiedFactory, WijkFactory


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

    def make(werkgebied, jaar=2027, fase=Fase.ANALYSE):
        return demo_cycle(werkgebied=werkgebied, jaar=jaar, doel=fase, user=beheerder)

    return make
