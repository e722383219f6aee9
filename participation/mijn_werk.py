"""The meldingen part of "Mijn werk": for a wijkmanager, how many meldingen wait in each of
their werkgebieden (and how many are late); for an accounthouder, the meldingen forwarded to
their cluster; for a beheerder, those of wijken without a wijkraad. Three queries at most,
whatever the numbers."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Rol
from people.predicates import is_beheerder
from places.models import Werkgebied

from . import selectors
from .models import OPEN_STATUSSEN, Melding

DOORGEZET_MAX = 10


def meldingen_sectie(user, assignments) -> str:
    werkgebieden, gebieden = set(), set()
    for a in assignments:
        if a.rol == Rol.WIJKMANAGER:
            if a.werkgebied_id:
                werkgebieden.add(a.werkgebied_id)
            elif a.gebied_id:
                gebieden.add(a.gebied_id)
    triage = []
    if werkgebieden or gebieden:
        open_ = Q(meldingen__status__in=OPEN_STATUSSEN)
        triage = list(
            Werkgebied.objects.filter(Q(pk__in=werkgebieden) | Q(gebied_id__in=gebieden))
            .annotate(
                open=Count("meldingen", filter=open_),
                nieuw=Count("meldingen", filter=Q(meldingen__status="nieuw")),
                te_laat=Count(
                    "meldingen",
                    filter=open_ & Q(meldingen__termijn_op__lt=timezone.localdate()),
                ),
            )
            .order_by("naam")
            .only("naam", "slug")
        )
    doorgezet = None
    if any(a.rol == Rol.ACCOUNTHOUDER for a in assignments):
        rows = list(selectors.doorgezet_naar(user)[: DOORGEZET_MAX + 1])
        doorgezet = {"rows": rows[:DOORGEZET_MAX], "meer": len(rows) > DOORGEZET_MAX}
    # Wijken without a wijkraad have no wijkmanager: their meldingen are the beheerders'.
    zonder_wijkraad = None
    if is_beheerder(user):
        open_ = Q(status__in=OPEN_STATUSSEN)
        zonder_wijkraad = Melding.objects.filter(werkgebied__isnull=True).aggregate(
            open=Count("pk", filter=open_),
            nieuw=Count("pk", filter=Q(status="nieuw")),
            te_laat=Count("pk", filter=open_ & Q(termijn_op__lt=timezone.localdate())),
        )
    if not triage and doorgezet is None and zonder_wijkraad is None:
        return ""
    return render_to_string(
        "participation/_mijn_werk.html",
        {
            "triage": triage,
            "doorgezet": doorgezet,
            "zonder_wijkraad": zonder_wijkraad,
            "today": timezone.localdate(),
        },
    )
