"""The "Mijn werk" section of the wijkprogramma: initiatives waiting for the toezegging of
an accounthouder's cluster (registered on import, from ``CycleConfig.ready``)."""

# The initiatives of an accounthouder's cluster(s) waiting for their answer, in every
# werkgebied of their gebied(en), while the programme is still drafted: the first few, with
# the total and a link to all of them (two queries).
TOEZEGGINGEN_MAX = 10


def toezeggingen_sectie(user, assignments) -> str:
    from django.template.loader import render_to_string

    from people.models import Rol

    from .selectors_programma import toezeggingen_voor_accounthouder

    if not any(a.rol == Rol.ACCOUNTHOUDER for a in assignments):
        return ""
    wachtend = toezeggingen_voor_accounthouder(user, assignments)
    rows = list(wachtend[:TOEZEGGINGEN_MAX])
    aantal = len(rows) if len(rows) < TOEZEGGINGEN_MAX else wachtend.count()
    return render_to_string(
        "cycle/programma/_mijn_werk.html", {"initiatieven": rows, "aantal": aantal}
    )


def _register_toezeggingen_sectie():
    from .mijn_werk import register_sectie

    register_sectie(toezeggingen_sectie)


_register_toezeggingen_sectie()
