"""Reads of the werkcyclus that pages need, each a fixed number of queries."""

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.utils import timezone

from audit.models import AuditEntry
from people.models import Rol
from people.roles import active_assignments

from .models import (
    FASE_VOLGORDE,
    PRODUCT_MODELLEN,
    PRODUCT_PER_SOORT,
    PRODUCT_RELATIONS,
    WERKFASEN,
    Fase,
    Productstatus,
    Werkcyclus,
)

# The text of the products is only needed on a product's own page; lists and the cycle page
# need title, status and dates, so the (possibly long) sections are left in the database.
PRODUCT_TEXT_FIELDS = [
    f"{model.related_name()}__{section}" for model in PRODUCT_MODELLEN for section in model.SECTIES
]


def cycli() -> QuerySet[Werkcyclus]:
    """Cycles with their werkgebied and a summary of all four products, in one query."""
    return Werkcyclus.objects.select_related("werkgebied", *PRODUCT_RELATIONS).defer(
        *PRODUCT_TEXT_FIELDS
    )


def product(cyclus: Werkcyclus, soort: str):
    """One product in full, with its cycle (or None for an unknown kind)."""
    model = PRODUCT_PER_SOORT.get(soort)
    if model is None:
        return None
    found = model.objects.get(cyclus=cyclus)
    found.cyclus = cyclus
    return found


def werkcyclus_history(cyclus: Werkcyclus) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_objects(cyclus, *cyclus.producten()).select_related(
        "content_type"
    )


def fase_tellingen() -> dict[str, int]:
    counts = dict(Werkcyclus.objects.values_list("fase").annotate(n=Count("pk")).order_by())
    return {fase: counts.get(fase, 0) for fase in [*WERKFASEN, Fase.AFGEROND]}


def recent_gepubliceerd(limit: int = 6) -> list[dict]:
    """The most recently published products of any kind, in one query (a UNION over the four
    product tables), as dicts with what a link needs."""
    parts = [
        model.objects.filter(status=Productstatus.GEPUBLICEERD)
        .annotate(
            soort=Value(model.SOORT, output_field=CharField()),
            jaar=F("cyclus__jaar"),
            werkgebied_slug=F("cyclus__werkgebied__slug"),
            werkgebied_naam=F("cyclus__werkgebied__naam"),
        )
        .values("titel", "gepubliceerd_op", "soort", "jaar", "werkgebied_slug", "werkgebied_naam")
        .order_by()
        for model in PRODUCT_MODELLEN
    ]
    return list(parts[0].union(*parts[1:], all=True).order_by("-gepubliceerd_op")[:limit])


def tijdlijn(cyclus: Werkcyclus, today=None) -> list[dict]:
    """The five phases with planned dates, where the cycle stands, and what is overdue."""
    today = today or timezone.localdate()
    huidig = FASE_VOLGORDE[cyclus.fase]
    rows = []
    for index, fase in enumerate(WERKFASEN):
        begin, eind = cyclus.planning(fase)
        if index < huidig:
            stand = "afgerond"
        elif index == huidig:
            stand = "lopend"
        else:
            stand = "gepland"
        rows.append(
            {
                "fase": fase,
                "label": fase.label,
                "begin": begin,
                "eind": eind,
                "stand": stand,
                "te_laat": stand != "afgerond" and eind < today,
            }
        )
    return rows


def is_te_laat(cyclus: Werkcyclus, today=None) -> bool:
    if cyclus.is_afgerond:
        return False
    return cyclus.planning(cyclus.fase)[1] < (today or timezone.localdate())


def _area_filter(user, rol: Rol) -> Q | None:
    werkgebieden, gebieden, everywhere = set(), set(), False
    for a in active_assignments(user):
        if a.rol != rol:
            continue
        if a.werkgebied_id:
            werkgebieden.add(a.werkgebied_id)
        elif a.gebied_id:
            gebieden.add(a.gebied_id)
        else:
            everywhere = True
    if everywhere:
        return Q()
    if not werkgebieden and not gebieden:
        return None
    return Q(werkgebied_id__in=werkgebieden) | Q(werkgebied__gebied_id__in=gebieden)


def cycli_voor_rol(user, rol: Rol, *, lopend: bool = True) -> QuerySet[Werkcyclus]:
    """Cycles in the area where ``user`` holds ``rol`` (empty if they do not)."""
    condition = _area_filter(user, rol)
    if condition is None:
        return Werkcyclus.objects.none()
    qs = cycli().filter(condition)
    if lopend:
        qs = qs.exclude(fase=Fase.AFGEROND)
    return qs.order_by("werkgebied__naam", "jaar")


def volgende_stappen(obj, user, *, state_field: str) -> list[dict]:
    """The transitions out of ``obj``'s current state that ``user`` may take, each with
    whether its conditions are met and, if not, why (for a disabled button with explanation)."""
    state = getattr(obj, state_field)
    steps = []
    for t in getattr(obj, f"get_all_{state_field}_transitions")():
        if t.source != state or not t.has_perm(obj, user):
            continue
        ready = all(condition(obj) for condition in t.conditions)
        steps.append(
            {
                "name": t.name,
                "label": t.custom.get("label", t.name),
                "ready": ready,
                "blocked": "" if ready else t.custom.get("blocked", ""),
            }
        )
    return steps
