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
