"""The "Mijn werk" sections of the products' content: registered on import (from
``CycleConfig.ready``)."""


# The checklist "Wat is er aan de hand in de wijk?": the open checklists a resident or
# professional may fill in or still change (cycle/selectors_checklist.py).
def checklist_sectie(user, assignments) -> str:
    from django.template.loader import render_to_string

    from .selectors_checklist import open_checklists

    inhoud = open_checklists(user, assignments)
    if not inhoud["regels"]:
        return ""
    return render_to_string("cycle/checklist/_mijn_werk.html", inhoud)


def _register_checklist_sectie():
    from .mijn_werk import register_sectie

    register_sectie(checklist_sectie)


_register_checklist_sectie()


# The beleidssignalen addressed to an accounthouder's cluster(s) that wait for an answer, in
# every werkgebied of their gebied(en): the first few, with the total (two queries).
BELEIDSSIGNALEN_MAX = 10


def beleidssignalen_sectie(user, assignments) -> str:
    from django.template.loader import render_to_string

    from people.models import Rol

    from .selectors_agenda import signalen_voor_accounthouder

    if not any(a.rol == Rol.ACCOUNTHOUDER for a in assignments):
        return ""
    signalen = signalen_voor_accounthouder(user, assignments)
    rows = list(signalen[:BELEIDSSIGNALEN_MAX])
    aantal = len(rows) if len(rows) < BELEIDSSIGNALEN_MAX else signalen.count()
    return render_to_string("cycle/agenda/_mijn_werk.html", {"signalen": rows, "aantal": aantal})


def _register_beleidssignalen_sectie():
    from .mijn_werk import register_sectie

    register_sectie(beleidssignalen_sectie)


_register_beleidssignalen_sectie()
