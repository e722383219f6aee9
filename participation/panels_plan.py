"""Panels of the participation plan and the wijkraad's advice on the cycle's pages, and the
"Mijn werk" section of advice to give or to answer. Panels show public data only and do not
depend on the visitor (the pages are kept for anonymous visitors)."""

from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Rol

from . import selectors_plan
from .models import Adviesonderwerp
from .models_plan import plan_url


def cyclus_panel(cyclus) -> str:
    """The plan on the cycle page: every phase's level, kaders, groups and means. Two
    queries (the phases, the advice on the plan)."""
    plan, fasen = selectors_plan.planfasen(cyclus)
    return render_to_string(
        "participation/plan/_panel.html",
        {
            "cyclus": cyclus,
            "plan": plan,
            "fasen": fasen,
            "plan_url": plan_url(cyclus),
            "adviezen": selectors_plan.adviezen_over(cyclus, Adviesonderwerp.PARTICIPATIEPLAN),
        },
    )


def product_panel(product) -> str:
    """The wijkraad's advice on a wijkagenda or wijkprogramma, with the answers. One query."""
    if product.SOORT not in (Adviesonderwerp.WIJKAGENDA, Adviesonderwerp.WIJKPROGRAMMA):
        return ""
    adviezen = selectors_plan.adviezen_voor_product(product)
    return render_to_string(
        "participation/advies/_product_panel.html",
        {
            "product": product,
            "adviezen": adviezen,
            "werkgebied": product.cyclus.werkgebied,
            "today": timezone.localdate(),
        },
    )


def wijkakkoord_panel(akkoord) -> str:
    """The wijkraad's formal advice on a wijkakkoord (asked or unasked, beside the advice its
    own lifecycle records), with the answers; nothing when there is none. One query."""
    adviezen = selectors_plan.adviezen_voor_akkoord(akkoord)
    if not adviezen:
        return ""
    return render_to_string(
        "participation/advies/_product_panel.html",
        {
            "adviezen": adviezen,
            "werkgebied": akkoord.werkgebied,
            "today": timezone.localdate(),
        },
    )


def adviezen_sectie(user, assignments) -> str:
    """For a wijkraadslid, the advice their wijkraad is asked for, with the deadlines (late
    ones flagged); for a wijkmanager, the advice given and not yet answered. One query per
    role held."""
    if not any(a.rol in (Rol.WIJKRAADSLID, Rol.WIJKMANAGER) for a in assignments):
        return ""
    gevraagd = selectors_plan.wacht_op_advies(assignments)
    te_beantwoorden = selectors_plan.wacht_op_antwoord(assignments)
    if gevraagd is None and te_beantwoorden is None:
        return ""
    html = render_to_string(
        "participation/advies/_mijn_werk.html",
        {
            "gevraagd": gevraagd,
            "te_beantwoorden": te_beantwoorden,
            "today": timezone.localdate(),
        },
    )
    return html if html.strip() else ""


def werkgebied_panel(werkgebied) -> str:
    """A link to the wijkraad's advice from the werkgebied's page. No query."""
    return render_to_string(
        "participation/advies/_werkgebied_panel.html", {"werkgebied": werkgebied}
    )
