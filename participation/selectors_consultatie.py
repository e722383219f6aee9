"""Reads of consultations and reactions, each in a fixed number of queries whatever the number
of reactions. What the public reads never holds the author (account or address)."""

from django.db.models import Count, Q

from cycle.models import PRODUCT_PER_SOORT

from .models_consultatie import Consultatie, Reactie, Reactiestatus

# What the public (and the nota) never reads of a reaction: who wrote it, and the key. Left out
# of the query altogether. (Deferring, not ``only()``: an initiative's state machines read
# all their fields when loaded, and would fetch them one by one.)
PERSOONLIJK = ("auteur", "email", "token", "token_geldig_tot", "beantwoord_door")

ONBEANTWOORD = Q(status=Reactiestatus.GEPLAATST, antwoord="")


def consultatie(*, slug: str, jaar: int, soort: str) -> Consultatie | None:
    """The consultation of a product, with its cycle, werkgebied and product: one query."""
    if soort not in PRODUCT_PER_SOORT:
        return None
    return (
        Consultatie.objects.select_related("cyclus__werkgebied", f"cyclus__{soort}")
        .filter(cyclus__werkgebied__slug=slug, cyclus__jaar=jaar, soort=soort)
        .first()
    )


def consultatie_van(product) -> Consultatie | None:
    """The consultation of ``product`` (one query), its cycle and product set from it."""
    found = Consultatie.objects.filter(cyclus_id=product.cyclus_id, soort=product.SOORT).first()
    if found is not None:
        found.cyclus = product.cyclus
        setattr(found.cyclus, product.SOORT, product)
    return found


def reacties_openbaar(consultatie: Consultatie):
    """The placed and hidden reactions in the order they were placed (the unconfirmed ones
    are nobody's business yet), without anything about who wrote them."""
    return (
        Reactie.objects.filter(consultatie=consultatie)
        .exclude(status=Reactiestatus.WACHT)
        .select_related("agendapunt", "initiatief")
        .defer(*PERSOONLIJK)
        .order_by("geplaatst_op", "pk")
    )


def reacties_beheer(consultatie: Consultatie, *, onbeantwoord: bool = False):
    """Every reaction for the moderation list (the unconfirmed ones too, marked), or the
    placed ones without an answer. Whether via an account or an address, but neither."""
    qs = (
        Reactie.objects.filter(consultatie=consultatie)
        .select_related("agendapunt", "initiatief")
        .defer(*PERSOONLIJK)
        .order_by("-aangemaakt_op", "-pk")
    )
    if onbeantwoord:
        qs = qs.filter(ONBEANTWOORD)
    return qs


def aantallen(consultatie: Consultatie) -> dict:
    """How many reactions in each state (one query)."""
    return Reactie.objects.filter(consultatie=consultatie).aggregate(
        geplaatst=Count("pk", filter=Q(status=Reactiestatus.GEPLAATST)),
        verborgen=Count("pk", filter=Q(status=Reactiestatus.VERBORGEN)),
        wacht=Count("pk", filter=Q(status=Reactiestatus.WACHT)),
        onbeantwoord=Count("pk", filter=ONBEANTWOORD),
    )


def onbeantwoord_aantal(product) -> int:
    """Placed reactions on ``product``'s consultation still without an answer (one query)."""
    return Reactie.objects.filter(
        ONBEANTWOORD, consultatie__cyclus_id=product.cyclus_id, consultatie__soort=product.SOORT
    ).count()


def reactie_beheer(*, consultatie: Consultatie, pk: int) -> Reactie | None:
    found = (
        Reactie.objects.filter(consultatie=consultatie, pk=pk)
        .select_related("agendapunt", "initiatief")
        .first()
    )
    if found is not None:
        found.consultatie = consultatie
    return found


def onderdelen(consultatie: Consultatie) -> list[tuple[str, str]]:
    """The parts of the product a reaction may name, as (value, label): the agendapunten of
    a wijkagenda, the initiatives of a wijkprogramma. One query."""
    from cycle.models import Agendapunt, Initiatief

    if consultatie.soort == "wijkagenda":
        return [
            (f"agendapunt-{p.pk}", f"{p.rang}. {p.titel}")
            for p in Agendapunt.objects.filter(wijkagenda__cyclus_id=consultatie.cyclus_id)
            .order_by("rang")
            .only("pk", "rang", "titel")
        ]
    if consultatie.soort == "wijkprogramma":
        return [
            (f"initiatief-{i.pk}", i.titel)
            for i in Initiatief.objects.filter(wijkprogramma__cyclus_id=consultatie.cyclus_id)
            .order_by("pk")
            .only("pk", "titel")
        ]
    return []


def nota(product) -> dict | None:
    """The nota van beantwoording of ``product``: its consultation and every placed or hidden
    reaction with its answer and what changed, anonymised. Two queries; None without a
    consultation."""
    found = consultatie_van(product)
    if found is None:
        return None
    reacties = list(reacties_openbaar(found))
    return {
        "consultatie": found,
        "reacties": reacties,
        "beantwoord": sum(1 for r in reacties if r.antwoord),
    }


def consultaties_voor_wijkmanager(werkgebied_ids, gebied_ids):
    """Consultations of products still in consultation in these werkgebieden (or gebieden),
    each with its number of unanswered reactions: for "Mijn werk". One query."""
    in_consultatie = Q()
    for soort in PRODUCT_PER_SOORT:
        in_consultatie |= Q(soort=soort, **{f"cyclus__{soort}__status": "consultatie"})
    return (
        Consultatie.objects.filter(
            Q(cyclus__werkgebied_id__in=werkgebied_ids)
            | Q(cyclus__werkgebied__gebied_id__in=gebied_ids)
        )
        .filter(in_consultatie)
        .select_related("cyclus__werkgebied")
        .annotate(
            onbeantwoord=Count(
                "reacties",
                filter=Q(reacties__status=Reactiestatus.GEPLAATST, reacties__antwoord=""),
            )
        )
        .order_by("cyclus__werkgebied__naam", "cyclus__jaar", "soort")
    )
