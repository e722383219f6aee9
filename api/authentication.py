"""``Authorization: Token <key>`` (or ``Bearer <key>``) for the REST API."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiSleutel, digest

# The moment of last use is written at most this often, so that a busy key does not turn every
# read into a write.
GEBRUIK_BIJWERKEN = datetime.timedelta(minutes=5)


def sleutel_uit(key: str) -> ApiSleutel | None:
    if not key or len(key) > 200:
        return None
    return (
        ApiSleutel.objects.geldig().select_related("user").filter(sleutel_hash=digest(key)).first()
    )


def gebruik_vastleggen(sleutel: ApiSleutel) -> None:
    now = timezone.now()
    if sleutel.laatst_gebruikt is None or now - sleutel.laatst_gebruikt > GEBRUIK_BIJWERKEN:
        ApiSleutel.objects.filter(pk=sleutel.pk).update(laatst_gebruikt=now)
        sleutel.laatst_gebruikt = now


class ApiSleutelAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige kop Authorization."))
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel.")) from exc
        sleutel = sleutel_uit(key)
        if sleutel is None:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        gebruik_vastleggen(sleutel)
        return sleutel.user, sleutel

    def authenticate_header(self, request):
        return "Token"
