"""The wijkbudget in the demo: a budget for each demo cycle's werkgebied and year (set by the
demo beheerder), the adopted programmes' reservations (their bestedingsvoorstel), payments in
the years that are over, and knelpunt expenses booked by the wijkmanager in the execution
year that has knelpunten (Kralingen 2026: one paid, one still reserved). Kralingen 2027
drafts its programme against its budget. Through the services; idempotent (a werkgebied
and year with a budget is left alone)."""

from decimal import Decimal

from cycle.demo import DEMO_CYCLI, register
from cycle.models import Knelpunt, Productstatus, Wijkprogramma
from places.models import Werkgebied

from . import services
from .models import Budget, Deelsoort
from .programma import programma_reserveren
from .selectors import bestedingsvoorstel

STANDAARD = {
    Deelsoort.PROGRAMMA: Decimal("60000"),
    Deelsoort.BEWONERSINITIATIEVEN: Decimal("25000"),
    Deelsoort.KNELPUNTEN: Decimal("5000"),
}


def demo_budgetten(accounts) -> None:
    beheerder = accounts["beheerder"]
    for slug, jaar, _doel, wijkmanager in DEMO_CYCLI:
        werkgebied = Werkgebied.objects.get(slug=slug)
        if Budget.objects.filter(werkgebied=werkgebied, jaar=jaar).exists():
            continue
        programma = (
            Wijkprogramma.objects.select_related("cyclus__werkgebied")
            .filter(cyclus__werkgebied=werkgebied, cyclus__jaar=jaar)
            .first()
        )
        bedragen = dict(STANDAARD)
        if programma is not None:
            # Room for the programme's requests, and some left over.
            totaal = bestedingsvoorstel(programma).totaal
            bedragen[Deelsoort.PROGRAMMA] = max(bedragen[Deelsoort.PROGRAMMA], totaal + 10000)
        services.budget_vaststellen(
            werkgebied=werkgebied,
            jaar=jaar,
            bedragen=bedragen,
            user=beheerder,
            reden="Wijkbudget volgens de begroting",
        )
        if programma is None or programma.status not in (
            Productstatus.VASTGESTELD,
            Productstatus.GEPUBLICEERD,
        ):
            continue
        # The programme was adopted before the demo's budget existed: reserve now what its
        # adoption reserves when the budget is there first.
        user = accounts.get(wijkmanager, beheerder)
        programma_reserveren(programma, user=user)
        if not bestedingsvoorstel(programma).acties:
            # The demo's programmes ask no money themselves: fund their actions as a
            # bestedingsvoorstel would have.
            _financier(programma, werkgebied, jaar, user)
        if programma.cyclus.jaar < 2026:
            _betaal_alles(werkgebied, jaar, accounts.get(wijkmanager, beheerder))
    _knelpunt(accounts)


DEMO_BEDRAGEN = ("7500", "4250,50", "12000", "3000")


def _financier(programma, werkgebied, jaar, user) -> None:
    deel = services.deel_van(werkgebied, jaar, Deelsoort.PROGRAMMA)
    acties = programma.initiatieven.order_by("pk")[: len(DEMO_BEDRAGEN)]
    for actie, bedrag in zip(acties, DEMO_BEDRAGEN, strict=False):
        services.reserveren(
            deel,
            bedrag,
            user=user,
            reden=f"Bestedingsvoorstel, vastgesteld met het wijkprogramma {jaar}",
            bron="initiatief",
            bron_id=actie.pk,
            omschrijving=actie.titel,
            initiatief=actie,
        )


def _betaal_alles(werkgebied, jaar, user) -> None:
    deel = services.deel_van(werkgebied, jaar, Deelsoort.PROGRAMMA)
    for reservering in deel.boekingen.filter(soort="reservering").order_by("pk"):
        open_ = services.open_bedrag(reservering)
        if open_ > 0:
            services.betalen(reservering, open_, user=user, reden="Factuur uitvoering")


def _knelpunt(accounts) -> None:
    """The wijkmanager's knelpunt expenses, in the execution year that has knelpunten."""
    knelpunten = list(
        Knelpunt.objects.filter(initiatief__wijkprogramma__cyclus__fase="uitvoering")
        .select_related("initiatief__wijkprogramma__cyclus__werkgebied")
        .order_by("pk")[:2]
    )
    if not knelpunten:
        return
    cyclus = knelpunten[0].initiatief.wijkprogramma.cyclus
    knelpunten = [k for k in knelpunten if k.initiatief.wijkprogramma.cyclus_id == cyclus.pk]
    deel = services.deel_van(cyclus.werkgebied, cyclus.jaar, Deelsoort.KNELPUNTEN)
    if deel is None:
        services.budget_vaststellen(
            werkgebied=cyclus.werkgebied,
            jaar=cyclus.jaar,
            bedragen=STANDAARD,
            user=accounts["beheerder"],
            reden="Wijkbudget volgens de begroting",
        )
        deel = services.deel_van(cyclus.werkgebied, cyclus.jaar, Deelsoort.KNELPUNTEN)
    if deel.boekingen.exists():
        return
    wijkmanager = accounts["wijkmanager"]
    for i, knelpunt in enumerate(knelpunten):
        reservering = services.reserveren(
            deel,
            "450" if i == 0 else "275,50",
            user=wijkmanager,
            reden="Tijdelijke oplossing zodat het initiatief door kan"
            if i == 0
            else "Spoedreparatie hekwerk",
            bron="knelpunt",
            bron_id=knelpunt.pk,
            omschrijving=f"Knelpunt bij {knelpunt.initiatief.titel}",
            knelpunt=knelpunt,
        )
        if i == 0:
            services.betalen(reservering, "420", user=wijkmanager, reden="Factuur 2026-118")
            services.vrijgeven(reservering, user=wijkmanager, reden="Goedkoper uitgevallen")


register(demo_budgetten)

# The bewonersinitiatieven come after the budgets (their awards need the budget's part).
from .demo_bi import load as demo_bewonersinitiatieven  # noqa: E402

register(demo_bewonersinitiatieven)
