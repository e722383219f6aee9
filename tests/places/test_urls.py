import pytest
from django.urls import reverse, set_script_prefix

from places.urls_cache import slug_url


@pytest.mark.parametrize("name", ["wijk-detail", "werkgebied-detail", "werkgebied-rollen"])
@pytest.mark.parametrize("slug", ["rubroek", "groot-ijsselmonde-noord", "cs-kwartier"])
def test_slug_url_equals_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_slug_url_follows_the_script_prefix():
    try:
        set_script_prefix("/portaal/")
        assert slug_url("wijk-detail", "rubroek") == "/portaal/wijken/rubroek/"
    finally:
        set_script_prefix("/")
    assert slug_url("wijk-detail", "rubroek") == "/wijken/rubroek/"
