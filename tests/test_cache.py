"""The Redis cache backend keeps one client per connection pool and works as Django's."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from wijkaanpak.cache import RedisCache


@pytest.fixture
def cache():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    backend = RedisCache(url, {"KEY_PREFIX": "test-cache-backend"})
    yield backend
    backend.clear()


def test_one_client_serves_every_operation(cache):
    cache.set("a", {"x": 1})
    assert cache.get("a") == {"x": 1}
    assert cache.get_many(["a", "b"]) == {"a": {"x": 1}}
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
    cache.delete("a")
    assert cache.get("a") is None


def test_django_makes_a_client_per_operation(cache):
    """What the subclass is for: if Django ever keeps its client, drop ``wijkaanpak.cache``."""
    django = DjangoRedisCache(cache._servers, {})
    assert django._cache.get_client() is not django._cache.get_client()


def test_the_settings_use_it_for_a_redis_url():
    import subprocess
    import sys

    code = "from wijkaanpak.settings import base; print(base.CACHES['default']['BACKEND'])"
    for url, backend in (
        ("redis://127.0.0.1:6379/3", "wijkaanpak.cache.RedisCache"),
        ("locmemcache://", "django.core.cache.backends.locmem.LocMemCache"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "DJANGO_CACHE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == backend
