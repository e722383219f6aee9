"""The budget's parts of other pages (registered in ``BudgetsConfig.ready``): the
bestedingsvoorstel on the wijkprogramma's page, the jaarrekening on the wijkverslag's page,
links to the public budget pages on the werkgebied's page. Public data only (totals, the
actions' titles and amounts), the same for every visitor, a fixed number of queries."""

from django.template.loader import render_to_string

from . import selectors
from .models import Budget


def product_panel(product) -> str:
    soort = getattr(product, "SOORT", "")
    cyclus = product.cyclus
    if soort == "wijkprogramma":
        voorstel = selectors.bestedingsvoorstel(product)
        if not voorstel.acties and voorstel.deel is None:
            return ""
        return render_to_string(
            "budgets/_bestedingsvoorstel.html",
            {"voorstel": voorstel, "cyclus": cyclus, "product": product},
        )
    if soort == "wijkverslag":
        rekening = selectors.jaarrekening(cyclus.werkgebied, cyclus.jaar)
        return render_to_string(
            "budgets/_jaarrekening_panel.html",
            {"jaarrekening": rekening, "cyclus": cyclus, "werkgebied": cyclus.werkgebied},
        )
    return ""


def werkgebied_panel(werkgebied) -> str:
    jaren = list(
        Budget.objects.filter(werkgebied=werkgebied)
        .order_by("-jaar")
        .values_list("jaar", flat=True)
    )
    if not jaren:
        return ""
    return render_to_string(
        "budgets/_werkgebied_panel.html", {"werkgebied": werkgebied, "jaren": jaren}
    )
