"""Bumping and reading the public version.

``bump()`` runs inside the caller's transaction: the counter row stays locked until that
transaction ends, so concurrent changes queue on it (changes are human-paced; reads never
wait), and the new value becomes visible exactly when the change does. A reader that started
before the commit still sees the old value and may cache the old page under the old key, which
no one asks for any more once the commit is visible."""

from django.db import connection

PUBLIEK = "publiek"


def bump(naam: str = PUBLIEK) -> None:
    table = connection.ops.quote_name("pagecache_versie")
    with connection.cursor() as cursor:
        # An upsert, so a flushed test database or a fresh one needs no seed row.
        cursor.execute(
            f"INSERT INTO {table} (naam, waarde) VALUES (%s, 1) "  # noqa: S608 - fixed name
            f"ON CONFLICT (naam) DO UPDATE SET waarde = {table}.waarde + 1",
            [naam],
        )


def current(naam: str = PUBLIEK) -> int:
    table = connection.ops.quote_name("pagecache_versie")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT waarde FROM {table} WHERE naam = %s", [naam])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def memoised(name: str, compute):
    """``compute()``'s result, kept in the cache under the public version: for reads that are
    the same for everyone (including signed-in users) and change only with a state change."""
    from django.conf import settings
    from django.core.cache import caches

    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"memo:{current()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def invalidate_on_change(*models) -> None:
    """Bump the public version whenever a row of ``models`` is saved or deleted, in the same
    transaction. For reference data edited in the admin without a service of its own; call
    from the owning app's ``AppConfig.ready()``."""
    from django.db.models.signals import post_delete, post_save

    def invalidate(sender, **kwargs):
        bump()

    # weak=False: the receiver is a closure that nothing else keeps alive.
    for model in models:
        label = model._meta.label_lower
        post_save.connect(
            invalidate, sender=model, dispatch_uid=f"pagecache.{label}.save", weak=False
        )
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"pagecache.{label}.delete", weak=False
        )
