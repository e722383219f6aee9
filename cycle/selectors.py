"""Reads of the werkcyclus that pages need, each a fixed number of queries."""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from audit.models import AuditEntry
from pagecache.services import memoised
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
    """Cycles with their werkgebied (and its task division, which the permissions read) and a
    summary of all four products, in one query."""
    return Werkcyclus.objects.select_related(
        "werkgebied__taakverdeling", "werkgebied__gebied", *PRODUCT_RELATIONS
    ).defer(*PRODUCT_TEXT_FIELDS)


def eerste_vrije_jaar(werkgebied, today=None) -> int:
    """The first programme year from next year on that has no cycle yet in ``werkgebied``."""
    jaar = (today or timezone.localdate()).year + 1
    bezet = set(
        Werkcyclus.objects.filter(werkgebied=werkgebied, jaar__gte=jaar).values_list(
            "jaar", flat=True
        )
    )
    while jaar in bezet:
        jaar += 1
    return jaar


def product(cyclus: Werkcyclus, soort: str):
    """One product in full, with its cycle (or None for an unknown kind)."""
    model = PRODUCT_PER_SOORT.get(soort)
    if model is None:
        return None
    found = model.objects.get(cyclus=cyclus)
    found.cyclus = cyclus
    return found


def product_inhoud(product, user=None) -> dict:
    """The content of ``product`` that its page (and template ``cycle/inhoud/<soort>.html``)
    shows, for ``user``; without a user, what the published snapshot shows. Each product type
    reads its child models in a fixed number of queries."""
    if product.SOORT == "wijkanalyse":
        from .selectors_analyse import wijkanalyse_inhoud

        return wijkanalyse_inhoud(product, user)
    if product.SOORT == "wijkagenda":
        from django.contrib.auth.models import AnonymousUser

        from .selectors_agenda import wijkagenda_inhoud

        # The snapshot shows what the public reads.
        return wijkagenda_inhoud(product, user or AnonymousUser())
    if product.SOORT == "wijkprogramma":
        from django.contrib.auth.models import AnonymousUser

        from .selectors_programma import wijkprogramma_inhoud

        return wijkprogramma_inhoud(product, user or AnonymousUser())
    if product.SOORT == "wijkverslag":
        from .selectors_verslag import wijkverslag_inhoud

        return wijkverslag_inhoud(product)
    return {}


def opmerkingen(product, limit: int = 50) -> list:
    """The comments on ``product``, oldest first (the latest ``limit``), with their authors."""
    from .models import Opmerking

    rows = list(
        Opmerking.objects.filter(cyclus_id=product.cyclus_id, soort=product.SOORT)
        .select_related("auteur")
        .order_by("-aangemaakt_op", "-pk")[:limit]
    )
    return rows[::-1]


def werkcyclus_history(cyclus: Werkcyclus, *, alleen_openbaar: bool) -> QuerySet[AuditEntry]:
    """What happened to the cycle and its products. With ``alleen_openbaar``, only the events
    of what the public may see: the cycle itself and the products that are public now or were
    published before (so no titles or reasons of work in preparation)."""
    producten = cyclus.producten()
    if alleen_openbaar:
        producten = [p for p in producten if p.is_openbaar or p.is_eerder_gepubliceerd]
    return AuditEntry.objects.for_objects(cyclus, *producten).select_related("content_type")


def _fase_volgorde() -> Case:
    """The phases in cycle order (the column holds their names, which sort alphabetically)."""
    return Case(
        *[When(fase=fase, then=Value(index)) for fase, index in FASE_VOLGORDE.items()],
        output_field=IntegerField(),
    )


def lopende_cycli(fase: str | None = None) -> QuerySet[Werkcyclus]:
    """Running cycles (any working phase, or only ``fase``) in phase order, then by werkgebied
    and year; with their werkgebied, without their products."""
    qs = Werkcyclus.objects.select_related("werkgebied").exclude(fase=Fase.AFGEROND)
    if fase is not None:
        qs = qs.filter(fase=fase)
    return qs.annotate(fase_volgorde=_fase_volgorde()).order_by(
        "fase_volgorde", "werkgebied__naam", "jaar"
    )


def lopende_cycli_per_fase(limit: int = 8) -> list[dict]:
    """Each working phase in order with the number of running cycles in it and the first
    ``limit`` of them (by werkgebied and year), in one query whatever the number of cycles:
    window functions number and count the cycles per phase, and only ``limit`` rows per phase
    leave the database."""
    rows = (
        Werkcyclus.objects.exclude(fase=Fase.AFGEROND)
        .annotate(
            volgnummer=Window(
                RowNumber(),
                partition_by=F("fase"),
                order_by=[F("werkgebied__naam").asc(), F("jaar").asc()],
            ),
            aantal=Window(Count("pk"), partition_by=F("fase")),
        )
        .filter(volgnummer__lte=limit)
        .values("fase", "jaar", "aantal", "volgnummer", "werkgebied__slug", "werkgebied__naam")
        .order_by("fase", "volgnummer")
    )
    fasen = {
        fase: {"fase": fase, "label": fase.label, "aantal": 0, "cycli": []} for fase in WERKFASEN
    }
    for row in rows:
        groep = fasen[row["fase"]]
        groep["aantal"] = row["aantal"]
        groep["cycli"].append(
            {
                "naam": f"{row['werkgebied__naam']} {row['jaar']}",
                "slug": row["werkgebied__slug"],
                "jaar": row["jaar"],
            }
        )
    return list(fasen.values())


def _producten_met_status(status: str, datum: str) -> QuerySet:
    """Products of all four kinds in ``status``, in one query (a UNION over the product
    tables), as dicts with what a link needs and the date field ``datum``. Unordered."""
    parts = [
        model.objects.filter(status=status)
        .annotate(
            soort=Value(model.SOORT, output_field=CharField()),
            jaar=F("cyclus__jaar"),
            werkgebied_slug=F("cyclus__werkgebied__slug"),
            werkgebied_naam=F("cyclus__werkgebied__naam"),
        )
        .values("pk", "titel", datum, "soort", "jaar", "werkgebied_slug", "werkgebied_naam")
        .order_by()
        for model in PRODUCT_MODELLEN
    ]
    return parts[0].union(*parts[1:], all=True)


def in_consultatie():
    """Products of any kind now in consultation, most recently changed first. Slice it for a
    short list; ``count()`` and a paginator work on it too."""
    # The kind and pk make the order total, so that pages never repeat or skip a row.
    return _producten_met_status(Productstatus.CONSULTATIE, "gewijzigd_op").order_by(
        "-gewijzigd_op", "soort", "-pk"
    )


def recent_gepubliceerd(limit: int = 6) -> list[dict]:
    """The most recently published products of any kind. The same for everyone, so it is
    kept in the cache under the public version (signed-in pages show it too)."""
    return memoised(
        f"recent_gepubliceerd:{limit}",
        lambda: list(
            _producten_met_status(Productstatus.GEPUBLICEERD, "gepubliceerd_op").order_by(
                "-gepubliceerd_op", "soort", "-pk"
            )[:limit]
        ),
    )


def tijdlijn(cyclus: Werkcyclus, today=None) -> list[dict]:
    """The five phases with planned and actual dates, where the cycle stands, and what is
    overdue (only the phase the cycle is in, or a later one whose planned end has passed)."""
    today = today or timezone.localdate()
    huidig = FASE_VOLGORDE[cyclus.fase]
    rows = []
    for index, fase in enumerate(WERKFASEN):
        begin, eind = cyclus.planning(fase)
        gestart, afgerond = cyclus.werkelijk(fase)
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
                "gestart": gestart,
                "afgerond": afgerond,
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
    today = timezone.localdate()
    steps = []
    for t in getattr(obj, f"get_all_{state_field}_transitions")():
        if t.source != state or not t.has_perm(obj, user):
            continue
        ready = all(condition(obj) for condition in t.conditions)
        missing_method = t.custom.get("ontbreekt")
        steps.append(
            {
                "name": t.name,
                "label": t.custom.get("label", t.name),
                "ready": ready,
                "blocked": "" if ready else t.custom.get("blocked", ""),
                "ontbreekt": getattr(obj, missing_method)() if missing_method and not ready else [],
                "reden_verplicht": obj.reden_verplicht(t.name, today=today),
                "reden_hulp": t.custom.get("reden_hulp", ""),
                "bevestigen": bool(t.custom.get("bevestigen")),
                "besluit": bool(t.custom.get("besluit"))
                and user.has_perm("cycle.record_adoption", obj),
            }
        )
    return steps
