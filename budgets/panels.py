"""The budget's parts of other pages (registered in ``BudgetsConfig.ready``): the
bestedingsvoorstel on the wijkprogramma's page, the jaarrekening on the wijkverslag's page,
a link to the public budget page on the werkgebied's page. Public data only (totals, the
actions' titles and amounts), the same for every visitor, a fixed number of queries."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors


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
    """A link to this year's budget page (which lists the other years): no query, so the
    public werkgebied page costs what it did."""
    return render_to_string(
        "budgets/_werkgebied_panel.html",
        {"werkgebied": werkgebied, "jaar": timezone.localdate().year},
    )
