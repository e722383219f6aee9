"""Reads of the wijkanalyse's content: the wijkfoto (the barometer, read live up to the year
before the programme year), the previous cycle to evaluate, the analysis per theme with the
quoted checklist answers, and what the user may do. A fixed number of queries."""

from django.db.models import Prefetch

from .models import (
    ChecklistAntwoord,
    ThemaAnalyse,
    Werkcyclus,
    Wijkthema,
)
from .panels import panels

# What a quote shows: the question and the respondent's type, never who it was.
CITAAT_VELDEN = ("tekst", "vraag__nummer", "vraag__tekst", "invulling__respondent")


def citaten_prefetch(lookup: str = "citaten") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=ChecklistAntwoord.objects.select_related("vraag", "invulling")
        .only("invulling_id", *CITAAT_VELDEN)
        .order_by("vraag__nummer", "pk"),
    )


def thema_analyses(analyse) -> list[ThemaAnalyse]:
    return list(
        ThemaAnalyse.objects.filter(wijkanalyse=analyse)
        .select_related("thema")
        .prefetch_related(citaten_prefetch())
    )


def vorige_cyclus(cyclus) -> Werkcyclus | None:
    """The cycle of the year before in the same werkgebied, with its products (to evaluate:
    part 2 of the analysis links its published products)."""
    return (
        Werkcyclus.objects.select_related("werkgebied", "wijkanalyse", "wijkagenda")
        .select_related("wijkprogramma", "wijkverslag")
        .filter(werkgebied_id=cyclus.werkgebied_id, jaar=cyclus.jaar - 1)
        .first()
    )


def wijkfoto_jaar(cyclus) -> int:
    """The measurements a cycle's analysis rests on: those up to the year the analysis is made
    (the year before the programme year)."""
    return cyclus.jaar - 1


def wijkanalyse_inhoud(analyse, user=None) -> dict:
    """The content of ``analyse`` for its page, or (``user`` None) for the frozen snapshot of
    a publication: the same parts without what only a page shows (the barometer's charts, the
    meldingen panel, what the user may do)."""
    from places.barometer import barometer_werkgebied, reekstabel, wijkfoto

    from .selectors_checklist import checklist_blok

    cyclus = analyse.cyclus
    werkgebied = cyclus.werkgebied
    themas = thema_analyses(analyse)
    vorige = vorige_cyclus(cyclus)
    # Every series of the city at once (kept under the public version), for both parts.
    tabel = reekstabel()
    inhoud = {
        "wijkfoto": wijkfoto(werkgebied, wijkfoto_jaar(cyclus), tabel=tabel),
        "wijkfoto_jaar": wijkfoto_jaar(cyclus),
        "vorige": vorige,
        "vorige_producten": [
            p for p in (vorige.producten() if vorige else []) if p.is_eerder_gepubliceerd
        ],
        "themas": themas,
    }
    if user is None:
        return inhoud
    mag_bewerken = user.has_perm("cycle.edit_product", analyse)
    gebruikt = {t.thema_id for t in themas}
    inhoud.update(
        barometer=barometer_werkgebied(werkgebied, tabel=tabel),
        checklist=checklist_blok(analyse, user),
        wijkfoto_panels=panels("wijkfoto", analyse),
        mag_bewerken=mag_bewerken,
        nieuwe_themas=list(Wijkthema.objects.filter(actief=True).exclude(pk__in=gebruikt))
        if mag_bewerken
        else [],
    )
    return inhoud
