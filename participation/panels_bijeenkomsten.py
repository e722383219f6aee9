"""The meetings on other apps' pages: the coming meetings of a cycle (the "cyclus" panel;
public data only, one query; the page is kept in the page cache and every change of a meeting
is audited and so bumps the public version), a link on the werkgebied's page (no query), and
the "Mijn werk" section: meetings that took place without outcome notes (for a wijkmanager
every kind, for a wijkraadslid the wijkraad's own)."""

from django.template.loader import render_to_string

from people.models import Rol

from . import selectors_bijeenkomsten as selectors

PANEEL_MAX = 5


def cyclus_panel(cyclus) -> str:
    komend = selectors.komende_van_cyclus(cyclus, limit=PANEEL_MAX)
    if not komend:
        return ""
    return render_to_string(
        "participation/bijeenkomsten/_panel.html",
        {
            "bijeenkomsten": komend,
            "werkgebied": cyclus.werkgebied,
            "kop_id": "cyclus-bijeenkomsten",
        },
    )


def werkgebied_panel(werkgebied) -> str:
    """A link to the werkgebied's calendar and feed: no query (the page has its budget)."""
    return render_to_string(
        "participation/bijeenkomsten/_werkgebied_panel.html", {"werkgebied": werkgebied}
    )


def mijn_werk_sectie(user, assignments) -> str:
    scopes = {Rol.WIJKMANAGER: (set(), set()), Rol.WIJKRAADSLID: (set(), set())}
    for a in assignments:
        if a.rol in scopes:
            if a.werkgebied_id:
                scopes[a.rol][0].add(a.werkgebied_id)
            elif a.gebied_id:
                scopes[a.rol][1].add(a.gebied_id)
    rows = selectors.zonder_verslag(
        werkgebied_ids=scopes[Rol.WIJKMANAGER][0],
        gebied_ids=scopes[Rol.WIJKMANAGER][1],
        wijkraad_ids=scopes[Rol.WIJKRAADSLID][0],
        wijkraad_gebied_ids=scopes[Rol.WIJKRAADSLID][1],
    )
    if not rows:
        return ""
    return render_to_string(
        "participation/bijeenkomsten/_mijn_werk.html",
        {"rows": rows[:10], "meer": len(rows) > 10},
    )
