"""Bumping and reading the public version.

``bump()`` runs inside the caller's transaction: the counter row stays locked until that
transaction ends, so concurrent changes queue on it (changes are human-paced; reads never
wait), and the new value becomes visible exactly when the change does. A reader that started
before the commit still sees the old value and may cache the old page under the old key, which
no one asks for any more once the commit is visible."""

import contextlib
import gzip
import re
from contextvars import ContextVar

from django.db import connection

PUBLIEK = "publiek"
# The public version a read-only request has already read (see ``read_once``).
_gelezen: ContextVar[int | None] = ContextVar("pagecache_gelezen", default=None)
# Within a GET or HEAD (see ``middleware.ReadOnlyRequestMiddleware``): the version once read,
# under "waarde"; "uit" once the request changed something after all.
_verzoek: ContextVar[dict | None] = ContextVar("pagecache_verzoek", default=None)
# As Django's GZipMiddleware reads Accept-Encoding.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def bump(naam: str = PUBLIEK) -> None:
    if (verzoek := _verzoek.get()) is not None:
        # A GET that changes something after all: from now on it reads the version anew and
        # keeps nothing under it (what it computed could belong to an unfinished change).
        verzoek.clear()
        verzoek["uit"] = True
    table = connection.ops.quote_name("pagecache_versie")
    with connection.cursor() as cursor:
        # An upsert, so a flushed test database or a fresh one needs no seed row.
        cursor.execute(
            f"INSERT INTO {table} (naam, waarde) VALUES (%s, 1) "  # noqa: S608 - fixed name
            f"ON CONFLICT (naam) DO UPDATE SET waarde = {table}.waarde + 1",
            [naam],
        )


@contextlib.contextmanager
def read_once(version: int):
    """Within a read-only request that has read the public version, every further read gives
    the same value instead of asking the database again: what the request renders is read
    after it, so keeping its parts under it is as correct as keeping the page."""
    token = _gelezen.set(version)
    try:
        yield
    finally:
        _gelezen.reset(token)


@contextlib.contextmanager
def read_only_request():
    """A GET or HEAD changes nothing, so it reads the public version at most once: whatever
    it renders is read after that, so keeping its parts under that version is correct."""
    token = _verzoek.set({})
    try:
        yield
    finally:
        _verzoek.reset(token)


def reading_only() -> bool:
    """Whether this is a read-only request that has changed nothing: only then may what it
    reads be kept under the public version (in a change, the version may be one that is
    rolled back, and later given to another change)."""
    if _gelezen.get() is not None:
        return True
    verzoek = _verzoek.get()
    return verzoek is not None and "uit" not in verzoek


def current(naam: str = PUBLIEK) -> int:
    if naam == PUBLIEK:
        if (gelezen := _gelezen.get()) is not None:
            return gelezen
        verzoek = _verzoek.get()
        if verzoek is not None and "waarde" in verzoek:
            return verzoek["waarde"]
    table = connection.ops.quote_name("pagecache_versie")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT waarde FROM {table} WHERE naam = %s", [naam])  # noqa: S608
        row = cursor.fetchone()
    waarde = row[0] if row else 0
    if naam == PUBLIEK and verzoek is not None and "uit" not in verzoek:
        verzoek["waarde"] = waarde
    return waarde


# The response header that says whether an answer came from the shared page cache.
KEPT_HEADER = "X-Paginacache"


def kept_response_key(prefix: str, request, *parts, version: int | None = None, path=None) -> str:
    """The cache key of a whole answer to ``request``: ``prefix``, the public version (read
    now unless given), the active language, ``parts`` (whatever else the answer depends on)
    and a digest of the path with its query string, or of ``path`` where the answer depends
    on more of the URL (the scheme and host of a page of absolute URLs)."""
    import hashlib

    from django.utils.translation import get_language

    path = request.get_full_path() if path is None else path
    digest = hashlib.sha256(path.encode()).hexdigest()
    version = current() if version is None else version
    return ":".join([prefix, str(version), get_language(), *map(str, parts), digest])


def kept_response(key: str, *, header: str = KEPT_HEADER, fill=None):
    """The answer kept under ``key`` (``keep_response``), marked a hit in ``header``; None if
    there is none. ``fill(content)`` puts back what was taken out when it was kept (a form's
    CSRF token)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.http import HttpResponse

    hit = caches[settings.PAGE_CACHE_ALIAS].get(key)
    if hit is None:
        return None
    content, content_type, *rest = hit
    if fill is not None:
        content = fill(content)
    response = HttpResponse(content, content_type=content_type)
    if rest and rest[0]:
        # A download keeps its file name.
        response["Content-Disposition"] = rest[0]
    response[header] = "hit"
    return response


def keep_response(key: str, response, *, content=None, header: str = KEPT_HEADER) -> None:
    """Keep the rendered ``response`` under ``key`` for ``PAGE_CACHE_SECONDS`` and mark it a
    miss in ``header``. ``content``: what to keep instead of its body (the body with what
    belongs to this request taken out). Whether it may be kept is the caller's to decide."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].set(
        key,
        (
            response.content if content is None else content,
            response["Content-Type"],
            response.get("Content-Disposition", ""),
        ),
        timeout=settings.PAGE_CACHE_SECONDS,
    )
    response[header] = "miss"


def memoised(name: str, compute):
    """``compute()``'s result, kept in the cache under the public version: for reads that are
    the same for everyone (including signed-in users) and change only with a state change."""
    from django.conf import settings
    from django.core.cache import caches

    if not settings.PAGE_CACHE_SECONDS or not reading_only():
        return compute()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"memo:{current()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def memoised_body(request, name: str, compute) -> tuple[bytes, bool]:
    """A large body that is the same for everyone (a download, a long machine-readable list),
    ``memoised`` under ``name``, and, when the request accepts gzip, compressed once and kept
    beside it: ``(body, compressed)``. Answer with ``compressed_response_headers``. Safe from
    BREACH only for bodies with no secret and nothing from the request in them."""
    # A warm cache gives the compressed body alone (not the plain one too, four to ten times
    # its size).
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return memoised(
            f"{name}:gzip", lambda: gzip.compress(memoised(name, compute), mtime=0)
        ), True
    return memoised(name, compute), False


def compressed_response_headers(response, compressed: bool):
    """The headers of an answer whose body came from ``memoised_body``."""
    from django.utils.cache import patch_vary_headers

    if compressed:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def memoised_for_user(user, name: str, compute, *, vary_on=()):
    """``compute()``'s result for ``user`` alone, kept under the public version, the user's id,
    the active language, today's date and ``vary_on``: a fragment of a signed-in page that only
    this user is ever given back (never a whole page, never shared between users). Everything
    that can change it is a state change that bumps the version (roles, the user's own account,
    the cycles) or the date (a role that starts or ends, a phase that runs late)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.utils import timezone
    from django.utils.translation import get_language

    if not settings.PAGE_CACHE_SECONDS or not user.is_authenticated or not reading_only():
        return compute()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    parts = ":".join(str(part) for part in vary_on)
    key = (
        f"user:{current()}:{user.pk}:{get_language()}:{timezone.localdate().isoformat()}"
        f":{name}:{parts}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def pagina_param(request, name: str = "pagina") -> str:
    """The page number in the query string as a key part for ``vary_on``: ASCII digits, at
    most five of them, else "". Anything else varies nothing, so no one can fill the cache
    with variants of their own page (the paginator treats "" as the first page too)."""
    value = request.GET.get(name, "")
    return value if value.isascii() and value.isdigit() and len(value) < 6 else ""


def _csrf_platshouder() -> str:
    """What stands in for the CSRF token in a kept fragment (each request puts its own token
    in). Derived from the secret key, so no text a user writes into a page can be it."""
    from django.utils.crypto import salted_hmac

    return "csrf-" + salted_hmac("pagecache.csrf-platshouder", "fragment").hexdigest()[:32]


def memoised_form_fragment(request, name: str, render, *, vary_on=()):
    """``memoised_for_user`` for a fragment that holds forms. ``render(csrf_token)`` renders
    it with a placeholder as its CSRF token (pass it to the template as ``csrf_token``); the
    kept HTML gets this request's token on the way out, so a fragment kept before a new
    sign-in (which rotates the secret) still posts."""
    from django.middleware.csrf import get_token
    from django.utils.safestring import mark_safe

    platshouder = _csrf_platshouder()
    html = memoised_for_user(request.user, name, lambda: str(render(platshouder)), vary_on=vary_on)
    if platshouder not in html:
        # No form in it (an anonymous visitor's page): asking for a token would set the CSRF
        # cookie, and a response that sets a cookie is never kept in the public page cache.
        return mark_safe(html)  # noqa: S308 - our own HTML
    return mark_safe(html.replace(platshouder, get_token(request)))  # noqa: S308 - our own HTML


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
