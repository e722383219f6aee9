import pytest

from people.models import Rol
from tests.people.factories import ClusterFactory, user_with_role
from tests.places.factories import WijkFactory

from .factories import MeldingFactory


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos on a real file system in a temporary folder, so tests can see files go."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


@pytest.fixture
def wijk(werkgebied):
    return werkgebied.wijken.get()


@pytest.fixture
def andere_wijk(ander_werkgebied):
    return WijkFactory(naam="Afrikaanderwijk", slug="afrikaanderwijk", werkgebied=ander_werkgebied)


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")


@pytest.fixture
def accounthouder(werkgebied, stadsbeheer):
    """An accounthouder of Stadsbeheer in the melding's gebied."""
    return user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)


@pytest.fixture
def make_melding(wijk):
    def make(**kwargs):
        kwargs.setdefault("wijk", wijk)
        return MeldingFactory(**kwargs)

    return make
