"""Django's Redis cache, with one ``redis.Redis`` client per connection pool.

Django's own client makes a new ``redis.Redis`` for every cache operation, and each copies
the library's table of response callbacks (some two hundred entries): on a signed-in page
with four cache reads that was about a millisecond of the request. A ``redis.Redis`` is safe
to share between threads (it takes a connection from its pool for each command), and the
pool itself notices a fork, so keeping one per pool changes nothing else."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(pool)
        if client is None:
            client = clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
