"""The bewonersinitiatieven on "Mijn wijk" (the applicant's own applications) and on "Mijn
werk" (the decider's werkgebieden, with decisions over their term flagged). Fixed queries."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Rol
from places.models import Werkgebied

from .models_bi import Beslisser, Bewonersinitiatief, BIStatus

SECTIE_GROOTTE = 10
OPEN = (BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING)


def mijn_wijk_sectie(request, pagina: str, csrf_token: str) -> str:
    qs = (
        Bewonersinitiatief.objects.filter(aanvrager=request.user)
        .select_related("werkgebied")
        .only("titel", "status", "aangemaakt_op", "werkgebied__slug", "werkgebied__naam")
        .order_by("-aangemaakt_op", "-pk")
    )
    page = Paginator(qs, SECTIE_GROOTTE).get_page(pagina)
    return render_to_string(
        "budgets/_mijn_wijk_bi.html", {"page": page, "param": "bewonersinitiatieven-pagina"}
    )


def _beslis_werkgebieden(assignments):
    """Werkgebieden where the user decides (or, as wijkmanager, pays): ids and gebied ids."""
    wr, wm, wm_gebied = set(), set(), set()
    for a in assignments:
        if a.rol == Rol.WIJKRAADSLID and a.werkgebied_id:
            wr.add(a.werkgebied_id)
        elif a.rol == Rol.WIJKMANAGER:
            if a.werkgebied_id:
                wm.add(a.werkgebied_id)
            elif a.gebied_id:
                wm_gebied.add(a.gebied_id)
    return wr, wm, wm_gebied


def mijn_werk_sectie(user, assignments) -> str:
    wr, wm, wm_gebied = _beslis_werkgebieden(assignments)
    if not (wr or wm or wm_gebied):
        return ""
    vandaag = timezone.localdate()
    wijkmanager = Q(pk__in=wm) | Q(gebied_id__in=wm_gebied)
    open_ = Q(bewonersinitiatieven__status__in=OPEN)
    rijen = list(
        Werkgebied.objects.filter(Q(pk__in=wr) | wijkmanager)
        .annotate(
            open=Count("bewonersinitiatieven", filter=open_),
            te_laat=Count(
                "bewonersinitiatieven",
                filter=open_ & Q(bewonersinitiatieven__beslis_uiterlijk__lt=vandaag),
            ),
            te_betalen=Count(
                "bewonersinitiatieven",
                filter=Q(bewonersinitiatieven__status=BIStatus.TOEGEKEND),
            ),
        )
        .select_related("bi_regeling")
        .order_by("naam")
    )
    for rij in rijen:
        regeling = getattr(rij, "bi_regeling", None)
        beslisser = regeling.beslisser if regeling else Beslisser.WIJKRAAD
        rij.beslist = (beslisser == Beslisser.WIJKRAAD and rij.pk in wr) or (
            beslisser == Beslisser.WIJKMANAGER and (rij.pk in wm or rij.gebied_id in wm_gebied)
        )
        rij.betaalt = rij.pk in wm or rij.gebied_id in wm_gebied
    rijen = [r for r in rijen if r.beslist or r.betaalt]
    if not rijen:
        return ""
    return render_to_string("budgets/_mijn_werk_bi.html", {"rijen": rijen})
