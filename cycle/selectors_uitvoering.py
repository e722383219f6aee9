"""Reads of the execution year: one initiative with its progress and knelpunten, the
knelpunten of a cycle, the initiatives a user reports on (the bulk update and "Mijn werk").
Each in a fixed number of queries; the scope of "what I report on" is the same as the rule
``cycle.report_initiatief`` (see ``cycle.rules``), written as a query."""

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from people.models import Rol

from .models import (
    AFGESLOTEN_STATUSSEN,
    Fase,
    Initiatief,
    Knelpunt,
    Toezegging,
    Voortgang,
    te_laat,
)

# An initiative whose latest update is older than this "has no recent update" ("Mijn werk").
STIL_NA_DAGEN = 30

_INITIATIEF_RELATIES = (
    "wijkprogramma__cyclus__werkgebied__gebied",
    "wijkprogramma__cyclus__werkgebied__taakverdeling",
    "agendapunt",
    "cluster",
    "partner",
    "wijkopgave__akkoord__werkgebied",
    "doel",
)
# The long texts of the products stay in the database: these pages show the initiative.
_PRODUCT_TEKSTEN = (
    "wijkprogramma__toelichting",
    "wijkprogramma__bestedingsvoorstel",
    "wijkprogramma__correctie_reden",
    "agendapunt__probleem",
    "agendapunt__onderbouwing",
)


def initiatief(*, slug: str, jaar: int, pk: int) -> Initiatief | None:
    """One initiative of the cycle of ``slug`` in ``jaar``, with its programme, cycle,
    werkgebied, agendapunt and owner (one query); None when there is no such initiative."""
    return (
        Initiatief.objects.select_related(*_INITIATIEF_RELATIES)
        .defer(*_PRODUCT_TEKSTEN)
        .filter(
            pk=pk,
            wijkprogramma__cyclus__werkgebied__slug=slug,
            wijkprogramma__cyclus__jaar=jaar,
        )
        .first()
    )


def voortgang(initiatief: Initiatief) -> QuerySet[Voortgang]:
    """The progress updates, newest first (for a paginator: a count and a page)."""
    return (
        Voortgang.objects.filter(initiatief=initiatief)
        .select_related("auteur")
        .only(
            "initiatief_id",
            "datum",
            "percentage",
            "mijlpaal",
            "tekst",
            "status",
            "aangemaakt_op",
            "auteur__naam",
        )
        .order_by("-datum", "-pk")
    )


def _open_eerst(queryset: QuerySet[Knelpunt]) -> QuerySet[Knelpunt]:
    """Open knelpunten first (oldest first: longest waiting), then the resolved ones (most
    recently resolved first)."""
    return queryset.order_by(
        F("opgelost_op").desc(nulls_first=True), "gemeld_op", "pk"
    ).select_related("gemeld_door", "opgelost_door")


def knelpunten(initiatief: Initiatief) -> list[Knelpunt]:
    """All knelpunten of one initiative (one query); each walks to the werkgebied through the
    initiative already loaded, so the permission checks cost no query."""
    rows = list(_open_eerst(Knelpunt.objects.filter(initiatief=initiatief)))
    for knelpunt in rows:
        knelpunt.initiatief = initiatief
    return rows


def knelpunten_van_cyclus(cyclus) -> QuerySet[Knelpunt]:
    """The knelpunten of all initiatives of ``cyclus``: open first, then resolved."""
    return _open_eerst(
        Knelpunt.objects.filter(initiatief__wijkprogramma__cyclus=cyclus).select_related(
            "initiatief"
        )
    ).defer("initiatief__beoogd_effect", "initiatief__stopreden", "initiatief__toezegging_reden")


def open_knelpunten_aantal(cyclus) -> int:
    return Knelpunt.objects.filter(
        initiatief__wijkprogramma__cyclus=cyclus, opgelost_op__isnull=True
    ).count()


# ------------------------------------------------------- what a user reports on


def _scope(user, assignments, *, als_wijkmanager: bool = True) -> Q | None:
    """The initiatives ``user`` may report on, as a filter: those of the clusters of their
    accounthouder roles in the werkgebieden of those roles' areas, those they are the trekker
    of, and (``als_wijkmanager``) all of the werkgebieden they run. None: nothing."""
    scope = Q()
    for a in assignments:
        if a.rol == Rol.ACCOUNTHOUDER and a.cluster_id:
            if a.werkgebied_id:
                scope |= Q(
                    cluster_id=a.cluster_id,
                    wijkprogramma__cyclus__werkgebied_id=a.werkgebied_id,
                )
            elif a.gebied_id:
                scope |= Q(
                    cluster_id=a.cluster_id,
                    wijkprogramma__cyclus__werkgebied__gebied_id=a.gebied_id,
                )
        elif a.rol == Rol.WIJKMANAGER and als_wijkmanager:
            if a.werkgebied_id:
                scope |= Q(wijkprogramma__cyclus__werkgebied_id=a.werkgebied_id)
            elif a.gebied_id:
                scope |= Q(wijkprogramma__cyclus__werkgebied__gebied_id=a.gebied_id)
    if user is not None and user.is_authenticated:
        scope |= Q(trekker_id=user.pk)
    return scope or None


def _lopend(queryset: QuerySet[Initiatief]) -> QuerySet[Initiatief]:
    """Committed initiatives of cycles in their execution year, not yet finished."""
    return queryset.filter(
        wijkprogramma__cyclus__fase=Fase.UITVOERING, toezegging=Toezegging.TOEGEZEGD
    ).exclude(status__in=AFGESLOTEN_STATUSSEN)


def te_melden(user, assignments) -> QuerySet[Initiatief]:
    """The initiatives of the bulk update, by werkgebied, year and agendapunt rank (a stable
    order: the pages of the list each post their own rows)."""
    scope = _scope(user, assignments)
    if scope is None:
        return Initiatief.objects.none()
    return (
        _lopend(Initiatief.objects.filter(scope))
        .select_related("wijkprogramma__cyclus__werkgebied", "agendapunt")
        .only(
            "titel",
            "status",
            "percentage",
            "eind",
            "verwacht_eind",
            "laatste_update",
            "versie",
            "toezegging",
            "cluster_id",
            "trekker_id",
            "wijkprogramma__status",
            "wijkprogramma__cyclus__jaar",
            "wijkprogramma__cyclus__fase",
            "wijkprogramma__cyclus__werkgebied__naam",
            "wijkprogramma__cyclus__werkgebied__slug",
            "wijkprogramma__cyclus__werkgebied__gebied_id",
            "agendapunt__rang",
            "agendapunt__titel",
        )
        .order_by(
            "wijkprogramma__cyclus__werkgebied__naam",
            "wijkprogramma__cyclus__jaar",
            "agendapunt__rang",
            "pk",
        )
    )


def mijn_werk_cijfers(user, assignments, *, today: datetime.date | None = None) -> dict:
    """For an accounthouder or trekker: how many initiatives they report on, how many are
    overdue (``Initiatief.is_te_laat``) and how many had no update in ``STIL_NA_DAGEN`` days
    (or none at all). One query."""
    scope = _scope(user, assignments, als_wijkmanager=False)
    if scope is None:
        return {"totaal": 0, "te_laat": 0, "stil": 0}
    today = today or timezone.localdate()
    grens = timezone.now() - datetime.timedelta(days=STIL_NA_DAGEN)
    return _lopend(Initiatief.objects.filter(scope)).aggregate(
        totaal=Count("pk"),
        te_laat=Count("pk", filter=te_laat(today)),
        stil=Count("pk", filter=Q(laatste_update__isnull=True) | Q(laatste_update__lt=grens)),
    )
