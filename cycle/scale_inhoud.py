"""The content of the generated wijkanalyses and wijkagenda's (a step of ``manage.py
load_scale``, after the cycles): the checklist answered in every cycle, the analysis per theme
with its evidence, the ranked agendapunten, the beleidssignalen and their answers, and the
comments on products being drafted.

Per cycle about thirty respondents fill in the checklist while its analysis is open: mostly
residents, some wijkraadsleden, accounthouders and a wijkmanager, each holding that role for
the werkgebied on the day, each answering a few of the forty questions. Residents who answer
come from the werkgebied's residents and from long-standing residents this step adds (the
people step's arrive over the years: an early cycle would have too few). The analysis has
three to seven themes (a concept may have fewer, some unfinished), some with quoted answers of
its own checklist; the agenda five to twelve points (a concept fewer), each with a theme and
evidence from the same cycle, and one to four signals, mostly to a cluster, some to a partner,
in every state of their answering.

The content's edits are the ``slots`` the cycle builder kept in each product's history (see
``cycle.scale.inhoud_planners``): each writes the row it made and the log entry the content
service writes, with the moment, version and author of its slot, so the product's version is
what the services would have made. What an adopted product holds passes its adoption check
(``ontbreekt()``). Texts and structure come from streams of the cycle's own werkgebied and
year; who answered and when from streams of their own."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from people.models import Partner, Rol
from places.models import Wijk

from .models import (
    Agendapunt,
    Beleidssignaal,
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Opmerking,
    Respondent,
    Signaalstatus,
    ThemaAnalyse,
    Wijkthema,
)
from .scale import (
    ZAKEN,
    ScaleContext,
    ScaleCycle,
    ScaleProduct,
    ScaleUser,
    Slot,
    _delete_audit_entries,
    _lijst,
    _People,
    inhoud_planners,
    register,
)

C, K, V, G = "concept", "consultatie", "vastgesteld", "gepubliceerd"
VASTGESTELD = (V, G)
TEKSTVELDEN = ("sterktes", "problemen", "kansen", "onderbouwing")

# ----------------------------------------------------------------------------- plans


@dataclass
class ThemaPlan:
    velden: tuple[str, ...]  # the fields written when the theme was first saved
    citaten: int


@dataclass
class AnalysePlan:
    themas: list[ThemaPlan]
    # ("thema", i): theme i saved for the first time; ("citaat", i): an answer quoted in it;
    # ("herzien", i): its texts reworked.
    ops: list[tuple[str, int]]

    @property
    def bewerkingen(self) -> int:
        return len(self.ops)


@dataclass
class AgendaPlan:
    punten: int
    signalen: int
    ops: list[tuple[str, int]]  # ("punt", i) in rank order, ("signaal", j)

    @property
    def bewerkingen(self) -> int:
        return len(self.ops)


def plan_wijkanalyse(rng: random.Random, status: str) -> AnalysePlan:
    """Three to seven finished themes once the analysis goes to consultation (each with figures
    or a quote as evidence); a concept has what was done so far, possibly unfinished."""
    compleet = status != C
    themas = []
    for _ in range(rng.randint(3, 7) if compleet else rng.randint(0, 5)):
        if compleet:
            velden = ["sterktes", "problemen", *(["kansen"] if rng.random() < 0.9 else [])]
            if rng.random() < 0.8:
                velden.append("onderbouwing")
            # Without figures, a quote is the evidence.
            if "onderbouwing" in velden:
                citaten = rng.choice((0, 0, 1, 1, 2, 3))
            else:
                citaten = rng.choice((1, 1, 2))
        else:
            velden = [v for v in TEKSTVELDEN if rng.random() < 0.55] or ["problemen"]
            citaten = rng.choice((0, 0, 0, 1))
        themas.append(ThemaPlan(velden=tuple(velden), citaten=citaten))
    ops = [("thema", i) for i in range(len(themas))]
    later = [("citaat", i) for i, t in enumerate(themas) for _ in range(t.citaten)]
    if themas:
        later += [("herzien", rng.randrange(len(themas))) for _ in range(rng.randint(0, 3))]
    rng.shuffle(later)
    # A quote or a revision of a theme comes after the theme was first saved.
    for op in later:
        eerst = ops.index(("thema", op[1]))
        ops.insert(rng.randint(eerst + 1, len(ops)), op)
    return AnalysePlan(themas=themas, ops=ops)


def plan_wijkagenda(rng: random.Random, status: str) -> AgendaPlan:
    compleet = status != C
    punten = rng.randint(5, 12) if compleet else rng.randint(2, 10)
    signalen = rng.randint(1, 4)
    ops = [("punt", i) for i in range(punten)]
    for j in range(signalen):
        ops.insert(rng.randint(1, len(ops)), ("signaal", j))
    return AgendaPlan(punten=punten, signalen=signalen, ops=ops)


inhoud_planners["wijkanalyse"] = plan_wijkanalyse
inhoud_planners["wijkagenda"] = plan_wijkagenda

# ----------------------------------------------------------------------------- texts

OPENERS = _lijst(
    "Ik merk dat|In onze straat zie je dat|Volgens mij|Wat mij opvalt is dat|Sinds vorig jaar "
    "merk ik dat|Eerlijk gezegd vind ik dat|De buren zeggen ook dat|Als moeder van twee kinderen "
    "zie ik dat|Als ondernemer in de wijk zie ik dat|Ik woon hier al twintig jaar en|"
    "Op de bewonersavond bleek dat|Bij ons in de portiek merken we dat"
)
OORDELEN = _lijst(
    "er te weinig gebeurt aan {zaak}|{zaak} de laatste tijd slechter wordt|{zaak} echt beter "
    "is geworden|niemand zich verantwoordelijk voelt voor {zaak}|{zaak} meer aandacht nodig "
    "heeft|we samen iets kunnen doen aan {zaak}|de gemeente {zaak} vergeet|{zaak} voor veel "
    "ouderen een probleem is|jongeren vooral last hebben van {zaak}"
)
# Per group of questions (seed 000, bijlage 1) sentences that answer them.
# The first question ("vooruit of achteruit?") gets one verdict first.
OORDEEL_BUURT = _lijst(
    "Achteruit, vooral de laatste twee jaar.|Vooruit sinds de renovatie van de flats.|"
    "Het gaat op en neer, per buurt verschilt het veel.|Eerder achteruit dan vooruit.|"
    "Langzaam vooruit, maar niet in elke straat."
)
GROEP_ZINNEN = [
    _lijst(
        "Er komen steeds meer mensen die hier "
        "kort wonen.|De problemen zijn structureel: ze komen elk jaar terug.|Een paar "
        "adressen geven veel overlast, de rest van de straat is rustig.|De huizen zijn gehorig "
        "en vochtig, dat geeft spanning tussen buren.|Er moet vooral meer toezicht komen."
    ),
    _lijst(
        "De woningcorporatie en de gemeente moeten dit samen oppakken.|Ik wil best helpen met "
        "een schoonmaakactie.|Veel bewoners willen wel, maar weten niet bij wie ze terecht "
        "kunnen.|De bewonersorganisatie is klein maar actief.|De politie zou vaker op straat "
        "moeten zijn in plaats van in de auto.|Meldingen worden opgelost, maar het komt na een "
        "week terug.|Ik kan een avond per week vrijmaken.|Er is een huurdersvereniging en een "
        "groep rond het buurthuis."
    ),
    _lijst(
        "Er zijn een paar bewoners die iedereen kent, vooral rond de moskee en het buurthuis.|"
        "Sommige trekkers roepen ook weerstand op omdat ze altijd het woord voeren.|Ouders van "
        "de basisschool zijn snel te bereiken via de schoolapp.|Mensen haken af als er na een "
        "avond niets gebeurt.|De weerstand is niet groot, wel veel wantrouwen na eerdere "
        "plannen.|Als je mensen persoonlijk vraagt, doen ze vaker mee.|Resultaat laten zien "
        "helpt: de geveltuinen hebben veel mensen over de streep getrokken."
    ),
    _lijst(
        "In de buurt wonen een aannemer, twee leraren en iemand die subsidies schrijft.|We "
        "missen kennis over hoe je een vergunning aanvraagt.|Het buurthuis heeft een ruimte "
        "die we gratis mogen gebruiken.|Met de winkeliersvereniging is goed contact.|Geld voor "
        "materiaal moet van buiten komen, bijvoorbeeld uit het wijkbudget.|Met de school en de "
        "sportclub moet nog samenwerking komen.|Er zijn genoeg vrijwilligers, maar weinig "
        "mensen die willen organiseren."
    ),
    _lijst(
        "Ja, met de lente kunnen we meteen beginnen.|Eerst een korte training voor de "
        "vrijwilligers zou helpen.|We kunnen ondersteuning gebruiken bij de planning en de "
        "contacten met de gemeente.|De opbouwwerker van het welzijnswerk helpt al een groep in "
        "de buurt.|Het best spreek je mensen aan bij de school en op de markt."
    ),
]

THEMA_TEKSTEN = {
    "schoon": {
        "sterktes": _lijst(
            "Bewoners organiseren zelf schoonmaakacties in de binnenhoven|De ondergrondse "
            "containers worden vaker geleegd dan twee jaar geleden|Veel straten hebben een "
            "vaste groep bewoners die zwerfafval opruimt"
        ),
        "problemen": _lijst(
            "Bijplaatsingen naast de containers, vooral rond het winkelcentrum|Zwerfafval op "
            "de pleinen na het weekend|Grofvuil dat dagenlang op de stoep blijft staan|"
            "Hondenpoep in de speelstroken"
        ),
        "kansen": _lijst(
            "Afvalcoaches uit de buurt inzetten|Een vaste grofvuildag per buurt|Ondernemers "
            "laten meedoen met de veegacties"
        ),
    },
    "heel": {
        "sterktes": _lijst(
            "De hoofdroutes zijn goed onderhouden|Kapotte lantaarnpalen worden snel gerepareerd"
        ),
        "problemen": _lijst(
            "Losliggende stoeptegels in de zijstraten|Kapotte bankjes en speeltoestellen die "
            "lang kapot blijven|Graffiti op de tunnel en de elektriciteitskasten"
        ),
        "kansen": _lijst(
            "Een wijkschouw met bewoners twee keer per jaar|Adoptie van bankjes en "
            "speeltoestellen door bewoners"
        ),
    },
    "veilig": {
        "sterktes": _lijst(
            "Een actieve buurtpreventie-app|De wijkagent is bekend en aanspreekbaar|Minder "
            "woninginbraken dan vorig jaar"
        ),
        "problemen": _lijst(
            "Overlast van jongeren op het plein in de avond|Onveilige oversteekplaatsen bij de "
            "school|Drugshandel rond de parkeergarage|Donkere looproutes naar de tramhalte"
        ),
        "kansen": _lijst(
            "Schoolzones herinrichten met de ouders|Extra verlichting op de looproutes|"
            "Jongerenwerk 's avonds op het plein"
        ),
    },
    "groen-en-buitenruimte": {
        "sterktes": _lijst(
            "Veel geveltuinen en boomspiegels die bewoners zelf onderhouden|Het park aan de "
            "singel wordt goed gebruikt"
        ),
        "problemen": _lijst(
            "Te weinig schaduw en veel verharding, hittestress in de zomer|De speelplekken "
            "zijn verouderd|Parkeren op het groen"
        ),
        "kansen": _lijst(
            "Tegels eruit, groen erin met de buurt|Speelplekken samen met kinderen ontwerpen|"
            "Een moestuin in de binnenhof"
        ),
    },
    "wonen": {
        "sterktes": _lijst(
            "De renovatie van de portiekflats is afgerond|Veel bewoners wonen hier al lang en "
            "kennen elkaar"
        ),
        "problemen": _lijst(
            "Vocht en schimmel in de oudere huurwoningen|Overbewoning en kamerverhuur in "
            "sommige straten|Hoge energierekeningen door slechte isolatie"
        ),
        "kansen": _lijst(
            "Energiecoaches voor huurders|Afspraken met de corporatie over onderhoud|Een "
            "meldpunt voor huisjesmelkers"
        ),
    },
    "werk-en-inkomen": {
        "sterktes": _lijst(
            "Een actieve winkelstraat met veel kleine ondernemers|Het werkpunt in het "
            "wijkcentrum wordt goed bezocht"
        ),
        "problemen": _lijst(
            "Veel huishoudens met schulden|Jongeren zonder startkwalificatie|Leegstand in de "
            "winkelstraat"
        ),
        "kansen": _lijst(
            "Schuldhulp dichtbij, in het buurthuis|Stages bij ondernemers uit de wijk|"
            "Taallessen gekoppeld aan werk"
        ),
    },
    "leren-en-opgroeien": {
        "sterktes": _lijst(
            "De brede school heeft een rijk naschools aanbod|Ouders zijn betrokken bij de "
            "basisscholen"
        ),
        "problemen": _lijst(
            "Te weinig plekken voor sport en spel voor tieners|Wachtlijsten bij de sportclub|"
            "Taalachterstand bij jonge kinderen"
        ),
        "kansen": _lijst(
            "Huiswerkbegeleiding door vrijwilligers|Een tienerplek in het buurthuis|"
            "Voorlezen op de consultatiebureaus"
        ),
    },
    "zorg-en-welzijn": {
        "sterktes": _lijst(
            "Een sterk netwerk van vrijwilligers rond ouderen|Het wijkteam is goed bereikbaar"
        ),
        "problemen": _lijst(
            "Eenzaamheid onder ouderen|Mantelzorgers die overbelast raken|Mensen die de weg "
            "naar hulp niet vinden"
        ),
        "kansen": _lijst(
            "Ouderenbezoek door buurtgenoten|Een inloopspreekuur in de moskee en de kerk|"
            "Een wijkkrant met het aanbod"
        ),
    },
    "sociale-samenhang": {
        "sterktes": _lijst(
            "Veel bewonersinitiatieven en straatfeesten|Het buurthuis is een echte ontmoetingsplek"
        ),
        "problemen": _lijst(
            "Nieuwe bewoners kennen niemand in de straat|Spanningen tussen oude en nieuwe "
            "bewoners|Weinig plekken om elkaar te ontmoeten"
        ),
        "kansen": _lijst(
            "Een welkomstpakket voor nieuwe bewoners|Straatgesprekken per blok|Het wijkfeest "
            "elk jaar in een andere buurt"
        ),
    },
}
VERBINDERS = _lijst(
    "Daarnaast|Ook|Verder|Bewoners noemen ook|Uit de gesprekken blijkt ook|Opvallend is"
)
BRONNEN = _lijst(
    "het Wijkprofiel|de wijkbarometer|de veiligheidsindex|de bewonersenquête|de wijkschouw"
)

PUNT_TITELS = {
    "schoon": _lijst(
        "Afval naast de containers aanpakken|Een schone winkelstraat|Grofvuil sneller weg"
    ),
    "heel": _lijst(
        "Stoepen en speeltoestellen op orde|Graffiti sneller verwijderen|Een vaste wijkschouw"
    ),
    "veilig": _lijst("Veilige schoolroutes|Rust op het plein in de avond|Licht op de looproutes"),
    "groen-en-buitenruimte": _lijst(
        "Meer groen en schaduw in de straten|Nieuwe speelplekken met kinderen|Parkeren van "
        "het groen af"
    ),
    "wonen": _lijst(
        "Vocht en schimmel in de huurwoningen|Lagere energierekening voor huurders|Aanpak "
        "van overbewoning"
    ),
    "werk-en-inkomen": _lijst(
        "Schuldhulp in de wijk|Werk en stages voor jongeren|Leegstand in de winkelstraat"
    ),
    "leren-en-opgroeien": _lijst(
        "Een plek voor tieners|Sporten zonder wachtlijst|Taal vanaf de peuterspeelzaal"
    ),
    "zorg-en-welzijn": _lijst(
        "Niemand alleen: ouderen in beeld|Steun voor mantelzorgers|Hulp dichtbij en vindbaar"
    ),
    "sociale-samenhang": _lijst(
        "Nieuwe bewoners welkom heten|Ontmoeten in de buurt|Samen het wijkfeest organiseren"
    ),
}
CITATEN_BEWONERS = _lijst(
    "Je durft 's avonds niet meer alleen over het plein|Het ligt hier elke maandag weer vol|"
    "We melden het steeds, maar er verandert niets|Mijn moeder komt de deur bijna niet meer "
    "uit|De kinderen hebben geen plek om te spelen|Niemand weet bij wie je moet zijn|"
    "In de zomer is het in de straat niet uit te houden|De buren wisselen elk halfjaar"
)
BUURTEN = _lijst(
    "rond het winkelcentrum|de binnenhoven|langs de singel|bij de tramhalte|de straten "
    "rond de basisschool|het plein bij het buurthuis|de portiekflats aan de noordkant"
)
SIGNAAL_TITELS = _lijst(
    "Regels voor bijplaatsingen sluiten niet aan op de praktijk|De inzamelfrequentie past "
    "niet bij de bevolkingsdichtheid|Subsidie voor speelplekken alleen voor nieuwbouw|"
    "Schuldhulp is te ver weg voor deze wijk|Onderhoudsbudget voor de openbare ruimte "
    "schiet tekort|Handhaving alleen overdag|Wachttijd voor woningaanpassingen is te lang|"
    "De wijkagent heeft te veel wijken|Subsidieregeling bewonersinitiatieven is te "
    "ingewikkeld|Vergunningen voor straatfeesten duren te lang"
)
SIGNAAL_ANTWOORDEN = _lijst(
    "Wij nemen dit mee in de herziening van de regeling volgend jaar en houden de wijkraad op "
    "de hoogte.|Dit kunnen we binnen de huidige afspraken oplossen: vanaf het tweede kwartaal "
    "geldt voor deze wijk een aangepaste planning.|Het beleid blijft zoals het is, omdat het "
    "voor de hele stad geldt; wel zoeken we met de wijkmanager naar een oplossing voor de "
    "knelpunten die u noemt.|We hebben extra capaciteit vrijgemaakt en evalueren na een half "
    "jaar samen met de bewoners.|Dit signaal herkennen we uit meer wijken; het staat op de "
    "agenda van het cluster-MT en u ontvangt het besluit."
)
OPMERKINGEN = _lijst(
    "Kunnen we de cijfers van de wijkschouw nog toevoegen?|De wijkraad mist de "
    "speelplekken in de binnenhoven.|Graag de toelichting korter, dan lezen meer "
    "bewoners het.|Het punt over de schoolroutes is voor ons het belangrijkste.|Is de "
    "woningcorporatie hierover al gesproken?|In de conclusies staat nog niets over "
    "eenzaamheid onder ouderen.|Kan de volgorde van de punten op de wijkraadsvergadering "
    "besproken worden?|Mooi stuk; één opmerking over de cijfers van vorig jaar."
)


def _zinnen(rng: random.Random, zinnen: list[str], minimum: int, maximum: int) -> str:
    """Whole sentences from ``zinnen`` (each at most once) until at least ``minimum``
    characters, never more than ``maximum``."""
    doel = rng.randint(minimum, maximum)
    keuze = rng.sample(zinnen, len(zinnen))
    tekst = ""
    for zin in keuze:
        volgende = f"{tekst} {zin}".strip()
        if len(volgende) > maximum:
            break
        tekst = volgende
        if len(tekst) >= doel:
            break
    return tekst


def antwoord_tekst(rng: random.Random, vraag: ChecklistVraag, groep: int) -> str:
    """An answer of 20–400 characters, in a respondent's words."""
    eigen = [
        f"{rng.choice(OPENERS)} {rng.choice(OORDELEN).format(zaak=rng.choice(ZAKEN))}."
        for _ in range(3)
    ]
    if vraag.nummer == 1:
        oordeel = rng.choice(OORDEEL_BUURT)
        rest = _zinnen(rng, GROEP_ZINNEN[groep] + eigen, 0, 400 - len(oordeel) - 1)
        return f"{oordeel} {rest}".strip()
    tekst = _zinnen(rng, GROEP_ZINNEN[groep] + eigen, 20, 400)
    return tekst if len(tekst) >= 20 else f"{tekst} {eigen[0]}"[:400]


def _opsomming(rng: random.Random, items: list[str], wijk: str) -> str:
    gekozen = rng.sample(items, rng.randint(1, min(3, len(items))))
    zinnen = [f"{gekozen[0]}."]
    for item in gekozen[1:]:
        zinnen.append(f"{rng.choice(VERBINDERS)}: {item[0].lower()}{item[1:]}.")
    if rng.random() < 0.5:
        zinnen.append(f"Dat geldt vooral voor {wijk}.")
    return " ".join(zinnen)


def thema_tekst(rng: random.Random, slug: str, veld: str, wijk: str, jaar: int) -> str:
    if veld == "onderbouwing":
        zinnen = [
            f"Volgens {rng.choice(BRONNEN)} {jaar - 1} scoort {wijk} op dit thema "
            f"{rng.randint(55, 125)} (stad: 100).",
            f"In {jaar - 1} kwamen {rng.randint(12, 480)} meldingen binnen die hierover gaan.",
            f"{rng.randint(8, 70)}% van de bewoners in de enquête noemt dit een probleem.",
            "Uit de wijkschouw met de wijkraad kwam hetzelfde beeld.",
        ]
        return " ".join(rng.sample(zinnen, rng.randint(1, 3)))
    banken = THEMA_TEKSTEN.get(slug) or THEMA_TEKSTEN["sociale-samenhang"]
    return _opsomming(rng, banken[veld], wijk)


# ------------------------------------------------------------------------------ step


def inhoud_clear(ctx: ScaleContext) -> None:
    # The rows go with their cycles (the cycle step's clear); their log entries go here. The
    # entries of the analysis's and agenda's own edits go with the products' log.
    _delete_audit_entries(
        content_types=[
            ContentType.objects.get_for_model(model).pk
            for model in (ChecklistInvulling, Agendapunt, Beleidssignaal)
        ]
    )


@dataclass
class _Rows:
    invullingen: list = field(default_factory=list)
    antwoorden: list = field(default_factory=list)
    themas: list = field(default_factory=list)
    thema_citaten: list = field(default_factory=list)
    punten: list = field(default_factory=list)
    punt_wijken: list = field(default_factory=list)
    punt_analyses: list = field(default_factory=list)
    punt_citaten: list = field(default_factory=list)
    signalen: list = field(default_factory=list)
    opmerkingen: list = field(default_factory=list)


@dataclass
class _Antwoord:
    pk: int
    at: datetime.datetime


@register("cycle.inhoud", after=("cycle",), clear=inhoud_clear)
def inhoud(ctx: ScaleContext) -> None:
    """The checklist, analysis per theme, agendapunten, beleidssignalen and comments of every
    generated cycle."""
    themas = list(Wijkthema.objects.filter(actief=True).order_by("volgorde", "naam"))
    vragen = list(ChecklistVraag.objects.filter(actief=True).order_by("nummer"))
    if not themas or not vragen:
        return  # the reference data (migration cycle 0005) was removed: nothing to refer to
    groepen = {g: i for i, g in enumerate(dict.fromkeys(v.groep for v in vragen))}
    wijken: dict[int, list[Wijk]] = defaultdict(list)
    for wijk in Wijk.objects.filter(werkgebied__in=ctx.werkgebieden).order_by("naam", "pk"):
        wijken[wijk.werkgebied_id].append(wijk)
    partners = list(Partner.objects.order_by("naam", "pk"))
    _bewoners(ctx)
    builder = _Inhoud(ctx, themas, vragen, groepen, wijken, partners)
    for cyclus in ctx.cycli:
        builder.cyclus(cyclus)
    builder.write()


def _bewoners(ctx: ScaleContext) -> None:
    """Long-standing residents of every werkgebied, there from before its first cycle: the
    people step's residents arrive over the years, and the checklist of an early cycle needs
    about twenty-five who live there then."""
    made = _People(ctx, reeks="c")
    for wg in ctx.werkgebieden:
        rng = ctx.rng_for("cycle.inhoud.bewoners", wg.slug)
        for _ in range(rng.randint(28, 40) * ctx.factor):
            made.role(
                made.person(rng, naamloos_kans=0.25),
                Rol.BEWONER,
                vanaf=ctx.begin,
                werkgebied_id=wg.pk,
            )
    made.save()


# Who fills in the checklist, by weight.
RESPONDENTEN = [
    (Respondent.BEWONER.value, 80),
    (Respondent.WIJKRAADSLID.value, 11),
    (Respondent.ACCOUNTHOUDER.value, 6),
    (Respondent.WIJKMANAGER.value, 3),
]


class _Inhoud:
    def __init__(self, ctx, themas, vragen, groepen, wijken, partners):
        self.ctx, self.themas, self.vragen = ctx, themas, vragen
        self.groepen, self.wijken, self.partners = groepen, wijken, partners
        self.rows = _Rows()
        self.limit = datetime.datetime.combine(ctx.today, datetime.time(0), tzinfo=ctx.tz)
        self.accounthouders = defaultdict(list)  # (gebied, cluster) -> roles
        for role in ctx.roles.get(Rol.ACCOUNTHOUDER, []):
            self.accounthouders[(role.gebied_id, role.cluster_id)].append(role)
        self.vrij: dict[str, list[int]] = {}

    # --------------------------------------------------------------- per cycle
    def cyclus(self, cyclus: ScaleCycle) -> None:
        wg, jaar = cyclus.werkgebied, cyclus.jaar
        # The analysis's and the agenda's texts and structure (the same at any factor), the
        # checklist's answers, who and which answer, and when: each their own stream.
        self.rt = self.ctx.rng_for("cycle.inhoud.tekst", wg.slug, jaar)
        self.rc = self.ctx.rng_for("cycle.inhoud.checklist", wg.slug, jaar)
        self.rp = self.ctx.rng_for("cycle.inhoud.mensen", wg.slug, jaar)
        self.rd = self.ctx.rng_for("cycle.inhoud.tijd", wg.slug, jaar)
        self.wijknamen = [w.naam for w in self.wijken[wg.pk]] or [wg.naam]
        analyse = cyclus.producten["wijkanalyse"]
        antwoorden = self._checklist(cyclus, analyse)
        thema_analyses = self._analyse(cyclus, analyse, antwoorden)
        agenda = cyclus.producten["wijkagenda"]
        if agenda.inhoud is not None:
            self._agenda(cyclus, agenda, thema_analyses, antwoorden)
        for product in cyclus.producten.values():
            self._opmerkingen(cyclus, product)

    def _moment(self, begin: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        end = min(end, self.limit - datetime.timedelta(hours=1))
        if end <= begin:
            return begin
        return begin + (end - begin) * self.rd.random()

    def _checklist(self, cyclus: ScaleCycle, analyse: ScaleProduct) -> list[_Antwoord]:
        """The checklists filled in while the analysis was open (until its adoption)."""
        if analyse.venster is None:
            return []
        begin = cyclus.aangemaakt_op
        end = analyse.vastgesteld_op or self.limit
        aantal = self.rp.randint(24, 36) if analyse.status != C else self.rp.randint(6, 36)
        gebruikt: set[tuple[int, str]] = set()
        momenten = sorted(self._moment(begin, end) for _ in range(aantal))
        # A quote needs an answer given before it: the first checklist comes before the first
        # quote.
        citaat_slots = self._citaat_slots(analyse)
        if citaat_slots and momenten and momenten[0] >= citaat_slots[0].at:
            momenten[0] = self._moment(begin, citaat_slots[0].at)
        antwoorden = []
        for at in momenten:
            gekozen = self._respondent(cyclus, at, gebruikt)
            if gekozen is None:
                continue
            user, respondent = gekozen
            gebruikt.add((user.pk, respondent))
            n = (
                self.rc.randint(2, 14)
                if respondent == Respondent.BEWONER
                else (self.rc.randint(8, 30))
            )
            pk = self._id("invulling")
            self.rows.invullingen.append((pk, analyse.pk, user.pk, respondent, at, at, 1))
            for vraag in sorted(self.rc.sample(self.vragen, n), key=lambda v: v.nummer):
                antwoord = self._id("antwoord")
                tekst = antwoord_tekst(self.rc, vraag, self.groepen[vraag.groep])
                self.rows.antwoorden.append((antwoord, pk, vraag.pk, tekst))
                antwoorden.append(_Antwoord(antwoord, at))
            self.ctx.audit.add(
                action="cycle.checklist_ingevuld",
                actor=user,
                actor_rol=respondent,
                target_model=ChecklistInvulling,
                object_id=pk,
                data={
                    "wijkanalyse": analyse.pk,
                    "respondent": respondent,
                    "eerste_keer": True,
                    "nieuw": n,
                    "gewijzigd": 0,
                    "verwijderd": 0,
                    "aantal": n,
                    "versie": 1,
                },
                timestamp=at,
            )
        return antwoorden

    def _citaat_slots(self, analyse: ScaleProduct) -> list[Slot]:
        plan = analyse.inhoud
        if plan is None:
            return []
        return [s for s, op in zip(analyse.slots, plan.ops, strict=True) if op[0] == "citaat"]

    def _respondent(self, cyclus, at, gebruikt) -> tuple[ScaleUser, str] | None:
        dag = self.ctx.local_date(at)
        wens = self.rp.choices([r for r, _ in RESPONDENTEN], [w for _, w in RESPONDENTEN])[0]
        for respondent in dict.fromkeys([wens, Respondent.BEWONER.value]):
            kandidaten = [
                u
                for u in self.ctx.holders([respondent], werkgebied=cyclus.werkgebied, on=dag)
                if (u.pk, respondent) not in gebruikt
            ]
            if kandidaten:
                return self.rp.choice(kandidaten), respondent
        return None

    def _analyse(self, cyclus, analyse: ScaleProduct, antwoorden) -> list[tuple[int, int]]:
        """The analysis per theme, written edit by edit in its slots; returns (pk, theme pk)
        of the themes analysed."""
        plan: AnalysePlan | None = analyse.inhoud
        if plan is None:
            return []
        slugs = self.rt.sample(self.themas, min(len(plan.themas), len(self.themas)))
        wijk = self.rt.choice(self.wijknamen)
        gemaakt: dict[int, list] = {}  # plan index -> row (list, filled as edited)
        citaten: dict[int, set[int]] = defaultdict(set)
        for slot, (soort, i) in zip(analyse.slots, plan.ops, strict=True):
            if i >= len(slugs):  # fewer active themes than planned: rework the first
                soort, i = "herzien", 0
            thema = slugs[i]
            data = {"thema": thema.slug}
            if soort == "thema":
                velden = plan.themas[i].velden
                waarden = {
                    v: thema_tekst(self.rt, thema.slug, v, wijk, cyclus.jaar) if v in velden else ""
                    for v in TEKSTVELDEN
                }
                gemaakt[i] = [self._id("thema"), analyse.pk, thema.pk, waarden]
                data.update(nieuw=True, velden=list(TEKSTVELDEN))
            elif soort == "herzien":
                waarden = gemaakt[i][3]
                velden = [v for v in TEKSTVELDEN if waarden[v] and self.rt.random() < 0.5]
                velden = velden or [v for v in TEKSTVELDEN if waarden[v]][:1]
                for veld in velden:
                    waarden[veld] = thema_tekst(self.rt, thema.slug, veld, wijk, cyclus.jaar)
                data.update(nieuw=False, velden=velden)
            else:
                eerder = [a.pk for a in antwoorden if a.at < slot.at and a.pk not in citaten[i]]
                if not eerder:  # pragma: no cover - the first checklist precedes every quote
                    eerder = [a.pk for a in antwoorden if a.pk not in citaten[i]]
                antwoord = self.rp.choice(eerder)
                citaten[i].add(antwoord)
                self.rows.thema_citaten.append((gemaakt[i][0], antwoord))
                data["antwoord"] = antwoord
            self._log(
                "cycle.citaat" if soort == "citaat" else "cycle.thema_analyse",
                slot,
                analyse,
                ThemaAnalyse,
                None,
                data,
            )
        result = []
        for pk, analyse_pk, thema_pk, waarden in gemaakt.values():
            self.rows.themas.append((pk, analyse_pk, thema_pk, *[waarden[v] for v in TEKSTVELDEN]))
            result.append((pk, thema_pk))
        return result

    def _log(self, action, slot: Slot, product: ScaleProduct, model, target, data) -> None:
        """The entry the content service writes through the edit guard; ``target`` (pk of a
        ``model`` row) where the service names its own row, else the product."""
        self.ctx.audit.add(
            action=action,
            actor=slot.actor,
            actor_rol=slot.rol,
            target_model=model if target is not None else product.model,
            object_id=target if target is not None else product.pk,
            data={"product": product.soort, "versie": slot.versie, **data},
            timestamp=slot.at,
        )

    def _agenda(self, cyclus, agenda: ScaleProduct, thema_analyses, antwoorden) -> None:
        plan: AgendaPlan = agenda.inhoud
        compleet = agenda.status != C
        per_thema = {thema_pk: pk for pk, thema_pk in thema_analyses}
        thema_per_pk = {t.pk: t for t in self.themas}
        eigen_wijken = self.wijken[cyclus.werkgebied.pk]
        rang = 0
        signaal_slots = []
        for slot, (soort, _i) in zip(agenda.slots, plan.ops, strict=True):
            if soort == "signaal":
                signaal_slots.append(slot)
                continue
            rang += 1
            pk = self._id("punt")
            # Mostly a theme the analysis worked out; a concept may still miss one.
            if per_thema and self.rt.random() < 0.8:
                thema = thema_per_pk[self.rt.choice(sorted(per_thema))]
            else:
                thema = self.rt.choice(self.themas)
            if not compleet and self.rt.random() < 0.15:
                thema = None
            slug = thema.slug if thema else "sociale-samenhang"
            titel = self.rt.choice(PUNT_TITELS.get(slug) or PUNT_TITELS["sociale-samenhang"])
            wijk = self.rt.choice(self.wijknamen)
            probleem = (
                f"“{self.rt.choice(CITATEN_BEWONERS)}”, zeggen bewoners van {wijk}. "
                + thema_tekst(self.rt, slug, "problemen", wijk, cyclus.jaar)
            )
            buurten = self.rt.choice(BUURTEN) if self.rt.random() < 0.35 else ""
            analyses = []
            if thema is not None and thema.pk in per_thema:
                analyses.append(per_thema[thema.pk])
            if per_thema and self.rt.random() < 0.3:
                analyses.append(per_thema[self.rt.choice(sorted(per_thema))])
            analyses = sorted(set(analyses))[:2]
            citaten = []
            eerder = [a.pk for a in antwoorden if a.at < slot.at]
            if self.rt.random() < 0.4 and eerder:
                citaten = self.rp.sample(eerder, min(len(eerder), self.rp.randint(1, 2)))
            # Drawn whether used or not: the texts after it stay the same at any factor.
            cijfers = thema_tekst(self.rt, slug, "onderbouwing", wijk, cyclus.jaar)
            onderbouwing = ""
            if self.rt.random() < 0.5 or (compleet and not analyses and not citaten):
                onderbouwing = cijfers
            if not compleet and self.rt.random() < 0.15:
                analyses, citaten, onderbouwing = [], [], ""
            self.rows.punten.append(
                (
                    pk,
                    agenda.pk,
                    rang,
                    titel,
                    probleem,
                    thema.pk if thema else None,
                    buurten,
                    onderbouwing,
                    True,
                )
            )
            if eigen_wijken and self.rt.random() < 0.4:
                for w in self.rt.sample(
                    eigen_wijken, self.rt.randint(1, min(2, len(eigen_wijken)))
                ):
                    self.rows.punt_wijken.append((pk, w.pk))
            self.rows.punt_analyses += [(pk, a) for a in analyses]
            self.rows.punt_citaten += [(pk, a) for a in sorted(set(citaten))]
            self._log(
                "cycle.agendapunt_toegevoegd",
                slot,
                agenda,
                Agendapunt,
                pk,
                {"agendapunt": pk, "titel": titel, "rang": rang},
            )
        for slot in signaal_slots:
            self._signaal(cyclus, agenda, slot)

    def _signaal(self, cyclus, agenda: ScaleProduct, slot: Slot) -> None:
        pk = self._id("signaal")
        titel = self.rt.choice(SIGNAAL_TITELS)
        toelichting = (
            f"{self.rt.choice(CITATEN_BEWONERS)}, zeggen bewoners. "
            f"{thema_tekst(self.rt, 'schoon', 'onderbouwing', cyclus.werkgebied.naam, cyclus.jaar)}"
            " Dit lossen we in de wijk niet op: het vraagt een andere regel of een ander budget."
        )
        partner = None
        cluster = None
        if self.partners and self.rt.random() < 0.2:
            partner = self.rt.choice(self.partners)
        else:
            cluster = self.rt.choice(self.ctx.clusters)
        aan = str(partner or cluster)
        self._log(
            "cycle.beleidssignaal_toegevoegd",
            slot,
            agenda,
            Beleidssignaal,
            pk,
            {"beleidssignaal": pk, "titel": titel, "aan": aan},
        )
        # Answered after the agenda's adoption mostly; taken up earlier now and then.
        status, versie = Signaalstatus.OPEN.value, 1
        antwoord, door, op = "", None, None
        r = self.rd.random()
        if agenda.vastgesteld_op is not None:
            vanaf = agenda.vastgesteld_op
            stappen = "beantwoord" if r < 0.55 else "behandeling" if r < 0.8 else ""
        else:
            vanaf = slot.at
            stappen = "behandeling" if r < 0.2 else ""
        if stappen:
            start = vanaf + datetime.timedelta(days=self.rd.uniform(1, 20))
            eind = start + datetime.timedelta(days=self.rd.uniform(3, 50))
            if stappen == "beantwoord" and eind >= self.limit:
                stappen = "behandeling"
            if start >= self.limit:
                stappen = ""
        if stappen:
            moment = self.ctx.moment(self.ctx.local_date(start), self.rd)
            dag = self.ctx.local_date(moment)
            gekozen = self._beantwoorder(cyclus, cluster, dag)
            via_behandeling = stappen == "behandeling" or self.rd.random() < 0.6
            if gekozen is not None and moment > slot.at and moment < self.limit:
                user, rol = gekozen
                if via_behandeling:
                    versie += 1
                    status = Signaalstatus.IN_BEHANDELING.value
                    self.ctx.audit.add(
                        action="cycle.beleidssignaal_in_behandeling",
                        actor=user,
                        actor_rol=rol,
                        target_model=Beleidssignaal,
                        object_id=pk,
                        data={"beleidssignaal": pk, "van": "open", "naar": status},
                        timestamp=moment,
                    )
                if stappen == "beantwoord":
                    eind_moment = self.ctx.moment(self.ctx.local_date(eind), self.rd)
                    if eind_moment <= moment:
                        eind_moment = moment + datetime.timedelta(minutes=30)
                    if eind_moment < self.limit:
                        gekozen = self._beantwoorder(
                            cyclus, cluster, self.ctx.local_date(eind_moment)
                        )
                    if eind_moment < self.limit and gekozen is not None:
                        user, rol = gekozen
                        van = status
                        versie += 1
                        status = Signaalstatus.BEANTWOORD.value
                        antwoord = self.rp.choice(SIGNAAL_ANTWOORDEN)
                        door, op = user.pk, eind_moment
                        self.ctx.audit.add(
                            action="cycle.beleidssignaal_beantwoord",
                            actor=user,
                            actor_rol=rol,
                            target_model=Beleidssignaal,
                            object_id=pk,
                            data={"beleidssignaal": pk, "van": van, "naar": status},
                            timestamp=eind_moment,
                        )
        self.rows.signalen.append(
            (
                pk,
                agenda.pk,
                titel,
                toelichting,
                cluster.pk if cluster else None,
                partner.pk if partner else None,
                status,
                antwoord,
                door,
                op,
                slot.at,
                versie,
            )
        )

    def _beantwoorder(self, cyclus, cluster, dag) -> tuple[ScaleUser, str] | None:
        """An accounthouder of the signal's cluster for the werkgebied's gebied that day; for
        a partner, a wijkmanager of the werkgebied (who runs the cycle answers for it)."""
        if cluster is None:
            managers = self.ctx.holders([Rol.WIJKMANAGER], werkgebied=cyclus.werkgebied, on=dag)
            return (self.rp.choice(managers), Rol.WIJKMANAGER.value) if managers else None
        roles = [
            r
            for r in self.accounthouders[(cyclus.werkgebied.gebied_id, cluster.pk)]
            if r.active(dag)
        ]
        if not roles:
            return None
        return self.rp.choice(roles).user, Rol.ACCOUNTHOUDER.value

    def _opmerkingen(self, cyclus, product: ScaleProduct) -> None:
        """A few comments by wijkraadsleden while the product was being drafted."""
        if product.venster is None:
            return
        begin, end = product.venster
        aantal = self.rd.randint(0, 3) if product.status in (C, K) else int(self.rd.random() < 0.3)
        for _ in range(aantal):
            at = self._moment(begin, end)
            if not begin <= at < end:
                continue
            leden = self.ctx.holders(
                [Rol.WIJKRAADSLID], werkgebied=cyclus.werkgebied, on=self.ctx.local_date(at)
            )
            if not leden:
                continue
            auteur = self.rp.choice(leden)
            pk = self._id("opmerking")
            self.rows.opmerkingen.append(
                (
                    pk,
                    cyclus.pk,
                    product.soort,
                    auteur.pk,
                    Rol.WIJKRAADSLID.value,
                    self.rp.choice(OPMERKINGEN),
                    at,
                )
            )
            self.ctx.audit.add(
                action="cycle.opmerking",
                actor=auteur,
                actor_rol=Rol.WIJKRAADSLID.value,
                target_model=product.model,
                object_id=product.pk,
                data={"product": product.soort, "opmerking": pk},
                timestamp=at,
            )

    # ------------------------------------------------------------------- ids, rows
    _MODELS = {
        "invulling": ChecklistInvulling,
        "antwoord": ChecklistAntwoord,
        "thema": ThemaAnalyse,
        "punt": Agendapunt,
        "signaal": Beleidssignaal,
        "opmerking": Opmerking,
    }
    BLOK = 5000

    def _id(self, soort: str) -> int:
        """The next primary key of ``soort`` from its sequence (reserved in blocks)."""
        vrij = self.vrij.setdefault(soort, [])
        if not vrij:
            vrij.extend(reversed(self.ctx.reserve_ids(self._MODELS[soort], self.BLOK)))
        return vrij.pop()

    def write(self) -> None:
        ctx, rows = self.ctx, self.rows
        ctx.copy(
            ChecklistInvulling,
            ["id", "wijkanalyse", "user", "respondent", "ingediend_op", "gewijzigd_op", "versie"],
            rows.invullingen,
        )
        ctx.copy(ChecklistAntwoord, ["id", "invulling", "vraag", "tekst"], rows.antwoorden)
        ctx.copy(ThemaAnalyse, ["id", "wijkanalyse", "thema", *TEKSTVELDEN], rows.themas)
        ctx.copy(
            ThemaAnalyse.citaten.through,
            ["themaanalyse", "checklistantwoord"],
            rows.thema_citaten,
        )
        ctx.copy(
            Agendapunt,
            [
                "id",
                "wijkagenda",
                "rang",
                "titel",
                "probleem",
                "thema",
                "buurten",
                "onderbouwing",
                "collectief",
            ],
            rows.punten,
        )
        ctx.copy(Agendapunt.wijken.through, ["agendapunt", "wijk"], rows.punt_wijken)
        ctx.copy(
            Agendapunt.themaanalyses.through, ["agendapunt", "themaanalyse"], rows.punt_analyses
        )
        ctx.copy(Agendapunt.citaten.through, ["agendapunt", "checklistantwoord"], rows.punt_citaten)
        ctx.copy(
            Beleidssignaal,
            [
                "id",
                "wijkagenda",
                "titel",
                "toelichting",
                "cluster",
                "partner",
                "status",
                "antwoord",
                "beantwoord_door",
                "beantwoord_op",
                "aangemaakt_op",
                "versie",
            ],
            rows.signalen,
        )
        ctx.copy(
            Opmerking,
            ["id", "cyclus", "soort", "auteur", "auteur_rol", "tekst", "aangemaakt_op"],
            rows.opmerkingen,
        )
