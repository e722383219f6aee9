"""The consultation's part of a product page: where it stands, the link to it, and the nota
van beantwoording (every placed reaction, anonymised, with its answer and what changed). Public
data only, the same for every visitor, two queries whatever the number of reactions (the page
is kept under the public version; every reaction, answer and hiding is audited and so bumps
it)."""

from django.template.loader import render_to_string

from . import selectors_consultatie as selectors

# The product page shows the first reactions of the nota; the consultation page has them all.
PANEL_MAX = 100


def product_panel(product) -> str:
    nota = selectors.nota(product)
    if nota is None:
        return ""
    reacties = nota["reacties"]
    return render_to_string(
        "participation/_consultatie_panel.html",
        {
            "product": product,
            "consultatie": nota["consultatie"],
            "reacties": reacties[:PANEL_MAX],
            "aantal": len(reacties),
            "meer": max(0, len(reacties) - PANEL_MAX),
            "beantwoord": nota["beantwoord"],
        },
    )
