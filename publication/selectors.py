"""Reads of the publications for the council."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cycle.models import Productstatus, Werkcyclus
from places.models import Werkgebied

from .models import Publicatie

STANDEN = {
    "gepubliceerd": _("gepubliceerd"),
    "in_correctie": _("gepubliceerd, correctie in voorbereiding"),
    "vastgesteld": _("vastgesteld, nog niet gepubliceerd"),
    "te_laat": _("te laat volgens de planning"),
    "in_voorbereiding": _("in voorbereiding"),
    "niet_gestart": _("nog niet begonnen"),
}


@dataclass(frozen=True)
class VerslagStand:
    werkgebied: Werkgebied
    cyclus: Werkcyclus | None
    publicatie: Publicatie | None
    stand: str
    gepland_op: datetime.date | None

    @property
    def label(self) -> str:
        return str(STANDEN[self.stand])


def wijkverslagen(jaar: int, *, today: datetime.date) -> list[VerslagStand]:
    """The wijkverslag of programme year ``jaar`` of every werkgebied, in three queries."""
    cycli = {
        cyclus.werkgebied_id: cyclus
        for cyclus in Werkcyclus.objects.filter(jaar=jaar)
        .select_related("wijkverslag")
        .only(
            "werkgebied_id",
            "jaar",
            "fase",
            "verantwoording_eind",
            "wijkverslag__status",
            "wijkverslag__vastgesteld_op",
            "wijkverslag__gepubliceerd_op",
        )
    }
    laatste = {
        publicatie.werkgebied_id: publicatie
        for publicatie in Publicatie.objects.filter(jaar=jaar, soort="wijkverslag")
        .order_by("werkgebied_id", "-versie")
        .distinct("werkgebied_id")
        .defer("html", "pdf_fout")
    }
    rijen = []
    for werkgebied in Werkgebied.objects.only("naam", "slug").order_by("naam"):
        cyclus = cycli.get(werkgebied.pk)
        publicatie = laatste.get(werkgebied.pk)
        if publicatie is not None:
            # The URLs of the version name its werkgebied: no query for it.
            publicatie.werkgebied = werkgebied
        rijen.append(
            VerslagStand(
                werkgebied=werkgebied,
                cyclus=cyclus,
                publicatie=publicatie,
                stand=_stand(cyclus, publicatie, today),
                gepland_op=cyclus.verantwoording_eind if cyclus else None,
            )
        )
    return rijen


def _stand(cyclus, publicatie, today) -> str:
    if publicatie is not None:
        if cyclus is not None and cyclus.wijkverslag.in_correctie:
            return "in_correctie"
        return "gepubliceerd"
    if cyclus is None:
        return "niet_gestart"
    status = cyclus.wijkverslag.status
    if status == Productstatus.GEPUBLICEERD:
        return "gepubliceerd"
    if status == Productstatus.VASTGESTELD:
        return "vastgesteld"
    if today > cyclus.verantwoording_eind:
        return "te_laat"
    if cyclus.fase == "verantwoording" or status != Productstatus.CONCEPT:
        return "in_voorbereiding"
    return "niet_gestart"


def jaren() -> list[int]:
    return list(Werkcyclus.objects.order_by("-jaar").values_list("jaar", flat=True).distinct())
