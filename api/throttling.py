"""Throttling per API key (or signed-in user) and per client address."""

import math

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle


class PerAdres(SimpleRateThrottle):
    """Requests without a key, counted per client address."""

    scope = "adres"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerSleutel(SimpleRateThrottle):
    """Requests with a key counted per key; a signed-in browser session per user."""

    scope = "sleutel"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        sleutel = getattr(request.auth, "pk", None)
        ident = f"k{sleutel}" if sleutel is not None else f"u{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TeVeelVerzoeken(exceptions.Throttled):
    """429 with a message that is translated whole (DRF's own formats the wait into the text
    before it is looked up, so it is never translated, and its Dutch is "verstikt")."""

    def __init__(self, wait=None):
        if wait is None:
            detail = _("Te veel verzoeken. Probeer het later opnieuw.")
        else:
            wait = math.ceil(wait)
            detail = ngettext(
                "Te veel verzoeken. Probeer het over %(wait)d seconde opnieuw.",
                "Te veel verzoeken. Probeer het over %(wait)d seconden opnieuw.",
                wait,
            ) % {"wait": wait}
        exceptions.APIException.__init__(self, detail, "throttled")
        self.wait = wait
