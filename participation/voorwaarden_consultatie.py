"""The consultation's condition on adopting a product: every placed reaction has an answer
(registered with ``cycle.voorwaarden``)."""

from django.utils.translation import ngettext

from cycle.models import Productstatus

from . import selectors_consultatie as selectors


def reacties_beantwoord(product, transition: str) -> list[str]:
    # Only a product in consultation can have reactions waiting (one query, then).
    if transition != "vaststellen" or product.status != Productstatus.CONSULTATIE:
        return []
    n = selectors.onbeantwoord_aantal(product)
    if not n:
        return []
    return [
        ngettext("%(n)d reactie zonder antwoord", "%(n)d reacties zonder antwoord", n) % {"n": n}
    ]
