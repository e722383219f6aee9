"""``{% melding_kaart %}``: the optional map on which a resident points out a melding's place."""

from django import template

from places.geo import kaart_svg

register = template.Library()


def _id(waarde) -> int | None:
    waarde = getattr(waarde, "pk", waarde)
    try:
        return int(waarde)
    except (TypeError, ValueError, OverflowError):
        return None


@register.inclusion_tag("places/_kaart.html")
def melding_kaart(wijk_id=None, lengtegraad=None, breedtegraad=None):
    """The map with the chosen wijk marked and the chosen point drawn.

    Takes what a bound or unbound form holds (``form.wijk.value`` etc.): ids, strings, empty
    strings or None; anything that is not a wijk id or a place is left off the map."""
    return {"svg": kaart_svg(gemarkeerde_wijk_id=_id(wijk_id), punt=(lengtegraad, breedtegraad))}
