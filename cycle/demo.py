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
    Vaststelling,
    Werkcyclus,
)

TEKSTEN = {
    "wijkanalyse": {
        "wijkbeschrijving": (
            "Een wijk met veel jonge gezinnen en ouderen die er al lang wonen. De sociale index "
            "ligt onder het Rotterdamse gemiddelde; bewoners noemen vooral zwerfafval en "
            "onveilige oversteekplaatsen."
        ),
        "evaluatie": "Van de acties van vorig jaar is het merendeel uitgevoerd.",
        "analyse": "Schoon: veel meldingen over afval. Heel: speelplekken verouderd. "
        "Veilig: overlast rond het winkelcentrum.",
        "conclusies": "Prioriteit voor schoon en veilig rond de winkelstraat, en samen met "
        "bewoners de speelplekken vernieuwen.",
    },
    "wijkagenda": {
        "prioriteiten": "1. Schone straten rond de winkelstraat.\n2. Veilige schoolroutes.\n"
        "3. Vernieuwde speelplekken, ontworpen met kinderen uit de wijk.",
        "beleidssignalen": "Het inzamelschema van grofvuil past niet bij de wijk.",
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


def _fill_and_adopt(product, user, *, publish: bool) -> None:
    product = services.product_update(
        product=product,
        user=user,
        expected_versie=product.versie,
        data=TEKSTEN[product.SOORT],
    )
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
    autodiscover_modules("demo")
    for uitbreiding in _uitbreidingen:
        uitbreiding(accounts)
    return accounts
