"""How django-axes counts sign-in attempts: per account (the normalised e-mail address, so
"Wendy@x.nl" and "wendy@x.nl" count as one) and per address."""

from .models import normalise_email


def username(request, credentials=None) -> str:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return normalise_email(value or "")
