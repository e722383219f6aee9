"""Reads of the wijkprogramma's content: the initiatives grouped per agendapunt (in the agenda's
rank order), what each user may do with them, and the initiatives waiting for an
accounthouder's toezegging. A fixed number of queries whatever the number of initiatives.

What the public reads: the initiatives, their owner, trekker, planning, money and the state of
the toezegging. The reason an owner declined is for those involved in the werkgebied only: it
is part of the negotiation, not of the programme."""

from decimal import Decimal

from django.db.models import Q, QuerySet

from people.models import Rol

from .models import (
    Afloop,
    Agendapunt,
    Fase,
    Financiering,
    Initiatief,
    Productstatus,
    Toezegging,
)

# Once the cycle is executed, each initiative shows its execution status and progress.
UITVOERING_FASEN = (Fase.UITVOERING, Fase.VERANTWOORDING, Fase.AFGEROND)


def initiatieven(programma) -> list[Initiatief]:
    """The programme's initiatives with their owner (one query)."""
    rows = list(
        Initiatief.objects.filter(wijkprogramma=programma)
        .select_related("cluster", "partner", "wijkopgave__akkoord__werkgebied", "doel")
        .order_by("pk")
    )
    for initiatief in rows:
        # The permission predicates walk to the werkgebied: no query per initiative.
        initiatief.wijkprogramma = programma
    return rows


def agendapunten(programma) -> list[Agendapunt]:
    """The points of this cycle's wijkagenda, in rank order (one query)."""
    return list(
        Agendapunt.objects.filter(wijkagenda__cyclus_id=programma.cyclus_id)
        .only("pk", "rang", "titel", "wijkagenda_id")
        .order_by("rang", "pk")
    )


# How many carried-over initiatives a drafter's page lists (older ones are a sign that a
# werkgebied let them lapse; the list says how many there are).
DOORGESCHOVEN_MAX = 20


def wachtend_doorgeschoven(programma) -> QuerySet[Initiatief]:
    """The initiatives of earlier cycles of the programme's werkgebied that were carried over
    while no later programme was being drafted, and that no programme has taken over yet;
    the most recent year first."""
    cyclus = programma.cyclus
    return (
        Initiatief.objects.filter(
            afloop=Afloop.DOORGESCHOVEN,
            doorgeschoven_naar__isnull=True,
            wijkprogramma__cyclus__werkgebied_id=cyclus.werkgebied_id,
            wijkprogramma__cyclus__jaar__lt=cyclus.jaar,
        )
        .select_related("wijkprogramma__cyclus", "agendapunt", "cluster", "partner")
        .order_by("-wijkprogramma__cyclus__jaar", "agendapunt__rang", "pk")
    )


def wijkprogramma_inhoud(programma, user) -> dict:
    """What ``templates/cycle/inhoud/wijkprogramma.html`` (and the snapshot) shows for
    ``user`` (an AnonymousUser for the public and the snapshot)."""
    punten = agendapunten(programma)
    rows = initiatieven(programma)
    mag_bewerken = user.has_perm("cycle.edit_product", programma)
    # Those involved in the werkgebied read why an owner declined.
    betrokken = user.is_authenticated and user.has_perm("cycle.view_concept", programma)
    per_punt: dict[int, list[Initiatief]] = {punt.pk: [] for punt in punten}
    for initiatief in rows:
        initiatief.mag_antwoorden = user.has_perm("cycle.commit_initiatief", initiatief)
        initiatief.toon_reden = betrokken and initiatief.toezegging == Toezegging.AFGEWEZEN
        per_punt.setdefault(initiatief.agendapunt_id, []).append(initiatief)
    groepen = [{"punt": punt, "initiatieven": per_punt[punt.pk]} for punt in punten]
    tellingen = {state: 0 for state in Toezegging.values}
    for initiatief in rows:
        tellingen[initiatief.toezegging] += 1
    totaal = sum((i.bedrag for i in rows), Decimal(0))
    wijkbudget = sum(
        (i.bedrag for i in rows if i.financiering == Financiering.WIJKBUDGET), Decimal(0)
    )
    return {
        "groepen": groepen,
        "aantal": len(rows),
        "toegezegd": tellingen[Toezegging.TOEGEZEGD],
        "gevraagd": tellingen[Toezegging.GEVRAAGD],
        "afgewezen": tellingen[Toezegging.AFGEWEZEN],
        "punten_zonder": sum(1 for groep in groepen if not groep["initiatieven"]),
        "totaal": totaal,
        "wijkbudget": wijkbudget,
        "eigen_budget": totaal - wijkbudget,
        "mag_bewerken": mag_bewerken,
        "toon_uitvoering": programma.cyclus.fase in UITVOERING_FASEN,
        # For its drafter: what earlier years carried over and waits to be taken over.
        "doorgeschoven": list(wachtend_doorgeschoven(programma)[: DOORGESCHOVEN_MAX + 1])
        if mag_bewerken
        else [],
        "doorgeschoven_max": DOORGESCHOVEN_MAX,
    }


# ------------------------------------------------------------------- "Mijn werk"


def _programma_bewerkbaar() -> Q:
    """The programme can still be changed (and so answered): concept or in consultation while
    the cycle is in its programme phase, or reopened for a correction (as
    ``Product.is_bewerkbaar``)."""
    return Q(wijkprogramma__status=Productstatus.CORRECTIE) | Q(
        wijkprogramma__status__in=[Productstatus.CONCEPT, Productstatus.CONSULTATIE],
        wijkprogramma__cyclus__fase=Fase.PROGRAMMA,
    )


def toezeggingen_voor_accounthouder(user, assignments) -> QuerySet[Initiatief]:
    """Initiatives of the clusters of ``user``'s accounthouder roles, in the werkgebieden of
    those roles' areas, whose programme is still drafted and that wait for an answer; oldest
    first."""
    scope = Q()
    for assignment in assignments:
        if assignment.rol != Rol.ACCOUNTHOUDER or not assignment.cluster_id:
            continue
        if assignment.werkgebied_id:
            scope |= Q(
                cluster_id=assignment.cluster_id,
                wijkprogramma__cyclus__werkgebied_id=assignment.werkgebied_id,
            )
        elif assignment.gebied_id:
            scope |= Q(
                cluster_id=assignment.cluster_id,
                wijkprogramma__cyclus__werkgebied__gebied_id=assignment.gebied_id,
            )
    if not scope:
        return Initiatief.objects.none()
    return (
        Initiatief.objects.filter(scope, _programma_bewerkbaar(), toezegging=Toezegging.GEVRAAGD)
        .select_related("cluster", "agendapunt", "wijkprogramma__cyclus__werkgebied")
        # The long texts stay in the database: the list shows titles.
        .defer(
            "beoogd_effect",
            "toezegging_reden",
            "stopreden",
            "agendapunt__probleem",
            "agendapunt__onderbouwing",
            "wijkprogramma__toelichting",
            "wijkprogramma__bestedingsvoorstel",
        )
        .order_by("aangemaakt_op", "pk")
    )
