"""Reads of residents' support: the counts per agendapunt or initiative of a product, the
draagvlak criterion of the plan for that phase, a resident's own supports. Each a fixed
number of queries whatever the number of supports."""

from django.db.models import Count

from cycle.models import Agendapunt, Fase, Initiatief

from .models import Draagvlaksoort, Planfase
from .models_steun import Steunbetuiging

# The phase whose plan names the draagvlak for a product's items.
FASE_VAN_SOORT = {"wijkagenda": Fase.AGENDA, "wijkprogramma": Fase.PROGRAMMA}


def agendapunten_met_steun(wijkagenda) -> list[Agendapunt]:
    """The agenda's points in rank order, each with ``steun`` (the count). One query."""
    return list(
        Agendapunt.objects.filter(wijkagenda=wijkagenda)
        .only("pk", "rang", "titel", "wijkagenda_id")
        .annotate(steun=Count("steunbetuigingen"))
        .order_by("rang")
    )


def initiatieven_met_steun(wijkprogramma) -> list[Initiatief]:
    """The programme's initiatives by agendapunt, each with ``steun``. One query."""
    return list(
        Initiatief.objects.filter(wijkprogramma=wijkprogramma)
        # No ``only()``: an initiative's protected state fields cannot be deferred.
        .select_related("agendapunt")
        .annotate(steun=Count("steunbetuigingen"))
        .order_by("agendapunt__rang", "pk")
    )


def steun_van_initiatief(initiatief) -> int:
    return Steunbetuiging.objects.filter(initiatief=initiatief).count()


def draagvlak(cyclus, fase) -> Planfase | None:
    """The plan's phase when it counts draagvlak in supports (None otherwise). One query."""
    return (
        Planfase.objects.filter(
            plan__cyclus=cyclus,
            fase=fase,
            draagvlak_soort=Draagvlaksoort.STEUNBETUIGINGEN,
            draagvlak_aantal__isnull=False,
        )
        .only("pk", "draagvlak_aantal", "draagvlak_soort", "fase")
        .first()
    )


def eigen_steun(user, *, agendapunten=(), initiatieven=()) -> set[tuple[str, int]]:
    """{("agendapunt", pk), ("initiatief", pk)} that ``user`` supports among the given. One
    query (none for an anonymous visitor)."""
    if not user.is_authenticated or not (agendapunten or initiatieven):
        return set()
    from django.db.models import Q

    rows = Steunbetuiging.objects.filter(
        Q(agendapunt_id__in=list(agendapunten)) | Q(initiatief_id__in=list(initiatieven)),
        user=user,
    ).values_list("agendapunt_id", "initiatief_id")
    return {("agendapunt", a) if a else ("initiatief", i) for a, i in rows}


def van_bewoner(user):
    """A resident's supports, newest first, with what they support (paginated by the caller)."""
    return (
        Steunbetuiging.objects.filter(user=user)
        .select_related(
            "agendapunt__wijkagenda__cyclus__werkgebied",
            "initiatief__wijkprogramma__cyclus__werkgebied",
        )
        .order_by("-aangemaakt_op", "-pk")
    )
