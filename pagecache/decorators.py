"""A cache for the public pages, for anonymous visitors only.

A page is served from the cache, or stored in it, only when nothing about the visitor can
change it: a GET or HEAD without a session or messages cookie. Only a complete 200 answer that
sets no cookie and holds no CSRF token is stored (a page with a form never is). The key
holds the public version (``pagecache.services``), the language and the full path with its
query string; for a page made of absolute URLs (a feed) also the scheme and the host, which
Django has checked against ``ALLOWED_HOSTS``. Signed-in users and pages with forms are never
served from the shared cache."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from .services import current, read_once


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, version: int, *, per_host: bool = False) -> str:
    path = request.get_full_path()
    if per_host:
        path = f"{request.scheme}://{request.get_host()}{path}"
    path = hashlib.sha256(path.encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"pagina:{version}:{language}:{path}"


def cache_public_page(view=None, *, per_host: bool = False):
    """Keep ``view``'s answers to anonymous visitors under the public version. ``per_host``:
    the page holds absolute URLs on the host it was asked on, so each host has its own copy.
    Use as ``cache_public_page(view)`` or ``cache_public_page(view, per_host=True)``."""
    if view is None:
        return lambda view: cache_public_page(view, per_host=per_host)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        version = current()
        key = _key(request, version, per_host=per_host)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Paginacache"] = "hit"
            return response
        # A GET: the fragments it keeps (``memoised``) go under the version just read.
        with read_once(version):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page holds a CSRF token (a form): it belongs to this visitor's CSRF cookie,
            # which the middleware sets only after this view, so ``response.cookies`` cannot
            # tell. Rendering the token flags the request; such a page is never shared.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and user is not None
            and not user.is_authenticated
        ):
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            response["X-Paginacache"] = "miss"
        return response

    return wrapped
