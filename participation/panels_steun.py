"""Residents' support on the product pages (the agenda's points, the programme's
initiatives) and on an initiative's page: the counts against the plan's draagvlak criterion
and the visitor's own "Ik steun dit" / "Steun intrekken" button.

A user panel (``cycle.panels.register_user_panel``): the product page keeps its content per
user under the public version, which every support bumps (it is audited). An anonymous
visitor gets the counts and a sign-in link, never a form, so their page stays shareable.
Three queries for the product panel (items with counts, the criterion, the visitor's own)."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from . import selectors_steun
from .services_steun import mag_steunen


def _login_url(request, anker: str) -> str:
    return f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: request.path + anker})}"


def product_panel(product, request, csrf_token) -> str:
    fase = selectors_steun.FASE_VAN_SOORT.get(product.SOORT)
    user = request.user
    if fase is None or not user.has_perm("cycle.view_product", product):
        return ""
    if product.SOORT == "wijkagenda":
        items = selectors_steun.agendapunten_met_steun(product)
        soort = "agendapunt"
    else:
        items = selectors_steun.initiatieven_met_steun(product)
        soort = "initiatief"
    if not items:
        return ""
    cyclus = product.cyclus
    eigen = selectors_steun.eigen_steun(
        user,
        agendapunten=[i.pk for i in items] if soort == "agendapunt" else (),
        initiatieven=[i.pk for i in items] if soort == "initiatief" else (),
    )
    # The permission is the same for every item of one cycle (its werkgebied).
    kan = mag_steunen(user, items[0]) if user.is_authenticated else False
    for item in items:
        item.eigen = (soort, item.pk) in eigen
    return render_to_string(
        "participation/_steun_panel.html",
        {
            "items": items,
            "soort": soort,
            "cyclus": cyclus,
            "planfase": selectors_steun.draagvlak(cyclus, fase),
            "kan_steunen": kan,
            "ingelogd": user.is_authenticated,
            "login_url": _login_url(request, "#steun"),
            "csrf_token": csrf_token,
            "terug": request.path,
        },
    )


def initiatief_panel(initiatief, request, csrf_token) -> str:
    user = request.user
    initiatief.steun = selectors_steun.steun_van_initiatief(initiatief)
    initiatief.eigen = bool(selectors_steun.eigen_steun(user, initiatieven=[initiatief.pk]))
    cyclus = initiatief.wijkprogramma.cyclus
    return render_to_string(
        "participation/_steun_panel.html",
        {
            "items": [initiatief],
            "soort": "initiatief",
            "enkel": True,
            "cyclus": cyclus,
            "planfase": selectors_steun.draagvlak(cyclus, selectors_steun.Fase.PROGRAMMA),
            "kan_steunen": mag_steunen(user, initiatief) if user.is_authenticated else False,
            "ingelogd": user.is_authenticated,
            "login_url": _login_url(request, "#steun"),
            "csrf_token": csrf_token,
            "terug": request.path,
        },
    )
