"""Project-wide middleware: request ids for the logs, the language cookie and the headers that
every response carries.

Language selection for a Dutch municipal portal: Dutch unless the visitor chose otherwise
with the language switch (a cookie). The browser's Accept-Language is deliberately ignored,
so every resident sees the same Dutch portal by default."""

import logging
import time
import uuid

import sentry_sdk
from django.conf import settings
from django.core.signals import request_finished
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from .logs import NO_REQUEST, is_sane_request_id, request_id_var

REQUEST_ID_HEADER = "X-Request-ID"

request_logger = logging.getLogger("wijkaanpak.request")


def _forget_request_id(**kwargs):
    request_id_var.set(NO_REQUEST)


class RequestIdMiddleware:
    """Gives every request an id, takes over a sane one from a proxy in front of us, and
    writes one log line per request. Must come first, so that everything below it (including
    redirects made by other middleware) logs under the id and answers with it."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="wijkaanpak.request_id")

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER)
        request_id = incoming if is_sane_request_id(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        # A no-op without SENTRY_DSN; with it, an error report can be matched to the log lines.
        sentry_sdk.set_tag("request_id", request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        except BaseException:
            request_id_var.reset(token)
            raise
        response[REQUEST_ID_HEADER] = request_id
        # The path without its query string: search terms may be personal data.
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        # Django logs 4xx/5xx responses (django.request) after the middleware has returned,
        # and a streamed body is produced later still: the id stays in force until the server
        # closes the response (request_finished), so it never leaks into the next request.
        return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for.

    * ``Permissions-Policy`` (settings.PERMISSIONS_POLICY): the portal uses no camera,
      microphone, location, payment or other powerful feature, so none may be used in it.
    * ``Cache-Control: private, no-cache`` on what a signed-in user is shown: such pages may
      hold concepts and names that must not land in a shared cache or be served without
      revalidation. Only where the session was read: a response that never looked at the
      session cannot depend on who is signed in, and checking would load the session for
      responses (the health check, static files) that must not touch it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.accessed
            and user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class LanguageCookieMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: the thread goes back to the language it had (a worker's next
        # task or, in tests, the next test never inherits a visitor's choice).
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
