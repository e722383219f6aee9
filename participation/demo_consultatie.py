"""A consultation in the demo: the wijkagenda 2027 of Bospolder-Spangen-Tussendijken (in its
agenda phase) is in consultation, with reactions in every state — placed by a signed-in
resident and by confirmed addresses, one about an agendapunt, one still waiting for its
confirmation, one hidden with a reason — and answers to some, so that ``make run`` shows the
public page, the moderation list, "Mijn werk" and the adoption blocked by the unanswered one.
Through the services; idempotent."""

from cycle import services as cycle_services
from cycle.demo import vul_product
from cycle.models import Productstatus, Wijkagenda

from . import services_consultatie as services
from .models import Consultatie

SLUG, JAAR = "bospolder-spangen-tussendijken", 2027
# (text, e-mail or "" for the demo resident's account, agendapunt rank or None, what then:
# "antwoord" with (answer, what changed), "verbergen" with a reason, "wacht", or None)
DEMO_REACTIES = [
    (
        "Goed dat schone straten bovenaan staan. Kunnen de bewoners van de Mathenesserweg "
        "meedoen met de opruimacties?",
        "",
        1,
        (
            "antwoord",
            "Ja: bij elke opruimactie nodigen we de bewoners van de straat uit via de "
            "bewonersorganisatie.",
            "Bij agendapunt 1 staat nu dat bewoners de acties mee organiseren.",
        ),
    ),
    (
        "Ik mis de verkeersveiligheid rond de scholen aan de Schiedamseweg.",
        "ouder.spangen@demo.wijkaanpak.invalid",
        None,
        (
            "antwoord",
            "Dank u. De schoolroutes vallen onder het agendapunt over veilige routes; daar "
            "noemen we de Schiedamseweg nu met name.",
            "",
        ),
    ),
    (
        "Meer groen in Tussendijken graag, de binnenterreinen zijn helemaal versteend.",
        "groen.tussendijken@demo.wijkaanpak.invalid",
        None,
        None,
    ),
    (
        "Jullie zijn allemaal zakkenvullers en ik weet waar de wijkmanager woont.",
        "anoniem.boos@demo.wijkaanpak.invalid",
        None,
        ("verbergen", "Bevat een bedreiging; de reactie gaat niet over de wijkagenda."),
    ),
    (
        "Een speelplek voor tieners in Bospolder ontbreekt op de agenda.",
        "tiener.ouder@demo.wijkaanpak.invalid",
        None,
        ("wacht",),
    ),
]


def load(accounts) -> None:
    agenda = (
        Wijkagenda.objects.select_related("cyclus__werkgebied")
        .filter(cyclus__werkgebied__slug=SLUG, cyclus__jaar=JAAR)
        .first()
    )
    if agenda is None or Consultatie.objects.filter(cyclus=agenda.cyclus).exists():
        return
    if agenda.status != Productstatus.CONCEPT:
        return
    wijkmanager = accounts["wijkmanager_delfshaven"]
    agenda = vul_product(agenda, wijkmanager)
    cycle_services.product_transition(
        product=agenda,
        user=wijkmanager,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    consultatie = Consultatie.objects.select_related(
        "cyclus__werkgebied", "cyclus__wijkagenda"
    ).get(cyclus=agenda.cyclus, soort="wijkagenda")
    punten = {p.rang: p for p in agenda.agendapunten.all()}
    for tekst, email, rang, daarna in DEMO_REACTIES:
        onderdeel = f"agendapunt-{punten[rang].pk}" if rang in punten else ""
        reactie = services.reactie_plaatsen(
            consultatie=consultatie,
            tekst=tekst,
            onderdeel=onderdeel,
            user=None if email else accounts["bewoner"],
            email=email,
        )
        if email and daarna != ("wacht",):
            reactie = services.reactie_bevestigen(token=reactie.token)
        if daarna and daarna[0] == "antwoord":
            services.reactie_beantwoorden(
                reactie=reactie,
                user=wijkmanager,
                expected_versie=reactie.versie,
                antwoord=daarna[1],
                wat_veranderd=daarna[2],
            )
        elif daarna and daarna[0] == "verbergen":
            services.reactie_verbergen(
                reactie=reactie, user=wijkmanager, expected_versie=reactie.versie, reden=daarna[1]
            )
