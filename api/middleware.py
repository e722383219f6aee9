"""The language of the open interfaces.

The portal's pages speak Dutch unless the visitor chose otherwise with the language switch (a
cookie; ``wijkaanpak.middleware.LanguageCookieMiddleware``). A program that calls the API sets
no cookie: it says what it reads with ``Accept-Language``. So below ``/api/`` that header, when
it names a language the portal speaks, wins; without it (or with only languages the portal
does not speak) the cookie's choice or Dutch stands. Error bodies, labels and the schema's
texts follow."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"
# Pages for people below /api/ (the documentation): the portal's language switch rules there.
PAGINAS = ("/api/v1/docs/",)


def taal_uit_accept_language(header: str) -> str | None:
    """The first language of ``header`` (in the client's order of preference) that the portal
    speaks, or None. ``en-GB`` counts as ``en``; ``*`` counts as no preference."""
    beschikbaar = {code for code, _ in settings.LANGUAGES}
    try:
        voorkeuren = parse_accept_lang_header(header[:255])
    except ValueError:
        return None
    for taal, _q in voorkeuren:
        if taal == "*":
            continue
        code = taal.split("-")[0].lower()
        if code in beschikbaar:
            return code
    return None


class ApiAcceptLanguageMiddleware:
    """After ``LanguageCookieMiddleware``: for ``/api/`` only, ``Accept-Language`` chooses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) or request.path in PAGINAS:
            return self.get_response(request)
        taal = taal_uit_accept_language(request.headers.get("Accept-Language", ""))
        if taal is None:
            response = self.get_response(request)
        else:
            request.LANGUAGE_CODE = taal
            with translation.override(taal):
                response = self.get_response(request)
            response.headers["Content-Language"] = taal
        patch_vary_headers(response, ("Accept-Language",))
        return response
