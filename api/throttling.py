"""Throttling per API key (or signed-in user) and per client address."""

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
