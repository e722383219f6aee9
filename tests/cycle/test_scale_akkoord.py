"""The generated wijkakkoorden (cycle/scale_akkoord.py): one per werkgebied per four-year
period, never overlapping, complete where adopted (the adoption check passes), and the
covered cycles' agendapunten and initiatives refer to their opgaven and doelen as the
services would allow."""

import datetime

import pytest

from cycle import scale
from cycle.models import Agendapunt, Akkoordstatus, Initiatief, Wijkakkoord
from tests.scale import cycle_steps

CITY = {"seed": 11, "until_year": 2027, "today": datetime.date(2026, 11, 2)}
SMALL = {"years": 6, "factor": 1, "werkgebieden": 4}


@pytest.fixture
def stad(rotterdam):
    return scale.generate(steps=cycle_steps(), **SMALL, **CITY)


def test_akkoorden_per_period_and_links(stad):
    akkoorden = list(Wijkakkoord.objects.select_related("werkgebied"))
    per_wg = {}
    for akkoord in akkoorden:
        assert akkoord.eindjaar == akkoord.startjaar + 3
        per_wg.setdefault(akkoord.werkgebied_id, []).append(akkoord.startjaar)
        if akkoord.startjaar <= CITY["until_year"] - 1:
            assert akkoord.status == Akkoordstatus.GEPUBLICEERD
            assert akkoord.ontbreekt() == []
        else:
            assert akkoord.status in (Akkoordstatus.CONCEPT, Akkoordstatus.ADVIES)
    assert len(per_wg) == SMALL["werkgebieden"]
    for starts in per_wg.values():
        assert sorted(starts) == [2022, 2026]
    # Links: of the akkoord of the same werkgebied covering the cycle's year, doel under opgave.
    punten = Agendapunt.objects.filter(wijkopgave__isnull=False).select_related(
        "wijkopgave__akkoord", "wijkagenda__cyclus"
    )
    assert punten.exists()
    for punt in punten:
        akkoord, cyclus = punt.wijkopgave.akkoord, punt.wijkagenda.cyclus
        assert akkoord.werkgebied_id == cyclus.werkgebied_id
        assert akkoord.startjaar <= cyclus.jaar <= akkoord.eindjaar
    initiatieven = Initiatief.objects.filter(wijkopgave__isnull=False).select_related(
        "doel", "wijkprogramma__cyclus", "wijkopgave__akkoord"
    )
    assert initiatieven.exists()
    for ini in initiatieven:
        assert ini.doel.opgave_id == ini.wijkopgave_id
        assert ini.wijkopgave.akkoord.werkgebied_id == ini.wijkprogramma.cyclus.werkgebied_id
    # Replacing the city removes them first (an opgave protects what refers to it).
    scale.generate(steps=cycle_steps(), replace=True, **SMALL, **CITY)
    assert Wijkakkoord.objects.count() == len(akkoorden)
