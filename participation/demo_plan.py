"""The participation plan and the wijkraad's advice in the demo: every demo cycle has a plan
with the kaders of each phase (adopted, except in the cycles still in their analysis), and
there is advice in each state: Crooswijk 2027's plan waits for the wijkraad's advice (on the
demo wijkraadslid's "Mijn werk"), Feijenoord's wijkakkoord too and past its deadline; the
wijkraad gave advice on Feijenoord's wijkagenda 2025, which the wijkmanager answered with the
college's answer, and unasked advice on its wijkprogramma, which waits for an answer. Through
the services; idempotent."""

import datetime

from django.utils import timezone

from cycle.demo import DEMO_CYCLI
from cycle.models import Fase, Werkcyclus, Wijkakkoord

from . import services_advies, services_plan
from .models import Advies, Participatieplan, Planfase, Planstatus

# Per phase: level, what residents can influence, what they cannot, groups, means, draagvlak.
DEMO_PLAN = {
    Fase.ANALYSE: (
        "raadplegen",
        "Welke problemen en kansen in de wijk in beeld komen, en hoe zwaar ze wegen.",
        "De cijfers van het Wijkprofiel en de wettelijke taken van de gemeente.",
        "Bewoners van alle buurten, jongeren, ondernemers in de winkelstraat.",
        ["checklist", "wijkschouw", "bijeenkomsten"],
        (50, "reacties"),
    ),
    Fase.AGENDA: (
        "adviseren",
        "Welke opgaven volgend jaar voorrang krijgen, en in welke volgorde.",
        "Zaken van individueel belang; het budget van de clusters.",
        "Bewoners, de wijkraad, bewonersorganisaties.",
        ["consultatie", "bijeenkomsten"],
        (25, "steunbetuigingen"),
    ),
    Fase.PROGRAMMA: (
        "coproduceren",
        "Welke initiatieven er komen, wie ze trekt en waar het wijkbudget heen gaat.",
        "Het totale wijkbudget en de planning van de clusters.",
        "Trekkers van bewonersinitiatieven, partners in de wijk.",
        ["consultatie", "bijeenkomsten"],
        (30, "reacties"),
    ),
    Fase.UITVOERING: (
        "coproduceren",
        "Hoe initiatieven worden uitgevoerd en waar bewoners zelf meedoen.",
        "Besluiten die al in het wijkprogramma zijn genomen.",
        "Bewoners die meedoen aan initiatieven.",
        ["bijeenkomsten", "wijkschouw"],
        None,
    ),
    Fase.VERANTWOORDING: (
        "raadplegen",
        "Of de resultaten goed beschreven zijn en wat we ervan leren.",
        "De cijfers van de jaarrekening.",
        "Actieve bewoners, de wijkraad.",
        ["consultatie"],
        (20, "reacties"),
    ),
}


def _plan(cyclus, user, *, vaststellen: bool) -> None:
    if Participatieplan.objects.filter(cyclus=cyclus).exists():
        return
    if cyclus.fase == Fase.AFGEROND:
        # A closed cycle is no longer edited: its plan is carried over as it was.
        plan = services_plan.plan_van(cyclus)
        for fase, (niveau, wel, geen, groepen, middelen, draagvlak) in DEMO_PLAN.items():
            Planfase.objects.filter(plan=plan, fase=fase).update(
                niveau=niveau,
                wel_invloed=wel,
                geen_invloed=geen,
                doelgroepen=groepen,
                middelen=middelen,
                draagvlak_aantal=draagvlak[0] if draagvlak else None,
                draagvlak_soort=draagvlak[1] if draagvlak else "",
            )
        Participatieplan.objects.filter(pk=plan.pk).update(
            status=Planstatus.VASTGESTELD, vastgesteld_op=timezone.now()
        )
        return
    versie = 1
    for fase, (niveau, wel, geen, groepen, middelen, draagvlak) in DEMO_PLAN.items():
        services_plan.planfase_wijzigen(
            cyclus=cyclus,
            user=user,
            expected_versie=versie,
            fase=fase,
            niveau=niveau,
            wel_invloed=wel,
            geen_invloed=geen,
            doelgroepen=groepen,
            middelen=middelen,
            draagvlak_aantal=draagvlak[0] if draagvlak else None,
            draagvlak_soort=draagvlak[1] if draagvlak else "",
        )
        versie += 1
    if vaststellen:
        services_plan.participatieplan_vaststellen(cyclus=cyclus, user=user, expected_versie=versie)


def _adviezen(accounts) -> None:
    if Advies.objects.exists():
        return
    today = timezone.localdate()
    lid = accounts["wijkraadslid"]
    crooswijk = (
        Werkcyclus.objects.select_related("werkgebied")
        .filter(werkgebied__slug="crooswijk", jaar=2027)
        .first()
    )
    if crooswijk is not None:
        services_advies.advies_vragen(
            werkgebied=crooswijk.werkgebied,
            user=accounts["wijkmanager"],
            onderwerp="participatieplan",
            cyclus=crooswijk,
            vraag="Wij vragen de wijkraad om advies over het participatieplan 2027: zijn de "
            "kaders per fase helder, en bereiken we met deze middelen de goede groepen?",
            termijn=today + datetime.timedelta(days=21),
        )
    feijenoord = (
        Werkcyclus.objects.select_related("werkgebied")
        .filter(werkgebied__slug="feijenoord", jaar=2025)
        .first()
    )
    manager = accounts["wijkmanager_feijenoord"]
    if feijenoord is not None:
        gevraagd = services_advies.advies_vragen(
            werkgebied=feijenoord.werkgebied,
            user=manager,
            onderwerp="wijkagenda",
            cyclus=feijenoord,
            vraag="Graag uw advies over de volgorde van de agendapunten.",
            termijn=today,
        )
        gegeven = services_advies.advies_geven(
            advies=gevraagd,
            user=lid,
            expected_versie=gevraagd.versie,
            tekst="De wijkraad adviseert de veiligheid rond de scholen bovenaan te zetten: "
            "dat is wat bewoners op de bijeenkomsten het vaakst noemden.",
            besluitdatum=today - datetime.timedelta(days=2),
        )
        services_advies.advies_beantwoorden(
            advies=gegeven,
            user=manager,
            expected_versie=gegeven.versie,
            antwoord="Het college neemt het advies over: de schoolroutes staan als eerste "
            "agendapunt op de wijkagenda.",
            antwoord_van="college",
        )
        services_advies.advies_ongevraagd(
            werkgebied=feijenoord.werkgebied,
            user=lid,
            onderwerp="wijkprogramma",
            cyclus=feijenoord,
            advies="De wijkraad vraagt meer geld uit het wijkbudget voor bewonersinitiatieven "
            "van jongeren, en minder voor evenementen.",
            besluitdatum=today - datetime.timedelta(days=1),
        )
        akkoord = Wijkakkoord.objects.filter(werkgebied=feijenoord.werkgebied).first()
        if akkoord is not None:
            te_laat = services_advies.advies_vragen(
                werkgebied=feijenoord.werkgebied,
                user=manager,
                onderwerp="wijkakkoord",
                wijkakkoord=akkoord,
                vraag="Wij vragen het advies van de wijkraad over het concept-wijkakkoord.",
                termijn=today,
            )
            # Asked weeks ago: the demo shows a deadline that has passed.
            Advies.objects.filter(pk=te_laat.pk).update(
                termijn=today - datetime.timedelta(days=5),
                gevraagd_op=timezone.now() - datetime.timedelta(days=26),
            )


def load(accounts) -> None:
    for slug, jaar, doel, wijkmanager in DEMO_CYCLI:
        cyclus = (
            Werkcyclus.objects.select_related("werkgebied")
            .filter(werkgebied__slug=slug, jaar=jaar)
            .first()
        )
        if cyclus is not None:
            _plan(cyclus, accounts[wijkmanager], vaststellen=doel != Fase.ANALYSE)
    _adviezen(accounts)
