"""Reads of the werkcyclus that pages need, each a fixed number of queries."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from people.models import Rol
from people.roles import active_assignments

from .models import FASE_VOLGORDE, PRODUCT_MODELLEN, WERKFASEN, Fase, Productstatus, Werkcyclus

PRODUCT_RELATIONS = [model.related_name() for model in PRODUCT_MODELLEN]


def cycli() -> QuerySet[Werkcyclus]:
    """Cycles with their werkgebied and all four products in one query."""
    return Werkcyclus.objects.select_related(
        "werkgebied__gebied", "werkgebied__wijkraad", *PRODUCT_RELATIONS
    )


def werkcyclus_history(cyclus: Werkcyclus) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_objects(cyclus, *cyclus.producten()).select_related(
        "content_type"
    )


def fase_tellingen() -> dict[str, int]:
    counts = dict(Werkcyclus.objects.values_list("fase").annotate(n=Count("pk")).order_by())
    return {fase: counts.get(fase, 0) for fase in [*WERKFASEN, Fase.AFGEROND]}


def recent_gepubliceerd(limit: int = 6) -> list:
    """The most recently published products of any kind (one query per product kind)."""
    found = []
    for model in PRODUCT_MODELLEN:
        found.extend(
            model.objects.filter(status=Productstatus.GEPUBLICEERD)
            .select_related("cyclus__werkgebied")
            .order_by("-gepubliceerd_op")[:limit]
        )
    found.sort(key=lambda p: p.gepubliceerd_op, reverse=True)
    return found[:limit]


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
