"""Reads of the wijk-MT (the werkgebied's management team: the wijkmanager as chair, the
accounthouders of the clusters active there, a wijkraad delegation): who sits in it, and the
overview of every initiative being carried out, at a glance."""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import Cluster, Rol, Roltoewijzing

from .models import (
    Besluit,
    Fase,
    Initiatief,
    Knelpunt,
    Overleg,
    Toezegging,
    WijkMTDelegatie,
    WijkMTLid,
    te_laat,
)

# The phases whose initiatives the wijk-MT follows: the execution year, and the year being
# accounted for (its knelpunten may still be open).
MT_FASEN = (Fase.UITVOERING, Fase.VERANTWOORDING)
LANGE_TEKSTEN = (
    "beoogd_effect",
    "toezegging_reden",
    "stopreden",
    "afloop_reden",
    "oordeel_toelichting",
    "agendapunt__probleem",
    "agendapunt__onderbouwing",
    "wijkprogramma__toelichting",
    "wijkprogramma__bestedingsvoorstel",
)


def leden(werkgebied) -> dict:
    """The members, from the roles: the wijkmanagers (chair), the accounthouders whose
    cluster owns an initiative being carried out here, and the wijkraadsleden the chair chose
    for the delegation while their role lasts (one query for the roles, one for the active
    clusters). ``wijkraad_overig``: the other wijkraadsleden (not in the delegation)."""
    clusters = set(
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied=werkgebied,
            wijkprogramma__cyclus__fase__in=MT_FASEN,
            cluster__isnull=False,
        ).values_list("cluster_id", flat=True)
    )
    rollen = (
        Roltoewijzing.objects.active()
        .filter(
            Q(werkgebied=werkgebied) | Q(gebied_id=werkgebied.gebied_id),
            rol__in=(Rol.WIJKMANAGER, Rol.ACCOUNTHOUDER, Rol.WIJKRAADSLID),
            user__is_active=True,
        )
        .select_related("user", "cluster")
        .annotate(
            in_delegatie=Exists(
                WijkMTLid.objects.filter(
                    delegatie__werkgebied=werkgebied, user_id=OuterRef("user_id")
                )
            )
        )
        .order_by("rol", "user__naam", "user__pk")
    )
    per_rol = {Rol.WIJKMANAGER: [], Rol.ACCOUNTHOUDER: [], Rol.WIJKRAADSLID: []}
    overig = []
    gezien = set()
    for rol in rollen:
        if rol.rol == Rol.ACCOUNTHOUDER and rol.cluster_id not in clusters:
            continue
        sleutel = (rol.rol, rol.user_id, rol.cluster_id)
        if sleutel in gezien:
            continue
        gezien.add(sleutel)
        if rol.rol == Rol.WIJKRAADSLID and not rol.in_delegatie:
            overig.append(rol)
            continue
        per_rol[rol.rol].append(rol)
    return {
        "voorzitters": per_rol[Rol.WIJKMANAGER],
        "accounthouders": per_rol[Rol.ACCOUNTHOUDER],
        "wijkraad": per_rol[Rol.WIJKRAADSLID],
        "wijkraad_overig": overig,
    }


def initiatieven(werkgebied, *, cluster: Cluster | None = None):
    """Every initiative being carried out in ``werkgebied`` (committed, in a cycle in
    execution or accounting), with its owner, trekker, status, last update, whether it is
    overdue and how many knelpunten are open, in cycle and agenda order; ``cluster`` narrows
    it to one owner."""
    vandaag = timezone.localdate()
    qs = (
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied=werkgebied,
            wijkprogramma__cyclus__fase__in=MT_FASEN,
            toezegging=Toezegging.TOEGEZEGD,
        )
        .select_related("wijkprogramma__cyclus", "agendapunt", "cluster", "partner")
        # The overview shows titles: the long texts stay in the database.
        .defer(*LANGE_TEKSTEN)
        .annotate(
            # A correlated count, not a join with GROUP BY: grouping by every selected column
            # cost PostgreSQL 36 ms of planning for 22 rows at city scale.
            open_knelpunten=Coalesce(
                Subquery(
                    Knelpunt.objects.filter(initiatief=OuterRef("pk"), opgelost_op__isnull=True)
                    .order_by()
                    .values("initiatief")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            is_te_laat_nu=ExpressionWrapper(te_laat(vandaag), output_field=BooleanField()),
        )
        .order_by("-wijkprogramma__cyclus__jaar", "agendapunt__rang", "pk")
    )
    if cluster is not None:
        qs = qs.filter(cluster=cluster)
    return qs


def clusters_in(werkgebied) -> list[Cluster]:
    """The clusters that own an initiative the wijk-MT follows (for the filter)."""
    return list(
        Cluster.objects.filter(
            initiatieven__wijkprogramma__cyclus__werkgebied=werkgebied,
            initiatieven__wijkprogramma__cyclus__fase__in=MT_FASEN,
        )
        .distinct()
        .order_by("naam")
    )


def open_knelpunten(werkgebied, limit: int = 20) -> list[Knelpunt]:
    """The knelpunten still open, oldest first: the wijk-MT's list."""
    return list(
        Knelpunt.objects.filter(
            initiatief__wijkprogramma__cyclus__werkgebied=werkgebied,
            opgelost_op__isnull=True,
        )
        .select_related("initiatief__wijkprogramma__cyclus", "gemeld_door")
        .order_by("gemeld_op", "pk")[:limit]
    )


# ------------------------------------------------------------- delegation, meetings


def delegatie_versie(werkgebied) -> int:
    """The version of the delegation (0: nobody chose yet), for the form's stale check."""
    return (
        WijkMTDelegatie.objects.filter(werkgebied=werkgebied)
        .values_list("versie", flat=True)
        .first()
        or 0
    )


def overleggen(werkgebied):
    """The meetings of ``werkgebied``'s wijk-MT, newest first, each with its number of
    decisions (one query per page)."""
    return (
        Overleg.objects.filter(werkgebied=werkgebied)
        .annotate(aantal_besluiten=Count("besluiten"))
        .order_by("-datum", "-pk")
    )


def overleg(werkgebied, pk: int) -> Overleg | None:
    return (
        Overleg.objects.filter(werkgebied=werkgebied, pk=pk)
        .select_related("werkgebied__gebied", "aangemaakt_door")
        .first()
    )


def besluiten(overleg: Overleg) -> list[Besluit]:
    """The besluitenlijst of ``overleg``, in the order decided, with what each points at."""
    rijen = list(
        Besluit.objects.filter(overleg=overleg)
        .select_related(
            "actiehouder",
            "initiatief__wijkprogramma__cyclus",
            "knelpunt__initiatief__wijkprogramma__cyclus",
        )
        .order_by("pk")
    )
    for besluit in rijen:
        besluit.overleg = overleg
    return rijen


def besluiten_bij_initiatief(initiatief) -> list[Besluit]:
    """The decisions about ``initiatief`` or one of its knelpunten, newest meeting first."""
    return list(
        Besluit.objects.filter(Q(initiatief=initiatief) | Q(knelpunt__initiatief=initiatief))
        .select_related("overleg", "actiehouder")
        .order_by("-overleg__datum", "-overleg_id", "pk")
    )


def besluiten_per_knelpunt(knelpunt_ids) -> dict[int, list[Besluit]]:
    """The decisions about each of these knelpunten (one query)."""
    per_knelpunt: dict[int, list[Besluit]] = {}
    for besluit in (
        Besluit.objects.filter(knelpunt_id__in=list(knelpunt_ids))
        .select_related("overleg", "actiehouder")
        .order_by("overleg__datum", "pk")
    ):
        per_knelpunt.setdefault(besluit.knelpunt_id, []).append(besluit)
    return per_knelpunt


def te_koppelen_initiatieven(werkgebied, *, huidig_id=None):
    """The initiatives a decision may point at in the form: those the wijk-MT follows, and
    the one it points at now."""
    filter_ = Q(
        wijkprogramma__cyclus__werkgebied=werkgebied,
        wijkprogramma__cyclus__fase__in=MT_FASEN,
        toezegging=Toezegging.TOEGEZEGD,
    )
    if huidig_id is not None:
        filter_ |= Q(pk=huidig_id)
    return (
        Initiatief.objects.filter(filter_)
        .select_related("wijkprogramma__cyclus")
        .order_by("-wijkprogramma__cyclus__jaar", "agendapunt__rang", "pk")
    )


def te_koppelen_knelpunten(werkgebied, *, huidig_id=None):
    """The knelpunten a decision may point at in the form: the open ones of the werkgebied,
    and the one it points at now."""
    filter_ = Q(initiatief__wijkprogramma__cyclus__werkgebied=werkgebied, opgelost_op__isnull=True)
    if huidig_id is not None:
        filter_ |= Q(pk=huidig_id)
    return Knelpunt.objects.filter(filter_).select_related("initiatief").order_by("gemeld_op", "pk")
