"""The consultations part of a wijkmanager's "Mijn werk": per consultation of a product still
in consultation in their werkgebieden, how many placed reactions wait for an answer. One
query whatever the numbers."""

from django.template.loader import render_to_string

from people.models import Rol

from . import selectors_consultatie as selectors


def consultaties_sectie(user, assignments) -> str:
    werkgebieden, gebieden = set(), set()
    for a in assignments:
        if a.rol == Rol.WIJKMANAGER:
            if a.werkgebied_id:
                werkgebieden.add(a.werkgebied_id)
            elif a.gebied_id:
                gebieden.add(a.gebied_id)
    if not werkgebieden and not gebieden:
        return ""
    consultaties = list(selectors.consultaties_voor_wijkmanager(werkgebieden, gebieden))
    if not consultaties:
        return ""
    return render_to_string(
        "participation/_mijn_werk_consultaties.html", {"consultaties": consultaties}
    )
