"""What the participation plan requires of a product's steps (registered with
``cycle.voorwaarden``): a product goes into consultation only when the plan of its cycle states
the kaders of its phase (what residents can and cannot influence). One query."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cycle.models import Fase

from .models import Planfase


def kaders_ingevuld(product, transition: str) -> list[str]:
    if transition != "ter_consultatie" or not product.WERKFASEN:
        return []
    fase = product.WERKFASEN[0]
    naam = capfirst(Fase(fase).label)
    rij = (
        Planfase.objects.filter(plan__cyclus_id=product.cyclus_id, fase=fase)
        .values_list("wel_invloed", "geen_invloed")
        .first()
    )
    if rij is None:
        return [
            _(
                "Er is nog geen participatieplan voor deze cyclus: de kaders voor de fase "
                "%(fase)s zijn nog niet ingevuld."
            )
            % {"fase": naam}
        ]
    wel, geen = rij
    if not wel.strip() or not geen.strip():
        return [
            _("De kaders voor de fase %(fase)s zijn nog niet ingevuld in het participatieplan.")
            % {"fase": naam}
        ]
    return []
