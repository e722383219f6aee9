"""The "Mijn werk" section of the execution year: the initiatives an accounthouder (or
trekker) reports on, with the link to the bulk update (registered on import, from
``CycleConfig.ready``)."""


# How many initiatives this user reports on (as accounthouder of their cluster, or as
# trekker), how many are overdue and how many had no recent update: one query.
def voortgang_sectie(user, assignments) -> str:
    from django.template.loader import render_to_string

    from people.models import Rol

    from .selectors_uitvoering import STIL_NA_DAGEN, mijn_werk_cijfers

    cijfers = mijn_werk_cijfers(user, assignments)
    is_accounthouder = any(a.rol == Rol.ACCOUNTHOUDER for a in assignments)
    if not cijfers["totaal"] and not is_accounthouder:
        return ""
    return render_to_string(
        "cycle/uitvoering/_mijn_werk.html", {**cijfers, "stil_na_dagen": STIL_NA_DAGEN}
    )


def _register_voortgang_sectie():
    from .mijn_werk import register_sectie

    register_sectie(voortgang_sectie)


_register_voortgang_sectie()
