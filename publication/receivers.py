"""``publication`` listens to ``cycle``; ``cycle`` never imports ``publication``."""

from django.dispatch import receiver

from cycle.signals import product_gepubliceerd

from . import services


@receiver(product_gepubliceerd, dispatch_uid="publication.product_gepubliceerd")
def product_gepubliceerd_vastleggen(sender, *, product, user, **kwargs):
    # Returned: the e-mail about the publication links to this version.
    return services.publicatie_maken(product=product, user=user)
