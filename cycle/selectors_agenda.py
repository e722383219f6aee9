"""Reads of the wijkagenda's content: the ranked agendapunten with their theme, wijken and
evidence, the beleidssignalen with their addressee and answer, and what the user may do. A
fixed number of queries; quoted checklist answers show the question and the respondent's type,
never who answered."""

from django.db.models import Prefetch, Q, QuerySet

from people.models import Rol

from .models import (
    Agendapunt,
    Beleidssignaal,
    ChecklistAntwoord,
    Signaalstatus,
    ThemaAnalyse,
    Wijkthema,
)
from .selectors_analyse import citaten_prefetch


def agendapunten(agenda) -> list[Agendapunt]:
    """The points in rank order with everything the page shows (four queries)."""
    from places.models import Wijk

    punten = list(
        Agendapunt.objects.filter(wijkagenda=agenda)
        .select_related("thema", "wijkopgave__akkoord__werkgebied", "doel")
        .prefetch_related(
            Prefetch("wijken", queryset=Wijk.objects.only("naam", "slug").order_by("naam")),
            Prefetch(
                "themaanalyses",
                queryset=ThemaAnalyse.objects.select_related("thema").only(
                    "wijkanalyse_id", "thema__naam", "thema__slug", "thema__volgorde"
                ),
            ),
            citaten_prefetch(),
        )
        .order_by("rang")
    )
    for punt in punten:
        # The permission predicates walk to the werkgebied: no query per point.
        punt.wijkagenda = agenda
    return punten


def beleidssignalen(agenda) -> list[Beleidssignaal]:
    signalen = list(
        Beleidssignaal.objects.filter(wijkagenda=agenda)
        .select_related("cluster", "partner")
        .order_by("aangemaakt_op", "pk")
    )
    for signaal in signalen:
        signaal.wijkagenda = agenda
    return signalen


def wijkagenda_inhoud(agenda, user) -> dict:
    punten = agendapunten(agenda)
    signalen = beleidssignalen(agenda)
    mag_bewerken = user.has_perm("cycle.edit_product", agenda)
    for signaal in signalen:
        signaal.mag_beantwoorden = signaal.status != Signaalstatus.BEANTWOORD and user.has_perm(
            "cycle.answer_beleidssignaal", signaal
        )
        signaal.mag_wijzigen = mag_bewerken and signaal.status == Signaalstatus.OPEN
    return {
        "punten": punten,
        "laatste_rang": punten[-1].rang if punten else 0,
        "signalen": signalen,
        "mag_bewerken": mag_bewerken,
    }


# ------------------------------------------------------------- choices of the forms


def thema_keuzes(huidig_id: int | None = None) -> QuerySet[Wijkthema]:
    """Active themes, and the one a point already has (even if no longer active)."""
    return Wijkthema.objects.filter(Q(actief=True) | Q(pk=huidig_id))


def themaanalyse_keuzes(agenda) -> QuerySet[ThemaAnalyse]:
    return ThemaAnalyse.objects.filter(wijkanalyse__cyclus_id=agenda.cyclus_id).select_related(
        "thema"
    )


def citaat_keuzes(agenda, huidige=()) -> QuerySet[ChecklistAntwoord]:
    """The answers the wijkanalyse of this cycle quoted (its curated evidence), and those the
    point already quotes."""
    return (
        ChecklistAntwoord.objects.filter(
            Q(themaanalyses__wijkanalyse__cyclus_id=agenda.cyclus_id) | Q(pk__in=list(huidige)),
            invulling__wijkanalyse__cyclus_id=agenda.cyclus_id,
        )
        .select_related("vraag", "invulling")
        .only("invulling_id", "tekst", "vraag__nummer", "vraag__tekst", "invulling__respondent")
        .distinct()
        .order_by("vraag__nummer", "pk")
    )


# ------------------------------------------------------------------- "Mijn werk"


def signalen_voor_accounthouder(user, assignments) -> QuerySet[Beleidssignaal]:
    """Beleidssignalen addressed to the clusters of ``user``'s accounthouder roles, in the
    werkgebieden of those roles' gebieden, not yet answered; oldest first."""
    scope = Q()
    for assignment in assignments:
        if assignment.rol == Rol.ACCOUNTHOUDER and assignment.cluster_id and assignment.gebied_id:
            scope |= Q(
                cluster_id=assignment.cluster_id,
                wijkagenda__cyclus__werkgebied__gebied_id=assignment.gebied_id,
            )
    if not scope:
        return Beleidssignaal.objects.none()
    return (
        Beleidssignaal.objects.filter(scope)
        .exclude(status=Signaalstatus.BEANTWOORD)
        .select_related("cluster", "wijkagenda__cyclus__werkgebied")
        # The long texts stay in the database: the list shows titles.
        .defer("toelichting", "antwoord", "wijkagenda__toelichting")
        .order_by("aangemaakt_op", "pk")
    )
