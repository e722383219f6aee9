"""The demo resident's own place (``bewoner@demo.wijkaanpak.nl``, Crooswijk): two meldingen
reported while signed in (one taken up, so a notification about its status is waiting), the
werkgebied Crooswijk and the wijk Kralingen-West followed, an initiative of Kralingen
followed with their own address, and the weekly overview chosen. Through the services;
idempotent (nothing is added when the resident already follows something).

Then support (``steun``), in Kralingen, whose wijkagenda and wijkprogramma are public (Crooswijk's
agenda is still a concept): a second demo resident, ``bewoner.kralingen@demo.wijkaanpak.nl``
(the demo password), and a dozen and a half other residents of Kralingen (accounts without a
usable password) support its agenda points and initiatives, so the counts show against the
plan's draagvlak criterion (25 supports for the agenda phase), and the second resident finds
theirs under "Mijn wijk" and can support more."""

from cycle.models import OPENBARE_STATUSSEN, Agendapunt, Initiatief
from people.models import Frequentie, Rol, Roltoewijzing, User
from people.services_bewoners import frequentie_kiezen
from places.models import Werkgebied, Wijk

from . import bewoners, services, services_steun, services_volgen
from .models import Gebiedvolging, Steunbetuiging, Thema

# How many other residents support each agenda point, in rank order (the first past the
# plan's draagvlak of 25 is not reached yet: the demo shows the count against it).
STEUN_PER_PUNT = (18, 11, 6, 3)
ANDERE_BEWONERS = 18

DEMO_MELDINGEN = [
    ("schoon", "Bij de speeltuin aan de Crooswijkseweg liggen steeds glasscherven."),
    ("heel", "De stoeptegels voor de bibliotheek liggen los; er is al iemand gestruikeld."),
]


def load(accounts) -> None:
    _eigen_plek(accounts)
    steun(accounts)


def steun(accounts) -> None:
    from people.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

    kralingen = Werkgebied.objects.filter(slug="kralingen").first()
    if kralingen is None or accounts.get("bewoner") is None:
        return
    bewoner, created = User.objects.get_or_create(
        email=f"bewoner.kralingen{DEMO_EMAIL_DOMAIN}", defaults={"naam": "Karin uit Kralingen"}
    )
    if created:
        bewoner.set_password(DEMO_PASSWORD)
        bewoner.save(update_fields=["password"])
    Roltoewijzing.objects.get_or_create(user=bewoner, rol=Rol.BEWONER, werkgebied=kralingen)
    if Steunbetuiging.objects.filter(user=bewoner).exists():
        return
    punten = list(
        Agendapunt.objects.filter(
            wijkagenda__cyclus__werkgebied=kralingen, wijkagenda__status__in=OPENBARE_STATUSSEN
        )
        .select_related("wijkagenda__cyclus__werkgebied")
        .order_by("-wijkagenda__cyclus__jaar", "rang")
    )
    if punten:
        jaar = punten[0].wijkagenda.cyclus.jaar
        punten = [p for p in punten if p.wijkagenda.cyclus.jaar == jaar]
    initiatieven = list(
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied=kralingen,
            wijkprogramma__status__in=OPENBARE_STATUSSEN,
        )
        .select_related("wijkprogramma__cyclus__werkgebied")
        .order_by("-wijkprogramma__cyclus__jaar", "pk")[:3]
    )
    anderen = []
    for i in range(1, ANDERE_BEWONERS + 1):
        user, created = User.objects.get_or_create(
            email=f"bewoner.kralingen{i}{DEMO_EMAIL_DOMAIN}", defaults={"naam": ""}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Roltoewijzing.objects.get_or_create(user=user, rol=Rol.BEWONER, werkgebied=kralingen)
        anderen.append(user)
    for punt, aantal in zip(punten, STEUN_PER_PUNT, strict=False):
        for user in anderen[:aantal]:
            services_steun.steunen(user=user, onderwerp=punt)
    for index, initiatief in enumerate(initiatieven):
        for user in anderen[: 9 - 3 * index]:
            services_steun.steunen(user=user, onderwerp=initiatief)
    # The second demo resident's own: the second point and the first initiative.
    for onderwerp in [*punten[1:2], *initiatieven[:1]]:
        services_steun.steunen(user=bewoner, onderwerp=onderwerp)


def _eigen_plek(accounts) -> None:
    bewoner = accounts.get("bewoner")
    if bewoner is None or Gebiedvolging.objects.filter(user=bewoner).exists():
        return
    crooswijk = Werkgebied.objects.get(slug="crooswijk")
    wijk = Wijk.objects.filter(werkgebied=crooswijk).order_by("naam").first()
    meldingen = [
        services.melding_create(
            gegevens=services.NieuweMelding(
                tekst=tekst,
                thema=Thema.objects.get(slug=thema),
                wijk=wijk,
                betreft_groep=True,
                melder=bewoner,
            )
        )
        for thema, tekst in DEMO_MELDINGEN
    ]
    # The wijkmanager takes the first up: the resident finds the notification about it.
    services.melding_transition(
        melding_id=meldingen[0].pk,
        user=accounts["wijkmanager"],
        transition="in_behandeling_nemen",
        expected_versie=None,
    )
    bewoners.gebied_volgen(user=bewoner, werkgebied=crooswijk)
    kralingen_wijk = Wijk.objects.filter(werkgebied__slug="kralingen").order_by("naam").first()
    if kralingen_wijk is not None:
        bewoners.gebied_volgen(user=bewoner, wijk=kralingen_wijk)
    initiatief = (
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied__slug="kralingen", wijkprogramma__cyclus__jaar=2026
        )
        .select_related("wijkprogramma__cyclus")
        .order_by("pk")
        .first()
    )
    if initiatief is not None and services_volgen.kan_volgen(initiatief):
        services_volgen.volgen_aanmelden(initiatief=initiatief, email=bewoner.email, user=bewoner)
    frequentie_kiezen(user=bewoner, frequentie=Frequentie.WEKELIJKS)
