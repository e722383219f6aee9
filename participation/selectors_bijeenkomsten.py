"""Reads of bijeenkomsten: the calendars (public meetings, the coming ones first in date order,
then those that took place, newest first, with their outcome), the coming meetings of a cycle,
the findings of a wijkschouw and the meetings waiting for their outcome notes. Each is one
query (a page of a list: two, with its count), whatever the number of meetings."""

from django.db.models import BooleanField, Case, DateTimeField, Q, Value, When
from django.utils import timezone

from .models_bijeenkomsten import Bevinding, Bijeenkomst

# The feed reaches this far back; the coming meetings all.
FEED_TERUG_DAGEN = 90
FEED_MAX = 1000


def _kalender_volgorde(queryset, now=None):
    """The coming meetings first (soonest first), then those that ended (latest first)."""
    now = now or timezone.now()
    voorbij = Q(einde__lt=now)
    return queryset.annotate(
        voorbij=Case(
            When(voorbij, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        komend_begin=Case(When(~voorbij, then="begin"), output_field=DateTimeField()),
        voorbij_begin=Case(When(voorbij, then="begin"), output_field=DateTimeField()),
    ).order_by("voorbij", "komend_begin", "-voorbij_begin", "-pk")


def openbare_bijeenkomsten(*, werkgebied=None, soort: str = ""):
    queryset = Bijeenkomst.objects.filter(openbaar=True).select_related("werkgebied")
    if werkgebied is not None:
        queryset = queryset.filter(werkgebied=werkgebied)
    if soort:
        queryset = queryset.filter(soort=soort)
    return _kalender_volgorde(queryset)


def bijeenkomst(werkgebied, pk) -> Bijeenkomst | None:
    return (
        Bijeenkomst.objects.select_related("werkgebied", "cyclus")
        .filter(werkgebied=werkgebied, pk=pk)
        .first()
    )


def feed(*, werkgebied=None) -> list[Bijeenkomst]:
    """The public meetings of the feed: those of the last ``FEED_TERUG_DAGEN`` days and every
    coming one (at most ``FEED_MAX``), in date order."""
    grens = timezone.now() - timezone.timedelta(days=FEED_TERUG_DAGEN)
    queryset = Bijeenkomst.objects.filter(openbaar=True, begin__gte=grens).select_related(
        "werkgebied"
    )
    if werkgebied is not None:
        queryset = queryset.filter(werkgebied=werkgebied)
    return list(queryset.order_by("begin", "pk")[:FEED_MAX])


def komende_van_cyclus(cyclus, limit: int = 5) -> list[Bijeenkomst]:
    return list(
        Bijeenkomst.objects.filter(
            cyclus=cyclus, openbaar=True, geannuleerd=False, einde__gte=timezone.now()
        )
        .select_related("werkgebied")
        .order_by("begin", "pk")[:limit]
    )


def zonder_verslag(
    *, werkgebied_ids, gebied_ids, wijkraad_ids=(), wijkraad_gebied_ids=(), limit: int = 10
) -> list[Bijeenkomst]:
    """Meetings that took place and still lack their outcome notes, oldest first: every kind
    in the werkgebieden (and gebieden) of a wijkmanager, the wijkraad's own meetings in those of
    a wijkraadslid. At most ``limit + 1`` (the caller says "and more")."""
    scope = Q(werkgebied_id__in=werkgebied_ids) | Q(werkgebied__gebied_id__in=gebied_ids)
    scope |= Q(soort="wijkraadvergadering") & (
        Q(werkgebied_id__in=wijkraad_ids) | Q(werkgebied__gebied_id__in=wijkraad_gebied_ids)
    )
    if not (werkgebied_ids or gebied_ids or wijkraad_ids or wijkraad_gebied_ids):
        return []
    return list(
        Bijeenkomst.objects.filter(scope, einde__lt=timezone.now(), geannuleerd=False, verslag="")
        .select_related("werkgebied")
        .order_by("begin", "pk")[: limit + 1]
    )


def bevindingen(bijeenkomst) -> list[Bevinding]:
    return list(
        Bevinding.objects.filter(bijeenkomst=bijeenkomst)
        .select_related("wijk", "melding", "ingediend_door")
        .order_by("ingediend_op", "pk")
    )


def bevindingen_qs(bijeenkomst):
    return (
        Bevinding.objects.filter(bijeenkomst=bijeenkomst)
        .select_related("wijk", "melding", "ingediend_door")
        .order_by("ingediend_op", "pk")
    )
