"""The demo: one werkgebied in each phase, and an account for each role. Built through the
services, so the audit log and every rule hold in the demo as in real use."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from people.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from people.models import Cluster, Rol, Roltoewijzing, User
from places.models import Gebied, Werkgebied

from . import services
from .models import (
    PRODUCT_VAN_FASE,
    Fase,
    Opsteller,
    Productstatus,
    Taakverdeling,
    ThemaAnalyse,
    Vaststelling,
    Werkcyclus,
    Wijkanalyse,
    Wijkthema,
)

TEKSTEN = {
    "wijkanalyse": {
        "wijkbeschrijving": (
            "Een wijk met veel jonge gezinnen en ouderen die er al lang wonen. De sociale index "
            "ligt onder het Rotterdamse gemiddelde; bewoners noemen vooral zwerfafval en "
            "onveilige oversteekplaatsen."
        ),
        "evaluatie": "Van de acties van vorig jaar is het merendeel uitgevoerd.",
        "conclusies": "Prioriteit voor schoon en veilig rond de winkelstraat, en samen met "
        "bewoners de speelplekken vernieuwen.",
    },
    "wijkagenda": {
        "toelichting": "De bewonersavond en de checklist gaven drie punten die voorgaan; het "
        "inzamelschema van grofvuil vraagt om een ander beleid van de stad.",
    },
    "wijkprogramma": {
        "toelichting": "Het programma zet de drie prioriteiten van de wijkagenda om in acties.",
        "bestedingsvoorstel": "Wijkbudget: € 40.000 voor bewonersinitiatieven, "
        "€ 10.000 knelpuntenbudget.",
    },
    "wijkverslag": {
        "resultaten": "Twaalf schoonmaakacties met gemiddeld dertig bewoners; twee schoolzones "
        "heringericht; het ontwerp voor drie speelplekken is klaar.",
        "jaarrekening": "Besteed: € 46.250 van € 50.000.",
        "vooruitblik": "De speelplekken worden volgend jaar aangelegd.",
    },
}

# The analysis per theme: (theme, strengths, problems, opportunities, evidence).
THEMA_ANALYSES = [
    (
        "schoon",
        "Actieve bewonersgroepen die zelf zwerfafval opruimen.",
        "Zwerfafval en bijplaatsingen rond de winkelstraat en de containers.",
        "Meer bewoners betrekken bij schoonmaakacties; afvalcoaches.",
        "Afval is het meest gemelde thema van de afgelopen twaalf maanden; de fysieke index "
        "daalde sinds de vorige meting.",
    ),
    (
        "veilig",
        "Buurtpreventieteams in twee buurten.",
        "Onveilige oversteekplaatsen op de schoolroutes; overlast rond het winkelcentrum.",
        "Schoolzones samen met ouders en scholen inrichten.",
        "De veiligheidsindex ligt onder het gemiddelde van het gebied.",
    ),
    (
        "groen-en-buitenruimte",
        "Veel groen langs de singels.",
        "De speelplekken zijn verouderd en weinig uitdagend voor oudere kinderen.",
        "Speelplekken ontwerpen met kinderen uit de wijk.",
        "Twee van de vijf speelplekken zijn ouder dan twintig jaar (inventarisatie Stadsbeheer).",
    ),
]

# The agenda: (title, the problem as residents put it, theme of the analysis it rests on).
AGENDAPUNTEN = [
    (
        "Schone straten rond de winkelstraat",
        "“Elke maandag ligt het vuil naast de containers en de meeuwen halen het open.”",
        "schoon",
    ),
    (
        "Veilige schoolroutes",
        "“Ik laat mijn kinderen niet alleen oversteken bij de rotonde.”",
        "veilig",
    ),
    (
        "Speelplekken voor en met kinderen",
        "“Er is niets te doen voor kinderen boven de acht.”",
        "groen-en-buitenruimte",
    ),
]

BELEIDSSIGNAAL = (
    "Inzamelschema grofvuil past niet bij de wijk",
    "Grofvuil wordt eens per twee weken opgehaald; in deze dichtbebouwde wijk staat het "
    "daardoor dagenlang op straat. Wij vragen Stadsbeheer het schema aan te passen.",
    "stadsbeheer",
)

REDEN_VROEG_AFGESLOTEN = "Alle acties van het programma zijn uitgevoerd; de verantwoording begint."

# (werkgebied slug, programme year, phase to reach, demo account of its wijkmanager)
DEMO_CYCLI = [
    ("crooswijk", 2027, Fase.ANALYSE, "wijkmanager"),
    ("bospolder-spangen-tussendijken", 2027, Fase.AGENDA, "wijkmanager_delfshaven"),
    ("kralingen", 2027, Fase.PROGRAMMA, "wijkmanager"),
    ("oude-noorden", 2026, Fase.UITVOERING, "wijkmanager"),
    ("oude-noorden", 2027, Fase.ANALYSE, "wijkmanager"),
    ("feijenoord", 2025, Fase.VERANTWOORDING, "wijkmanager_feijenoord"),
    ("delfshaven-schiemond", 2025, Fase.AFGEROND, "wijkmanager_delfshaven"),
]

STAPPEN = {
    Fase.ANALYSE: "naar_agenda",
    Fase.AGENDA: "naar_programma",
    Fase.PROGRAMMA: "naar_uitvoering",
    Fase.UITVOERING: "naar_verantwoording",
    Fase.VERANTWOORDING: "afronden",
}


def _user(email: str, naam: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"naam": naam, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _rol(user, rol, **scope) -> None:
    Roltoewijzing.objects.get_or_create(user=user, rol=rol, **scope)


def demo_accounts() -> dict[str, User]:
    def wg(slug):
        return Werkgebied.objects.get(slug=slug)

    d = DEMO_EMAIL_DOMAIN
    accounts = {
        "wijkmanager": _user(f"wijkmanager{d}", "Wendy de Wijkmanager"),
        "wijkmanager_delfshaven": _user(f"wijkmanager.delfshaven{d}", "Dirk van Delfshaven"),
        "wijkmanager_feijenoord": _user(f"wijkmanager.feijenoord{d}", "Fatima el Feijenoord"),
        "accounthouder": _user(f"accounthouder{d}", "Anton Accounthouder"),
        "wijkraadslid": _user(f"wijkraadslid{d}", "Wilma Wijkraadslid"),
        "raad": _user(f"raad{d}", "Ruud Raadslid"),
        # A beheerder by role only, as in real use: no superuser with a published password.
        "beheerder": _user(f"beheerder{d}", "Bea Beheerder"),
        "bewoner": _user(f"bewoner{d}", "Bram Bewoner"),
    }
    _rol(accounts["wijkmanager"], Rol.WIJKMANAGER, werkgebied=wg("crooswijk"))
    _rol(accounts["wijkmanager"], Rol.WIJKMANAGER, werkgebied=wg("kralingen"))
    _rol(accounts["wijkmanager"], Rol.WIJKMANAGER, werkgebied=wg("oude-noorden"))
    _rol(
        accounts["wijkmanager_delfshaven"],
        Rol.WIJKMANAGER,
        gebied=Gebied.objects.get(slug="delfshaven"),
    )
    _rol(accounts["wijkmanager_feijenoord"], Rol.WIJKMANAGER, werkgebied=wg("feijenoord"))
    _rol(
        accounts["accounthouder"],
        Rol.ACCOUNTHOUDER,
        cluster=Cluster.objects.get(slug="stadsbeheer"),
        gebied=Gebied.objects.get(slug="kralingen-crooswijk"),
    )
    _rol(accounts["wijkraadslid"], Rol.WIJKRAADSLID, werkgebied=wg("crooswijk"))
    # Also in Feijenoord, where the wijkraad writes the wijkverslag.
    _rol(accounts["wijkraadslid"], Rol.WIJKRAADSLID, werkgebied=wg("feijenoord"))
    _rol(accounts["raad"], Rol.RAAD)
    _rol(accounts["beheerder"], Rol.BEHEERDER)
    _rol(accounts["bewoner"], Rol.BEWONER, werkgebied=wg("crooswijk"))
    return accounts


def _fill_analyse(analyse, user):
    """The analysis per theme, through the same services as the pages."""
    from .services_analyse import thema_analyse_opslaan

    for slug, sterktes, problemen, kansen, onderbouwing in THEMA_ANALYSES:
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=user,
            expected_versie=type(analyse).objects.get(pk=analyse.pk).versie,
            thema=Wijkthema.objects.get(slug=slug),
            sterktes=sterktes,
            problemen=problemen,
            kansen=kansen,
            onderbouwing=onderbouwing,
        )


def _fill_agenda(agenda, user):
    """The ranked agenda, each point resting on the analysis of its theme, and one
    beleidssignaal (for Stadsbeheer, whose demo accounthouder answers it)."""
    from .services_agenda import agendapunt_create, beleidssignaal_create

    analyses = {
        a.thema.slug: a
        for a in ThemaAnalyse.objects.filter(wijkanalyse__cyclus=agenda.cyclus).select_related(
            "thema"
        )
    }
    for titel, probleem, slug in AGENDAPUNTEN:
        agendapunt_create(
            wijkagenda=agenda,
            user=user,
            expected_versie=type(agenda).objects.get(pk=agenda.pk).versie,
            titel=titel,
            probleem=probleem,
            thema=Wijkthema.objects.get(slug=slug),
            themaanalyses=[analyses[slug]] if slug in analyses else [],
            onderbouwing="" if slug in analyses else "Bewonersavond",
            collectief=True,
        )
    titel, toelichting, cluster = BELEIDSSIGNAAL
    beleidssignaal_create(
        wijkagenda=agenda,
        user=user,
        expected_versie=type(agenda).objects.get(pk=agenda.pk).versie,
        titel=titel,
        toelichting=toelichting,
        cluster=Cluster.objects.get(slug=cluster),
    )


# The initiatives every filled programme gets, one per agendapunt (in rank order), owned by a
# partner or a residents' group, whose toezegging whoever runs the cycle records on their
# behalf (the demo's cluster-owned initiatives, which an accounthouder answers, come on top).
PROGRAMMA_INITIATIEVEN = [
    (
        "Schoonmaakacties met bewoners",
        "Elke maand een ochtend samen de straten schoon; minder afval naast de containers.",
        {"bewonersgroep": "Bewonersgroep Schone Straten"},
        "Mevrouw Yilmaz",
        "De helft minder meldingen over afval",
    ),
    (
        "Veilige schoolroutes",
        "Drie schoolzones herinricht, met ouders en kinderen ontworpen.",
        {"partner": "eerste"},
        "Wijkagent Jansen",
        "Drie schoolzones klaar voor de zomer",
    ),
    (
        "Speelplek-ontwerpsessies",
        "Kinderen en ouders ontwerpen de nieuwe speelplek; de stad bouwt hem.",
        {"bewonersgroep": "Ouders van de Pijperstraat"},
        "Karim El Idrissi",
        "Een ontwerp dat door de buurt gekozen is",
    ),
]


def _fill_programma(programma, user):
    """One initiative per agendapunt, each committed to, so that the programme can be
    adopted."""
    import datetime

    from people.models import Partner

    from .models import Agendapunt, Initiatief, Wijkprogramma
    from .services_programma import initiatief_toevoegen, initiatief_toezeggen

    jaar = programma.cyclus.jaar
    punten = list(Agendapunt.objects.filter(wijkagenda__cyclus=programma.cyclus).order_by("rang"))
    partner = Partner.objects.order_by("pk").first()
    for punt, (titel, effect, eigenaar, trekker, indicator) in zip(
        punten, PROGRAMMA_INITIATIEVEN, strict=False
    ):
        if "partner" in eigenaar:
            eigenaar = {"partner": partner} if partner else {"bewonersgroep": "Buurtpreventie"}
        initiatief = initiatief_toevoegen(
            wijkprogramma=programma,
            user=user,
            expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
            agendapunt=punt,
            titel=titel,
            beoogd_effect=effect,
            trekker_naam=trekker,
            start=datetime.date(jaar, 2, 1),
            eind=datetime.date(jaar, 11, 30),
            succesindicator=indicator,
            **eigenaar,
        )
        initiatief_toezeggen(
            initiatief=initiatief,
            user=user,
            expected_versie=Initiatief.objects.get(pk=initiatief.pk).versie,
        )


def _fill_uitvoering(cyclus, user, *, lopend: int = 0):
    """The execution year: every initiative started and realised, except the last ``lopend``
    ones, still running when the year ends (for the twelve-month report to decide on)."""
    import datetime

    from .models import Initiatief, Uitvoeringsstatus
    from .services_programma import Update, voortgang_melden

    initiatieven = list(
        Initiatief.objects.filter(wijkprogramma__cyclus=cyclus, status=Uitvoeringsstatus.GEPLAND)
        .select_related("wijkprogramma__cyclus__werkgebied")
        .order_by("agendapunt__rang", "pk")
    )
    vandaag = timezone.localdate()
    for n, initiatief in enumerate(initiatieven):
        stappen = [("in_uitvoering", 40, "Gestart met de eerste bijeenkomst.")]
        if n < len(initiatieven) - lopend:
            stappen.append(("gerealiseerd", 100, "Klaar; de succesindicator is gehaald."))
        for status, percentage, tekst in stappen:
            initiatief = Initiatief.objects.select_related("wijkprogramma__cyclus__werkgebied").get(
                pk=initiatief.pk
            )
            voortgang_melden(
                user=user,
                update=Update(
                    initiatief,
                    initiatief.versie,
                    tekst=tekst,
                    percentage=percentage,
                    status=status,
                    datum=min(vandaag, datetime.date(cyclus.jaar, 6, 1)),
                ),
            )


def _fill_verslag(verslag, user):
    """The twelve-month report: what was realised is recorded so; what still runs is dropped
    with a reason (carrying over needs next year's cycle)."""
    from .models import Afloop, Initiatief, Uitvoeringsstatus
    from .services_verslag import afloop_vastleggen

    for initiatief in Initiatief.objects.filter(wijkprogramma__cyclus=verslag.cyclus, afloop=""):
        realised = initiatief.status == Uitvoeringsstatus.GEREALISEERD
        afloop_vastleggen(
            initiatief=initiatief,
            user=user,
            expected_versie=initiatief.versie,
            afloop=Afloop.GEREALISEERD if realised else Afloop.GESCHRAPT,
            reden="" if realised else "De partners hebben het anders opgelost.",
        )


def vul_product(product, user, **teksten):
    """Fill ``product`` with the demo's texts (``teksten`` overriding them) and content, so
    that it can be adopted; returns it fresh from the database."""
    product = services.product_update(
        product=product,
        user=user,
        expected_versie=product.versie,
        data={**TEKSTEN[product.SOORT], **teksten},
    )
    if product.SOORT == "wijkanalyse":
        _fill_analyse(product, user)
    elif product.SOORT == "wijkagenda":
        _fill_agenda(product, user)
    elif product.SOORT == "wijkprogramma":
        _fill_programma(product, user)
    elif product.SOORT == "wijkverslag":
        _fill_verslag(product, user)
    return type(product).objects.select_related("cyclus__werkgebied").get(pk=product.pk)


def _fill_and_adopt(product, user, *, publish: bool) -> None:
    product = vul_product(product, user)
    college = user.has_perm("cycle.record_adoption", product)
    product = services.product_transition(
        product=product,
        user=user,
        transition="vaststellen",
        expected_status=product.status,
        besluitreferentie=f"B&W {product.cyclus.jaar - 1}/{product.pk:04d}" if college else "",
    )
    if publish:
        services.product_transition(
            product=product,
            user=user,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )


def demo_cycle(
    *, werkgebied: Werkgebied, jaar: int, doel: Fase, user, lopend: int = 0
) -> Werkcyclus | None:
    """Take a new cycle to phase ``doel`` through the services. What was adopted is published,
    except a programme whose cycle is still running (so the demo shows a product that is
    adopted but not yet public); a closed cycle has everything published, as it must."""
    if Werkcyclus.objects.filter(werkgebied=werkgebied, jaar=jaar).exists():
        return None
    cyclus = services.werkcyclus_create(werkgebied=werkgebied, jaar=jaar, user=user)
    volgorde = list(STAPPEN)
    for fase in volgorde:
        if fase == doel:
            break
        product_model = PRODUCT_VAN_FASE[fase]
        product = product_model.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
        if product.status not in (Productstatus.VASTGESTELD, Productstatus.GEPUBLICEERD):
            publish = fase != Fase.PROGRAMMA or doel == Fase.AFGEROND
            _fill_and_adopt(product, user, publish=publish)
        if fase == Fase.VERANTWOORDING:
            # Closing needs every product public, the programme included.
            programma = cyclus.wijkprogramma.__class__.objects.get(cyclus=cyclus)
            if programma.status == Productstatus.VASTGESTELD:
                services.product_transition(
                    product=programma,
                    user=user,
                    transition="publiceren",
                    expected_status=Productstatus.VASTGESTELD,
                    bevestigd=True,
                )
        if fase == Fase.UITVOERING:
            _fill_uitvoering(cyclus, user, lopend=lopend)
        cyclus = Werkcyclus.objects.get(pk=cyclus.pk)
        cyclus = services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=user,
            transition=STAPPEN[fase],
            expected_fase=fase,
            reden=REDEN_VROEG_AFGESLOTEN
            if cyclus.reden_verplicht(STAPPEN[fase], today=timezone.localdate())
            else "",
        )
    return cyclus


# The checklist of Crooswijk 2027 (in its analysis phase): (account, as, {question: answer}).
CHECKLIST = [
    (
        "bewoner",
        "bewoner",
        {
            1: "Achteruit, vooral rond de winkelstraat.",
            3: "Het vuil naast de containers, en te hard rijden op de Boezemweg.",
            8: "Meer toezicht en een vaste schoonmaakdag met de buurt.",
            10: "Ik wil wel meedoen met een opruimactie op zaterdag.",
        },
    ),
    (
        "wijkraadslid",
        "wijkraadslid",
        {
            1: "Vooruit in de nieuwbouw, achteruit in de oude straten.",
            15: "Twee bewonersorganisaties en een actieve moskeevereniging.",
            18: "De voorzitter van de speeltuinvereniging is een echte voorloper.",
        },
    ),
    (
        "accounthouder",
        "accounthouder",
        {
            3: "Bijplaatsingen bij de ondergrondse containers: drie keer het stadsgemiddelde.",
            16: "Stadsbeheer kan vaker vegen als bewoners de plekken melden.",
        },
    ),
]


@transaction.atomic
def demo_checklist(accounts) -> None:
    """Crooswijk 2027 is in its analysis phase: three people answered the checklist, and the
    wijkmanager quoted the resident's answer in the analysis of the theme ‘schoon’
    (idempotent: nothing is added once the checklist has answers)."""
    from .services_analyse import citaat_toevoegen, thema_analyse_opslaan
    from .services_checklist import checklist_opslaan

    analyse = (
        Wijkanalyse.objects.select_related("cyclus__werkgebied")
        .filter(cyclus__werkgebied__slug="crooswijk", cyclus__jaar=2027)
        .first()
    )
    if analyse is None or analyse.checklists.exists():
        return
    for account, als, antwoorden in CHECKLIST:
        checklist_opslaan(
            wijkanalyse=analyse,
            user=accounts[account],
            respondent=als,
            antwoorden=antwoorden,
            expected_versie=None,
        )
    wijkmanager = accounts["wijkmanager"]
    slug, sterktes, problemen, kansen, onderbouwing = THEMA_ANALYSES[0]

    thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=Wijkanalyse.objects.get(pk=analyse.pk).versie,
        thema=Wijkthema.objects.get(slug=slug),
        sterktes=sterktes,
        problemen=problemen,
        kansen=kansen,
        onderbouwing=onderbouwing,
    )
    antwoord = analyse.checklists.get(respondent="bewoner").antwoorden.get(vraag__nummer=3)
    citaat_toevoegen(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=Wijkanalyse.objects.get(pk=analyse.pk).versie,
        antwoord=antwoord,
        thema=Wijkthema.objects.get(slug=slug),
    )


# Other apps add their part of the showroom (meldingen, ...) from a module ``<app>/demo.py``
# with ``@register``; ``load_demo`` imports those modules, so ``cycle`` imports none of them.
_uitbreidingen = []


def register(uitbreiding):
    """Add ``uitbreiding(accounts)`` to the demo; it runs after the cycles, idempotently."""
    if uitbreiding not in _uitbreidingen:
        _uitbreidingen.append(uitbreiding)
    return uitbreiding


@transaction.atomic
def load_demo() -> dict[str, User]:
    # Accounts with a published password must never exist in a real deployment.
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    accounts = demo_accounts()
    # Feijenoord works as Rotterdam does since 2022: the wijkraad writes the wijkverslag, the
    # college adopts and the wijkmanager records its decision (see its roles page).
    Taakverdeling.objects.get_or_create(
        werkgebied=Werkgebied.objects.get(slug="feijenoord"),
        defaults={
            "wijkverslag_opsteller": Opsteller.WIJKRAAD,
            "vaststelling": Vaststelling.COLLEGE,
        },
    )
    for slug, jaar, doel, wijkmanager in DEMO_CYCLI:
        demo_cycle(
            werkgebied=Werkgebied.objects.select_related("gebied").get(slug=slug),
            jaar=jaar,
            doel=doel,
            user=accounts[wijkmanager],
            # A year being accounted for has one initiative whose end is still to decide.
            lopend=1 if doel == Fase.VERANTWOORDING else 0,
        )
    demo_checklist(accounts)
    autodiscover_modules("demo")
    for uitbreiding in _uitbreidingen:
        uitbreiding(accounts)
    return accounts


# ------------------------------------------------ the programme as the accounthouder meets it

# Kralingen 2027 is drafting its programme: two initiatives of Stadsbeheer wait for the demo
# accounthouder (Stadsbeheer, gebied Kralingen-Crooswijk). (agendapunt rank, title, effect,
# trekker named by the drafter, success indicator, amount from the wijkbudget)
TOEZEGGING_GEVRAAGD = [
    (
        1,
        "Extra veegronde na het marktweekend",
        "Op maandagochtend geen afval meer rond de winkelstraat en de containers.",
        "",
        "Helft minder meldingen over afval op maandag",
        "0",
    ),
    (
        3,
        "Speeltoestellen vervangen in twee binnenhoven",
        "Kinderen boven de acht hebben weer een plek om te spelen, dicht bij huis.",
        "Sanne Bakker",
        "Twee vernieuwde speelplekken, door de kinderen mee ontworpen",
        "12500",
    ),
]

# Kralingen 2026 is in its execution year: three Stadsbeheer initiatives the accounthouder
# committed to, with their progress (one realised, one delayed with an open knelpunt, one with
# a knelpunt the wijkmanager resolved). (rank, title, effect, trekker, indicator, updates as
# (month, status, percentage, text), knelpunt as (description, resolution or ""))
UITVOERING_STADSBEHEER = [
    (
        1,
        "Afvalcoaches in de winkelstraat",
        "Ondernemers en bewoners zetten hun afval op tijd en op de goede plek.",
        "Mohamed Yilmaz",
        "30% minder bijplaatsingen dan vorig jaar",
        [
            (
                2,
                "in_uitvoering",
                20,
                "Twee afvalcoaches zijn begonnen; eerste ronde langs de winkels.",
            ),
            (6, "in_uitvoering", 60, "Alle ondernemers bezocht; de bijplaatsingen nemen af."),
            (10, "gerealiseerd", 100, "Klaar: 34% minder bijplaatsingen dan vorig jaar."),
        ],
        None,
    ),
    (
        2,
        "Verlichting op de schoolroutes",
        "Ouders laten hun kinderen weer alleen naar school lopen, ook in de winter.",
        "Kees Kok",
        "Elf nieuwe lichtmasten langs de drie schoolroutes",
        [
            (3, "in_uitvoering", 25, "Het ontwerp is met de ouders en de scholen besproken."),
            (9, "vertraagd", 40, "Vertraagd: de vergunning voor de masten laat op zich wachten."),
        ],
        (
            "De omgevingsvergunning voor de lichtmasten ligt al drie maanden bij de gemeente.",
            "",
        ),
    ),
    (
        3,
        "Speelplek Lusthofstraat opknappen",
        "Een veilige, uitdagende speelplek die de kinderen zelf hebben ontworpen.",
        "Sanne Bakker",
        "De speelplek is open voor de zomervakantie",
        [
            (4, "in_uitvoering", 30, "Het ontwerp van de kinderen is gekozen."),
            (8, "in_uitvoering", 70, "De toestellen staan; de ondergrond volgt."),
        ],
        (
            "De leverancier kan de valondergrond pas na de zomer leveren.",
            "Een andere leverancier gevonden via het inkoopteam; levering in september.",
        ),
    ),
]


def _punten(cyclus) -> dict:
    from .models import Agendapunt

    return {p.rang: p for p in Agendapunt.objects.filter(wijkagenda__cyclus=cyclus)}


def _stadsbeheer_initiatief(programma, user, punt, titel, effect, trekker, indicator, bedrag):
    import datetime

    from .models import Wijkprogramma
    from .services_programma import initiatief_toevoegen

    jaar = programma.cyclus.jaar
    return initiatief_toevoegen(
        wijkprogramma=programma,
        user=user,
        expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
        agendapunt=punt,
        titel=titel,
        beoogd_effect=effect,
        cluster=Cluster.objects.get(slug="stadsbeheer"),
        trekker_naam=trekker,
        bijdragers="Bewoners en ondernemers uit de buurt",
        participatieniveau="coproduceren",
        start=datetime.date(jaar, 2, 1),
        eind=datetime.date(jaar, 11, 30),
        bedrag=bedrag,
        financiering="wijkbudget" if bedrag != "0" else "geen",
        succesindicator=indicator,
    )


def _demo_toezeggingen(accounts) -> None:
    """Two Stadsbeheer initiatives in Kralingen 2027's programme, waiting for the
    accounthouder (once: not when the programme has any of Stadsbeheer, or is past drafting)."""
    from .models import Wijkprogramma

    programma = (
        Wijkprogramma.objects.select_related("cyclus__werkgebied")
        .filter(cyclus__werkgebied__slug="kralingen", cyclus__jaar=2027)
        .first()
    )
    if (
        programma is None
        or not programma.is_bewerkbaar
        or programma.initiatieven.filter(cluster__slug="stadsbeheer").exists()
    ):
        return
    punten = _punten(programma.cyclus)
    for rang, titel, effect, trekker, indicator, bedrag in TOEZEGGING_GEVRAAGD:
        if rang in punten:
            _stadsbeheer_initiatief(
                programma,
                accounts["wijkmanager"],
                punten[rang],
                titel,
                effect,
                trekker,
                indicator,
                bedrag,
            )


def _demo_uitvoering(accounts) -> None:
    """Kralingen 2026 in its execution year (made once, with the cycle): the accounthouder
    committed to three Stadsbeheer initiatives and reports their progress; one is delayed with
    an open knelpunt, another had a knelpunt the wijkmanager resolved."""
    import datetime

    from .models import Initiatief, Wijkprogramma
    from .services_programma import (
        Update,
        initiatief_toezeggen,
        knelpunt_melden,
        knelpunt_oplossen,
        voortgang_melden,
    )

    wijkmanager, accounthouder = accounts["wijkmanager"], accounts["accounthouder"]
    cyclus = demo_cycle(
        werkgebied=Werkgebied.objects.select_related("gebied").get(slug="kralingen"),
        jaar=2026,
        doel=Fase.PROGRAMMA,
        user=wijkmanager,
    )
    if cyclus is None:
        return
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    programma = vul_product(programma, wijkmanager)
    punten = _punten(cyclus)
    gemaakt = []
    for rang, titel, effect, trekker, indicator, updates, knelpunt in UITVOERING_STADSBEHEER:
        initiatief = _stadsbeheer_initiatief(
            programma, wijkmanager, punten[rang], titel, effect, trekker, indicator, "0"
        )
        initiatief_toezeggen(initiatief=initiatief, user=accounthouder, expected_versie=1)
        gemaakt.append((initiatief, updates, knelpunt))
    # Adopted and published (not ``_fill_and_adopt``: it is filled already).
    programma = services.product_transition(
        product=Wijkprogramma.objects.select_related("cyclus__werkgebied").get(pk=programma.pk),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    services.product_transition(
        product=programma,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
    cyclus = Werkcyclus.objects.get(pk=cyclus.pk)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_uitvoering",
        expected_fase=Fase.PROGRAMMA,
        reden=REDEN_VROEG_AFGESLOTEN
        if cyclus.reden_verplicht("naar_uitvoering", today=timezone.localdate())
        else "",
    )
    vandaag = timezone.localdate()

    def fresh(initiatief):
        return Initiatief.objects.select_related("wijkprogramma__cyclus__werkgebied").get(
            pk=initiatief.pk
        )

    for initiatief, updates, knelpunt in gemaakt:
        for maand, status, percentage, tekst in updates:
            initiatief = fresh(initiatief)
            voortgang_melden(
                user=accounthouder,
                update=Update(
                    initiatief,
                    initiatief.versie,
                    tekst=tekst,
                    percentage=percentage,
                    status=status,
                    datum=min(vandaag, datetime.date(cyclus.jaar, maand, 15)),
                    verwacht_eind=vandaag + datetime.timedelta(days=75)
                    if status == "vertraagd"
                    else None,
                ),
            )
        if knelpunt is not None:
            beschrijving, oplossing = knelpunt
            gemeld = knelpunt_melden(
                initiatief=fresh(initiatief), user=accounthouder, beschrijving=beschrijving
            )
            if oplossing:
                knelpunt_oplossen(knelpunt=gemeld, user=wijkmanager, oplossing=oplossing)


def toezeggingen_geven(programma) -> None:
    """Commit, as the demo accounthouder, every initiative of ``programma`` still waiting for
    Stadsbeheer (for a journey that needs Kralingen 2027's programme complete: the demo leaves
    two waiting)."""
    from .models import Initiatief
    from .services_programma import initiatief_toezeggen

    accounthouder = User.objects.get(email=f"accounthouder{DEMO_EMAIL_DOMAIN}")
    for initiatief in Initiatief.objects.filter(
        wijkprogramma=programma, cluster__slug="stadsbeheer"
    ).exclude(toezegging="toegezegd"):
        initiatief_toezeggen(
            initiatief=initiatief,
            user=accounthouder,
            expected_versie=initiatief.versie,
            trekker_naam=initiatief.trekker_naam or "Kees Kok",
        )


def demo_programma(accounts) -> None:
    """The wijkprogramma and its execution as the demo accounthouder meets them: initiatives
    waiting for a toezegging, and committed ones to report on (idempotent)."""
    _demo_toezeggingen(accounts)
    _demo_uitvoering(accounts)


register(demo_programma)


# The wijk-MT of Kralingen (its delegation, meetings and besluitenlijst): after the execution
# year above, whose initiatives and knelpunten its decisions are about.
from .demo_wijkmt import demo_wijkmt  # noqa: E402

register(demo_wijkmt)


def demo_wijkakkoord(accounts) -> None:
    """The wijkakkoorden (``cycle.demo_akkoord``): after the programmes, whose agendapunten
    and initiatives refer to Kralingen's."""
    from .demo_akkoord import demo_akkoord

    demo_akkoord(accounts)


register(demo_wijkakkoord)
