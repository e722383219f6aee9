"""URLs of places without running the URL resolver for every row of a long list.

``reverse()`` costs tens of microseconds; the wijk list calls it twice per wijk. The shape of a
slug URL never changes while the process runs, so it is reversed once per (name, script
prefix) and filled in with plain string formatting afterwards."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=64)
def _pattern(name: str, script_prefix: str) -> str:
    return reverse(name, kwargs={"slug": _PLACEHOLDER}).replace(_PLACEHOLDER, "{}")


def slug_url(name: str, slug: str) -> str:
    """Same as ``reverse(name, kwargs={"slug": slug})`` for a URL with one slug argument."""
    return _pattern(name, get_script_prefix()).format(slug)
