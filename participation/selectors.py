"""Reads of meldingen that pages need, each a fixed number of queries. Public reads never
select the reporter's address."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from people.models import Rol
from people.roles import active_assignments

from .models import OPEN_STATUSSEN, Melding


def _lijst(qs: QuerySet) -> QuerySet:
    """What a list shows: the text only where a template may show it (it can be long), and
    never the reporter's address."""
    return qs.select_related("thema", "wijk").only(
        "code",
        "status",
        "ingediend_op",
        "termijn_op",
        "steun",
        "publiceerbaar",
        "tekst",
        "hoofdmelding_id",
        "werkgebied_id",
        "thema__naam",
        "wijk__naam",
        "wijk__slug",
    )


def vergelijkbaar(*, wijk, thema, today=None, limit: int = 10) -> list[Melding]:
    """Open meldingen of the same theme in the same wijk from the last 30 days: "Is dit al
    gemeld?" (main meldingen only: support goes to the one that is handled)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time.min)
    )
    return list(
        _lijst(
            Melding.objects.filter(
                wijk=wijk,
                thema=thema,
                status__in=OPEN_STATUSSEN,
                hoofdmelding__isnull=True,
                ingediend_op__gte=since,
            )
        ).order_by("-steun", "-ingediend_op")[:limit]
    )


def openbare_meldingen(*, wijk=None, thema=None, status=None) -> QuerySet[Melding]:
    qs = Melding.objects.all()
    if wijk is not None:
        qs = qs.filter(wijk=wijk)
    if thema is not None:
        qs = qs.filter(thema=thema)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSSEN)
    elif status:
        qs = qs.filter(status=status)
    return _lijst(qs).order_by("-ingediend_op", "-pk")


def triage_lijst(
    *, werkgebied, status="open", thema=None, wijk=None, leeftijd="", te_laat=False, today=None
) -> QuerySet[Melding]:
    today = today or timezone.localdate()
    qs = Melding.objects.filter(werkgebied=werkgebied)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSSEN)
    elif status:
        qs = qs.filter(status=status)
    if thema is not None:
        qs = qs.filter(thema=thema)
    if wijk is not None:
        qs = qs.filter(wijk=wijk)
    if leeftijd:
        grens = timezone.now() - datetime.timedelta(days=7 if leeftijd == "week" else 30)
        qs = (
            qs.filter(ingediend_op__lt=grens)
            if leeftijd == "ouder"
            else qs.filter(ingediend_op__gte=grens)
        )
    if te_laat:
        qs = qs.filter(status__in=OPEN_STATUSSEN, termijn_op__lt=today)
    # Oldest deadline first: what is due comes up top.
    return _lijst(qs).order_by("termijn_op", "pk")


def doorgezet_naar(user) -> QuerySet[Melding]:
    """Meldingen forwarded to a cluster of ``user``'s accounthouder roles, in their gebied."""
    condition = Q(pk__in=[])
    for a in active_assignments(user):
        if a.rol == Rol.ACCOUNTHOUDER and a.cluster_id and a.gebied_id:
            condition |= Q(cluster_id=a.cluster_id, werkgebied__gebied_id=a.gebied_id)
    return _lijst(Melding.objects.filter(condition, status="doorgezet")).order_by(
        "termijn_op", "pk"
    )


def historie(melding: Melding) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_objects(melding).order_by("timestamp", "pk")
