"""A cache for the public pages, for anonymous visitors only (``cache_public_page``), and one
for a signed-in user's own pages (``cache_user_page``).

A page is served from the cache, or stored in it, only when nothing about the visitor can
change it: a GET or HEAD without a session or messages cookie. Only a complete 200 answer that
sets no cookie and holds no CSRF token is stored (a page with a form never is). The key
holds the public version (``pagecache.services``), the language and the full path with its
query string; for a page made of absolute URLs (a feed) also the scheme and the host, which
Django has checked against ``ALLOWED_HOSTS``. Signed-in users and pages with forms are never
served from the shared cache."""

import re
from functools import wraps

from django.conf import settings

from .services import (
    _csrf_platshouder,
    current,
    keep_response,
    kept_response,
    kept_response_key,
    read_once,
    reading_only,
)

# The header of ``cache_user_page`` (``X-Paginacache`` is the shared cache's).
USER_HEADER = "X-Gebruikerscache"

# What Django's {% csrf_token %} writes: the token in it belongs to this request's CSRF secret.
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')


def _zonder_token(content: str) -> str:
    """A page to keep: its CSRF tokens replaced by the placeholder."""
    return _CSRF_INPUT.sub(rf"\g<1>{_csrf_platshouder()}\g<2>", content)


def _met_token(content: str, request) -> str:
    """A kept page on its way out: this request's own CSRF token for the placeholder."""
    from django.middleware.csrf import get_token

    platshouder = _csrf_platshouder()
    if platshouder in content:
        content = content.replace(platshouder, get_token(request))
    return content


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, version: int, *, per_host: bool = False) -> str:
    path = None
    if per_host:
        path = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return kept_response_key("pagina", request, version=version, path=path)


def cache_public_page(view=None, *, per_host: bool = False, formulier: bool = False):
    """Keep ``view``'s answers to anonymous visitors under the public version. ``per_host``:
    the page holds absolute URLs on the host it was asked on, so each host has its own copy.
    ``formulier``: the page holds a form that is the same for every anonymous visitor but for
    its CSRF token; the token is kept as a placeholder and each visitor gets their own on the
    way out (as ``cache_user_page`` does), and the key holds the date (such a page may count
    the days left). Use as ``cache_public_page(view)`` or ``cache_public_page(view, ...)``."""
    if view is None:
        return lambda view: cache_public_page(view, per_host=per_host, formulier=formulier)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        version = current()
        key = _key(request, version, per_host=per_host)
        if formulier:
            from django.utils import timezone

            key = f"{key}:formulier:{timezone.localdate().isoformat()}"
        hit = kept_response(
            key, fill=(lambda content: _met_token(content, request)) if formulier else None
        )
        if hit is not None:
            return hit
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
            # tell. Rendering the token flags the request; such a page is never shared, unless
            # the view says its form is the same for all (then the token is kept as a
            # placeholder).
            and (formulier or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            and user is not None
            and not user.is_authenticated
        ):
            content = None
            if formulier:
                content = _zonder_token(response.content.decode(response.charset))
            keep_response(key, response, content=content)
        return response

    return wrapped


def _kept_query(request, params) -> bool:
    """Only the query parameters the page declares, each short: anything else is served
    fresh, so no one can fill the cache with variants of their own page."""
    return all(
        name in params and len(values) == 1 and len(values[0]) <= 40
        for name, values in request.GET.lists()
    )


def cache_user_page(view=None, *, params: tuple[str, ...] = ("pagina",)):
    """Keep ``view``'s complete answers to one signed-in user, for that user alone, under the
    public version, the user's id, the language, today's date and the path with the query
    parameters in ``params`` (a request with any other parameter is served fresh). This is
    ``memoised_for_user`` for the whole page, correct for the same reasons: every change that
    can alter a page (a state, a role, the user's own account, a publication) is audited and so
    bumps the version, and what depends on the date (a role that starts or ends, a phase that
    runs late) is keyed on it. Only a GET or HEAD without messages waiting for the user, that
    changed nothing (``reading_only``), answered 200 without setting a cookie, is kept; the
    CSRF tokens in its forms are kept as a placeholder and get this request's token on the
    way out, so a page kept before a new sign-in (which rotates the secret) still posts.
    Decorate only views whose GET has no side effect and whose page depends on nothing else."""
    if view is None:
        return lambda view: cache_user_page(view, params=params)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or user is None
            or not user.is_authenticated
            or request.COOKIES.get("messages")
            or "_messages" in request.session
            or not _kept_query(request, params)
        ):
            return view(request, *args, **kwargs)
        from django.utils import timezone

        # The header shows the user's unread notifications, counted on the user row and
        # changed without an audited state change (reading them): part of the key.
        key = kept_response_key(
            "gebruikerspagina",
            request,
            user.pk,
            getattr(user, "ongelezen", ""),
            timezone.localdate().isoformat(),
        )
        hit = kept_response(
            key, header=USER_HEADER, fill=lambda content: _met_token(content, request)
        )
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and reading_only()
        ):
            content = _zonder_token(response.content.decode(response.charset))
            keep_response(key, response, content=content, header=USER_HEADER)
        return response

    return wrapped
