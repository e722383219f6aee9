"""Helpers for tests that generate a city (``cycle.scale``)."""

from cycle import scale


def cycle_steps() -> scale.Registry:
    """The steps of the cycle and what it needs, without the later features' data (their own
    tests build that): a city of a few years stays a matter of seconds."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")
    return scale.Registry(
        s for s in scale.registry.ordered() if s.name.split(".")[0] in ("people", "cycle")
    )


# Content services go through the product's edit guard: each raised its version by one. The
# quotes and themes are logged on the product, agendapunten and signals on their own row.
INHOUD_ACTIES = {
    "cycle.thema_analyse": {"thema", "nieuw", "velden"},
    "cycle.citaat": {"thema", "antwoord"},
    "cycle.agendapunt_toegevoegd": {"agendapunt", "titel", "rang"},
    "cycle.beleidssignaal_toegevoegd": {"beleidssignaal", "titel", "aan"},
    "cycle.initiatief_toegevoegd": {"initiatief", "titel"},
    "cycle.initiatief_gewijzigd": {"initiatief", "velden", "opnieuw_gevraagd"},
}
# The owner's answer to an initiative raises the programme's version (its adoption check
# changed) without going through the edit guard: logged on the initiative, without a version.
OWNER_ACTIES = {
    "cycle.initiatief_toegezegd": {"initiatief", "van", "naar"},
    "cycle.initiatief_afgewezen": {"initiatief", "van", "naar"},
}
# About a product or its content without changing the product (nor its version).
NAAST_DE_VERSIE = {
    "cycle.opmerking",
    "cycle.beleidssignaal_in_behandeling",
    "cycle.beleidssignaal_beantwoord",
    "cycle.voortgang_gemeld",
    "cycle.initiatief_afloop",
    "cycle.initiatief_oordeel",
}


def product_log(product):
    """Every log entry about ``product`` and its content rows, in order (one query more for
    an agenda or a programme)."""
    from audit.models import AuditEntry
    from cycle.models import Agendapunt, Beleidssignaal, Initiatief, Wijkagenda, Wijkprogramma

    objecten = [product]
    if isinstance(product, Wijkagenda):
        objecten += [
            *Agendapunt.objects.filter(wijkagenda=product).only("pk"),
            *Beleidssignaal.objects.filter(wijkagenda=product).only("pk"),
        ]
    if isinstance(product, Wijkprogramma):
        # (Not ``only("pk")``: an initiative's state machines read their fields on load.)
        objecten += [
            Initiatief(pk=pk)
            for pk in Initiatief.objects.filter(wijkprogramma=product).values_list("pk", flat=True)
        ]
    return list(AuditEntry.objects.for_objects(*objecten).order_by("timestamp", "pk"))


def versie_log(product):
    """The entries that raised ``product``'s version: edits of its texts and its content,
    and its steps."""
    return [
        e
        for e in product_log(product)
        if e.action in ("cycle.product_edit", "cycle.product_transition")
        or e.action in INHOUD_ACTIES
        or e.action in OWNER_ACTIES
    ]
