"""The part of an initiative's public page that belongs to participation: how many meldingen
of residents led to it, and the link to follow it. Public data only, the same for every
visitor, one query (the page is kept in the page cache; linking a melding is audited and so
bumps the public version)."""

from django.template.loader import render_to_string

from .models import Melding, Meldingstatus
from .services_volgen import kan_volgen


def initiatief_panel(initiatief) -> str:
    aantal = Melding.objects.filter(initiatief=initiatief, status=Meldingstatus.OPGENOMEN).count()
    volgen = kan_volgen(initiatief)
    if not aantal and not volgen:
        return ""
    cyclus = initiatief.wijkprogramma.cyclus
    return render_to_string(
        "participation/_initiatief_panel.html",
        {"initiatief": initiatief, "cyclus": cyclus, "aantal": aantal, "kan_volgen": volgen},
    )
