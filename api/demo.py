"""The demo's API key: the demo accounthouder (Stadsbeheer, Kralingen-Crooswijk) holds one key
with a fixed, published value, so that ``make run`` can show a system reporting progress on
Kralingen 2026's actions through the API. Only where demo data is allowed (``load_demo``
refuses otherwise); the key is as public as the demo password."""

from django.conf import settings

from audit.services import audit_log
from cycle.demo import register

from .models import PREFIX_LENGTH, ApiSleutel, digest

DEMO_SLEUTEL = "demo-accounthouder-api-sleutel-openbaar"  # public by design, like the demo password
DEMO_SLEUTEL_NAAM = "Demo: voortgang uit het systeem van Stadsbeheer"


@register
def demo_api_sleutel(accounts):
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        return
    user = accounts["accounthouder"]
    sleutel, nieuw = ApiSleutel.objects.get_or_create(
        sleutel_hash=digest(DEMO_SLEUTEL),
        defaults={
            "user": user,
            "naam": DEMO_SLEUTEL_NAAM,
            "prefix": DEMO_SLEUTEL[:PREFIX_LENGTH],
        },
    )
    if nieuw:
        audit_log(
            action="api.sleutel_gemaakt",
            actor=user,
            target=sleutel,
            data={"sleutel": sleutel.pk, "naam": sleutel.naam, "prefix": sleutel.prefix},
        )
