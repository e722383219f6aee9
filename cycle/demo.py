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
        "initiatieven": "Schoonmaakacties met bewoners (trekker: Stadsbeheer).\n"
        "Schoolzones herinrichten (trekker: Stadsontwikkeling).\n"
        "Speelplek-ontwerpsessies (trekker: bewonersorganisatie).",
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


def demo_cycle(*, werkgebied: Werkgebied, jaar: int, doel: Fase, user) -> Werkcyclus | None:
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
        )
    demo_checklist(accounts)
    autodiscover_modules("demo")
    for uitbreiding in _uitbreidingen:
        uitbreiding(accounts)
    return accounts
