import pytest


@pytest.fixture(autouse=True)
def _empty_media(settings):
    """A fresh in-memory media storage per test: file names are part of what is asserted."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
