"""Test helpers that give a product the content its adoption check asks for, through the same
services as the pages."""

from cycle.models import Wijkanalyse, Wijkthema
from cycle.services_analyse import thema_analyse_opslaan


def met_thema(analyse: Wijkanalyse, user, slug: str = "schoon") -> Wijkanalyse:
    """Add the analysis of one theme (with its evidence) to ``analyse``; returns it fresh."""
    thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=user,
        expected_versie=Wijkanalyse.objects.get(pk=analyse.pk).versie,
        thema=Wijkthema.objects.get(slug=slug),
        problemen="Zwerfafval rond de containers.",
        onderbouwing="Afval is het meest gemelde thema.",
    )
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(pk=analyse.pk)


def agendapunt_voor(cyclus, titel: str = "Zwerfafval rond de containers"):
    """An agendapunt on ``cyclus``'s wijkagenda (the agenda is adopted before the programme is
    drafted, so its points are made directly here)."""
    from django.db.models import Max

    from cycle.models import Agendapunt

    agenda = cyclus.wijkagenda
    rang = (agenda.agendapunten.aggregate(m=Max("rang"))["m"] or 0) + 1
    return Agendapunt.objects.create(
        wijkagenda=agenda,
        rang=rang,
        titel=titel,
        probleem="Bewoners zien elke week afval naast de containers.",
        onderbouwing="Afval is het meest gemelde thema.",
        collectief=True,
    )


def met_initiatief(programma, user, *, cluster=None, agendapunt=None, **velden):
    """Add one initiative to ``programma`` through the service; returns it."""
    import datetime

    from cycle.models import Wijkprogramma
    from cycle.services_programma import initiatief_toevoegen
    from people.models import Cluster

    cyclus = programma.cyclus
    if cluster is None and "partner" not in velden and "bewonersgroep" not in velden:
        cluster = Cluster.objects.order_by("pk").first()
    data = {
        "agendapunt": agendapunt or agendapunt_voor(cyclus),
        "titel": "Schoonmaakactie met bewoners",
        "beoogd_effect": "Minder afval naast de containers.",
        "trekker_naam": "Fatima de Vries",
        "start": datetime.date(cyclus.jaar, 2, 1),
        "eind": datetime.date(cyclus.jaar, 11, 30),
        "succesindicator": "Helft minder meldingen over afval.",
        **({"cluster": cluster} if cluster is not None else {}),
        **velden,
    }
    return initiatief_toevoegen(
        wijkprogramma=programma,
        user=user,
        expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
        **data,
    )
