"""Correcting a published product through the services, as its wijkmanager would: reopen it
with a reason, change its text, adopt it and publish it again (the next version)."""

from cycle import services as cycle_services
from cycle.models import Productstatus


def corrigeer(product, user, *, reden: str, data: dict | None = None):
    """Take the published ``product`` through a whole correction; return it published."""
    product = cycle_services.product_transition(
        product=product,
        user=user,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden=reden,
    )
    if data:
        product = cycle_services.product_update(
            product=product, user=user, expected_versie=product.versie, data=data
        )
    product = cycle_services.product_transition(
        product=product,
        user=user,
        transition="vaststellen",
        expected_status=Productstatus.CORRECTIE,
        besluitreferentie="B&W 2027/42",
    )
    return cycle_services.product_transition(
        product=product,
        user=user,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
