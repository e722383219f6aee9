"""City-scale meldingen for ``manage.py load_scale`` (the step ``participation.meldingen``, run
after the cycles; see :mod:`cycle.scale` for the registry and the bulk writers).

Every wijk gets meldingen in each calendar year whose autumn prepares one of the cycles' programme
years (a programme year's analysis starts the spring before it), up to the day before ``today``:
about 35 per 1,000 inhabitants (``Wijk.inwoners``) this year and 4.5% fewer for every year back,
so about 200,000 in ten years at factor 1 (``factor`` times that at higher factors). Each is
drawn from streams of its own wijk and year: when it came in, its theme, a resident's Dutch
text of one to six sentences, a place (a street for most, a point inside the wijk's own CBS
buurten with that buurt's code for about 30%), an address for updates for about 40% (in
:data:`cycle.scale.SCALE_EMAIL_DOMAIN`), photos for about 15% (their metadata only: no file is
written), and how it went: triaged by a wijkmanager of the werkgebied who held the role that
day (a beheerder now and then, and always where the wijk has no werkgebied), forwarded to a
cluster or a partner and answered there, taken up in a running cycle of the werkgebied (with
its trail row), answered or declined, within a handling time that follows the theme's term;
some get support, some are duplicates linked to an open main melding of the same wijk and
closed with it, some reporters say it is solved or reopen it within two weeks. What happened
before ``today`` is kept and the rest cut off, so old meldingen are closed and recent ones
still nieuw, in behandeling or doorgezet. A year after closing the daily retention task has
removed the address and photos, as ``participation.services.meldingen_bewaartermijn`` does.

The log holds every step as ``participation.services`` writes it (same actions, actors, roles
and data). No notices are written: the reporters' addresses are invented, and the outbox of the
generated city stays that of the cycles. Tracking codes have the format of
:func:`participation.models.nieuwe_code`, drawn from a stream of their own and unique."""

import base64
import bisect
import datetime
import functools
import random
from dataclasses import dataclass, field

import shapely
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from cycle.scale import (
    ACHTERNAMEN,
    SCALE_EMAIL_DOMAIN,
    VOORNAMEN,
    ScaleContext,
    ScaleUser,
    _delete_audit_entries,
    _lijst,
    _mail_part,
    register,
)
from people.models import Partner, Rol
from places import geo
from places.models import Wijk

from .models import Foto, Melding, Meldingstatus, Spoor, Spoorsoort, Steun, Thema, werkdagen_na

# Meldingen per 1,000 inhabitants in the current year, and the share each year back keeps of
# the year after it (the portal became better known, so recent years have more).
PER_DUIZEND = 35.0
JAARLIJKS = 0.955
ALFABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as participation.models.nieuwe_code
BEWAARTERMIJN = datetime.timedelta(days=365)
# Days from arrival to closing at most: a few wait for months, none for a year.
MAX_DUUR = 180
# When the daily retention task runs (beat schedules it every 24 hours from its start).
BEWAAR_TIJD = datetime.time(4, 10)

NIEUW, IN_BEHANDELING, DOORGEZET, OPGENOMEN, AFGEHANDELD, NIET = (s.value for s in Meldingstatus)
GESLOTEN = {OPGENOMEN, AFGEHANDELD, NIET}
WIJKMANAGER, BEHEERDER, ACCOUNTHOUDER = (
    Rol.WIJKMANAGER.value,
    Rol.BEHEERDER.value,
    Rol.ACCOUNTHOUDER.value,
)

MELDING_FIELDS = [
    "id",
    "code",
    "tekst",
    "thema",
    "wijk",
    "werkgebied",
    "buurtcode",
    "plek",
    "lengtegraad",
    "breedtegraad",
    "betreft_groep",
    "email",
    "status",
    "publiceerbaar",
    "termijn_op",
    "hoofdmelding",
    "cluster",
    "partner",
    "cyclus",
    "notitie",
    "antwoord",
    "melder_reactie",
    "steun",
    "opgelost",
    "versie",
    "ingediend_op",
    "gewijzigd_op",
    "afgesloten_op",
    "contact_verwijderd_op",
]

# ------------------------------------------------------------------------------ texts

# Theme slug -> (weight among all meldingen, what residents report, what the answer says).
THEMAS = {
    "schoon": (
        30,
        [
            "Naast de ondergrondse containers staan al dagen vuilniszakken.",
            "Er is grofvuil op de stoep gezet: een bank, een matras en kapotte kasten.",
            "De afvalbak bij de tramhalte zit elke ochtend vol en het afval waait over straat.",
            "Er ligt veel zwerfafval in de groenstrook langs de singel.",
            "Op het plein ligt hondenpoep en glas van kapotte flessen.",
            "De container voor papier is al een week niet geleegd.",
            "Iemand heeft bouwafval gedumpt in de brandgang achter de woningen.",
            "Na de markt blijft er elke week een berg afval achter.",
        ],
        "Het afval is opgehaald en de plek is schoongemaakt.",
    ),
    "heel": (
        15,
        [
            "Er liggen losse stoeptegels waar ouderen over struikelen.",
            "De straatlantaarn voor ons portiek doet het al weken niet.",
            "Het hek van de speeltuin is kapot en kinderen kunnen zo de weg op rennen.",
            "Er zit een groot gat in het wegdek waar fietsers in vallen.",
            "De bank in het park is vernield.",
            "Het verkeersbord op de hoek is omgereden en ligt in de berm.",
            "De putdeksel ligt los en klappert als er een auto overheen rijdt.",
        ],
        "De reparatie is uitgevoerd.",
    ),
    "veilig": (
        10,
        [
            "'s Avonds hangen er jongeren rond bij het portiek en wordt er gedeald.",
            "Er wordt vaak ingebroken in auto's in onze straat.",
            "In het donkere steegje voelen bewoners zich 's avonds niet veilig.",
            "Er staat al weken een fietswrak met een kapot slot; het lijkt gestolen.",
            "Bewoners worden lastiggevallen bij de ingang van het metrostation.",
            "Er wordt 's nachts vuurwerk afgestoken in de binnentuin.",
        ],
        "De wijkagent is op de hoogte en loopt er de komende weken vaker langs.",
    ),
    "groen-en-buitenruimte": (
        12,
        [
            "De bomen in onze straat zijn niet gesnoeid en takken hangen tot op de stoep.",
            "Het gras in het park is al maanden niet gemaaid.",
            "De boomspiegels liggen vol onkruid en afval.",
            "De speelplek heeft geen schaduw; kinderen kunnen er 's zomers niet spelen.",
            "Er is een boom omgewaaid die nog half over het fietspad ligt.",
            "Bewoners willen een geveltuin aanleggen, maar weten niet hoe dat moet.",
        ],
        "De groenploeg heeft het onderhoud uitgevoerd.",
    ),
    "verkeer-en-parkeren": (
        12,
        [
            "Auto's parkeren op de stoep, zodat je er met een kinderwagen niet langs kunt.",
            "Er wordt veel te hard gereden in onze straat, ook al is het een 30-kilometerzone.",
            "Het zebrapad bij de school is nauwelijks meer te zien.",
            "Bij de tramhalte staan zoveel fietsen dat je er niet meer langs kunt.",
            "Het voetgangerslicht op het kruispunt staat veel te kort op groen.",
            "Bestelbusjes blokkeren elke ochtend de doorgang voor de vuilniswagen.",
        ],
        "Handhaving controleert de komende weken extra op deze plek.",
    ),
    "wonen": (
        6,
        [
            "In ons portiek zit al maanden schimmel en de verhuurder doet niets.",
            "De lift in onze flat is steeds kapot; ouderen kunnen hun woning niet uit.",
            "In de woning naast ons wonen veel te veel mensen en er is veel overlast.",
            "De portiekdeur sluit niet meer, waardoor er vreemden in de hal slapen.",
            "Bewoners maken zich zorgen over de sloopplannen voor ons blok.",
        ],
        "De verhuurder heeft toegezegd het probleem op te lossen.",
    ),
    "jeugd": (
        4,
        [
            "Er is in de wijk te weinig te doen voor jongeren van 12 tot 16 jaar.",
            "Het trapveldje is al lang afgesloten en kinderen spelen nu op straat.",
            "Jongeren vragen om een plek waar ze 's avonds samen kunnen komen.",
            "Het buurthuis heeft geen activiteiten meer voor tieners.",
        ],
        "Het jongerenwerk neemt contact op met de jongeren en bekijkt wat mogelijk is.",
    ),
    "zorg-en-welzijn": (
        3,
        [
            "Mijn oudere buurvrouw woont alleen en lijkt niet goed voor zichzelf te zorgen.",
            "Er wonen veel eenzame ouderen in onze flat; kan er iemand bij hen langsgaan?",
            "Bewoners weten niet waar ze terecht kunnen met geldzorgen.",
            "De huisartsenpost is slecht bereikbaar voor mensen die slecht ter been zijn.",
        ],
        "Het wijkteam is langsgegaan en heeft hulp aangeboden.",
    ),
    "sociale-samenhang": (
        3,
        [
            "We willen een straatfeest organiseren en zoeken hulp bij de vergunning.",
            "Nieuwe en oude bewoners kennen elkaar niet meer.",
            "Bewoners willen samen de binnentuin opknappen en zoeken een budget.",
            "Er is onenigheid tussen buren over het gebruik van de gemeenschappelijke tuin.",
        ],
        "De wijkmanager heeft de bewoners in contact gebracht met het welzijnswerk.",
    ),
    "overig": (
        5,
        [
            "De informatieborden in de wijk zijn sterk verouderd.",
            "Het wijkcentrum is vaak dicht op de tijden die op de website staan.",
            "Er hangen overal posters en stickers op de elektriciteitskasten.",
            "De bewonersbrief over de werkzaamheden is nooit bij ons aangekomen.",
        ],
        "We hebben dit doorgegeven en het is inmiddels aangepast.",
    ),
}
ANDERE_THEMA = (3, THEMAS["overig"][1], THEMAS["overig"][2])
AANVULLINGEN = [
    "Dit speelt al een paar weken.",
    "Het is de derde keer dit jaar dat ik dit meld.",
    "Vooral 's avonds en in het weekend is het erg.",
    "Ook andere buren hebben er last van.",
    "Er spelen hier veel kinderen, dus het is echt gevaarlijk.",
    "Kunt u hier iets aan doen?",
    "Ik hoop dat er snel iemand naar komt kijken.",
    "Eerder is er al iemand van de gemeente geweest, maar er is niets veranderd.",
    "Het ziet er rommelig uit en dat trekt nog meer troep aan.",
    "Graag hoor ik wat ermee gedaan wordt.",
    "Misschien kan dit worden meegenomen in de wijkaanpak.",
    "Wij willen als bewoners best helpen.",
    "Ouderen in de straat durven er niet meer langs.",
    "Het begon na de werkzaamheden aan de riolering.",
    "Sinds de zomer is het steeds erger geworden.",
    "Op de bewonersavond is dit ook al genoemd.",
]
STRATEN = _lijst(
    "Zwart Janstraat|Noordsingel|Bergweg|Schiedamseweg|Beukelsdijk|Mathenesserlaan|Putselaan|"
    "Dordtselaan|Slinge|Groene Hilledijk|Kromme Zandweg|Oudedijk|Goudsesingel|Hoogstraat|"
    "West-Kruiskade|Nieuwe Binnenweg|Hillevliet|Wolphaertsbocht|Strevelsweg|Pleinweg|Randweg|"
    "Spinozaweg|Zuiderparkweg|Lange Hilleweg|Meent|Kleiweg|Straatweg|Prinsenlaan|Kralingseweg|"
    "Oostzeedijk|Rosestraat|Lepelaarssingel|Tjalklaan|Achterdijk|Korte Kade|Vlietlaan|"
    "Pijnackerstraat|Bloklandstraat|Wilgenplaslaan|Herenwaard|Zevenkampse Ring|Maasboulevard"
)
PLEKKEN = _lijst(
    "de speeltuin|het winkelcentrum|de tramhalte|de basisschool|het buurthuis|"
    "de ondergrondse containers|het hondenveld|de brug|het metrostation|de moskee|de kerk|"
    "het pleintje|de sporthal|de bibliotheek"
)
AFSLUITINGEN = [
    "Dank u voor uw melding.",
    "Bedankt voor het melden; we houden de plek de komende weken in de gaten.",
    "Laat het ons weten als het opnieuw gebeurt.",
    "Dank voor uw geduld.",
]
OPGENOMEN_ANTWOORD = (
    "Uw melding is opgenomen in de wijkaanpak {cyclus}. De wijkmanager en de wijkraad nemen haar "
    "mee in de wijkanalyse en de wijkagenda; op deze pagina ziet u wat ermee gebeurt."
)
NIET_REDENEN = [
    "Dit is een zaak van de verhuurder. Neem contact op met uw woningcorporatie of verhuurder; "
    "het wijkteam kan u daarbij helpen.",
    "Deze plek is particulier terrein; de eigenaar is verantwoordelijk voor het onderhoud.",
    "Voor acute onveiligheid belt u 112, in andere gevallen de politie op 0900-8844.",
    "Dit valt buiten de wijkaanpak. Met vragen over uw uitkering kunt u bij het Wijkloket terecht.",
    "We hebben ter plaatse gekeken maar konden het probleem niet vinden. Meld het gerust "
    "opnieuw met een foto of een preciezere plek.",
]
NOTITIES = [
    "",
    "Graag binnen de termijn oppakken en de melder antwoorden.",
    "Melder vraagt om terugkoppeling.",
    "Al vaker gemeld in deze straat; graag structureel bekijken.",
    "Ook besproken in het wijkoverleg.",
]
REACTIES = [
    "Het is nog steeds niet opgelost.",
    "Er is niemand geweest; alles ligt er nog.",
    "Na een week was het precies hetzelfde als eerst.",
    "Het is maar half opgelost.",
]
# Which cluster (by slug) a theme is forwarded to; partners (by kind) for some themes.
CLUSTER_VAN_THEMA = {
    "schoon": "stadsbeheer",
    "heel": "stadsbeheer",
    "groen-en-buitenruimte": "stadsbeheer",
    "verkeer-en-parkeren": "stadsbeheer",
    "veilig": "veiligheid",
    "wonen": "stadsontwikkeling",
    "jeugd": "maatschappelijke-ontwikkeling",
    "zorg-en-welzijn": "maatschappelijke-ontwikkeling",
    "sociale-samenhang": "maatschappelijke-ontwikkeling",
    "overig": "dienstverlening",
}
PARTNER_VAN_THEMA = {
    "wonen": Partner.Soort.WONINGCORPORATIE.value,
    "veilig": Partner.Soort.POLITIE.value,
    "zorg-en-welzijn": Partner.Soort.WELZIJN.value,
}
# Sentences per melding, and when residents write (hour of day -> weight).
ZINNEN = ((1, 15), (2, 30), (3, 25), (4, 15), (5, 10), (6, 5))
UREN = [
    (h, w)
    for h, w in zip(
        range(24),
        [1, 1, 0, 0, 0, 1, 2, 4, 6, 7, 7, 7, 7, 7, 6, 6, 6, 6, 7, 8, 9, 8, 5, 3],
        strict=True,
    )
    if w
]
# (format, extension, content type, share, bytes per megapixel: low, high)
FOTO_FORMATEN = (
    ("jpg", "image/jpeg", 80, 80_000, 260_000),
    ("webp", "image/webp", 12, 50_000, 160_000),
    ("png", "image/png", 8, 600_000, 1_600_000),
)
FOTO_MATEN = ((2560, 1920), (1920, 2560), (2560, 1440), (1440, 2560), (1600, 1200), (1280, 960))


def _cumulative(weights):
    total, out = 0, []
    for w in weights:
        total += w
        out.append(total)
    return out


_UREN_CUM = _cumulative(w for _, w in UREN)
_ZINNEN_CUM = _cumulative(w for _, w in ZINNEN)
_FOTO_CUM = _cumulative(f[2] for f in FOTO_FORMATEN)


def _pick(rng: random.Random, cumulative: list[int]) -> int:
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def melding_tekst(rng: random.Random, zinnen: list[str]) -> str:
    """A resident's report: what is wrong, then up to five remarks."""
    aantal = ZINNEN[_pick(rng, _ZINNEN_CUM)][0]
    delen = [rng.choice(zinnen)]
    if aantal > 1 and rng.random() < 0.25:
        tweede = rng.choice(zinnen)
        if tweede != delen[0]:
            delen.append(tweede)
    delen += rng.sample(AANVULLINGEN, max(0, aantal - len(delen)))
    return " ".join(delen)


def _plek(rng: random.Random) -> str:
    vorm = rng.random()
    if vorm < 0.45:
        return f"{rng.choice(STRATEN)} {rng.randint(1, 240)}"
    if vorm < 0.7:
        a, b = rng.sample(STRATEN, 2)
        return f"hoek {a} / {b}"
    if vorm < 0.9:
        return f"bij {rng.choice(PLEKKEN)} aan de {rng.choice(STRATEN)}"
    return ""


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        bits = rng.getrandbits(50)
        tekens = "".join(ALFABET[(bits >> (5 * i)) & 31] for i in range(10))
        code = f"{tekens[:5]}-{tekens[5:]}"
        if code not in used:
            used.add(code)
            return code


@functools.lru_cache(maxsize=50_000)
def _termijn(dag: datetime.date, werkdagen: int) -> datetime.date:
    return werkdagen_na(dag, werkdagen)


# ------------------------------------------------------------------------------ counts


def aantal_meldingen(ctx: ScaleContext, wijk: Wijk, jaar: int) -> int:
    """How many meldingen ``wijk`` gets in calendar year ``jaar``: by its inhabitants, fewer
    in earlier years, only the part of the year before ``ctx.today``."""
    eerste, laatste = datetime.date(jaar, 1, 1), datetime.date(jaar, 12, 31)
    laatste = min(laatste, ctx.today - datetime.timedelta(days=1))
    if laatste < eerste or not wijk.inwoners:
        return 0
    deel = ((laatste - eerste).days + 1) / 365
    rng = ctx.rng_for("meldingen.aantal", wijk.slug, jaar)
    verwacht = (
        PER_DUIZEND
        * wijk.inwoners
        / 1000
        * JAARLIJKS ** max(0, ctx.today.year - jaar)
        * deel
        * ctx.factor
        * rng.uniform(0.85, 1.15)
    )
    return round(verwacht)


def kalenderjaren(ctx: ScaleContext) -> list[int]:
    """The calendar years with meldingen: the year before each programme year (its analysis
    and agenda), none after today."""
    return [jaar - 1 for jaar in ctx.jaren if jaar - 1 <= ctx.today.year]


# ------------------------------------------------------------------------------- model


@dataclass
class _Event:
    at: datetime.datetime
    action: str
    actor: ScaleUser | None
    rol: str
    data: dict


@dataclass(eq=False)
class _Melding:
    code: str
    tekst: str
    thema: Thema
    wijk: Wijk
    werkgebied_id: int | None
    plek: str
    punt: tuple[str, str, str] | None  # (lengtegraad, breedtegraad, buurtcode)
    betreft_groep: bool
    email: str
    ingediend_op: datetime.datetime
    fotos: list[tuple]  # (bestand, content_type, breedte, hoogte, grootte)
    dubbel_kans: bool
    pk: int = 0
    status: str = NIEUW
    versie: int = 1
    gewijzigd_op: datetime.datetime | None = None
    termijn_op: datetime.date | None = None
    afgesloten_op: datetime.datetime | None = None
    contact_verwijderd_op: datetime.datetime | None = None
    publiceerbaar: bool = False
    hoofdmelding: "_Melding | None" = None
    cluster_id: int | None = None
    partner_id: int | None = None
    cyclus_id: int | None = None
    notitie: str = ""
    antwoord: str = ""
    melder_reactie: str = ""
    opgelost: bool | None = None
    steun: list[datetime.datetime] = field(default_factory=list)
    spoor: list[tuple[int, datetime.datetime]] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    # How it was first closed, which its duplicates follow: (moment, status, answer, cycle id,
    # actor, role).
    gesloten: tuple | None = None


class _Meldingen:
    """Meldingen of one calendar year: drawn per wijk, then written in order of arrival."""

    def __init__(self, ctx: ScaleContext):
        self.ctx = ctx
        self.limit = datetime.datetime.combine(ctx.today, datetime.time(0), tzinfo=ctx.tz)
        self.themas = list(Thema.objects.filter(actief=True).order_by("volgorde", "pk"))
        self.thema_info = {t.pk: THEMAS.get(t.slug, ANDERE_THEMA) for t in self.themas}
        self.thema_cum = _cumulative(self.thema_info[t.pk][0] for t in self.themas)
        self.werkgebieden = {wg.pk: wg for wg in ctx.alle_werkgebieden}
        gekozen = {wg.pk for wg in ctx.werkgebieden}
        alle = len(gekozen) == len(ctx.alle_werkgebieden)
        # A wijk without a werkgebied (no wijkraad) only belongs to the whole city.
        self.wijken = [
            w
            for w in Wijk.objects.order_by("slug")
            if (w.werkgebied_id in gekozen) or (w.werkgebied_id is None and alle)
        ]
        self.cycli = {(c.werkgebied.pk, c.jaar): c for c in ctx.cycli}
        clusters = {c.slug: c for c in ctx.clusters}
        self.cluster_van = {
            t.pk: clusters.get(CLUSTER_VAN_THEMA.get(t.slug, ""), ctx.clusters[0])
            for t in self.themas
        }
        partners: dict[str, list[Partner]] = {}
        for partner in Partner.objects.order_by("naam", "pk"):
            partners.setdefault(partner.soort, []).append(partner)
        self.partners_van = {
            t.pk: partners.get(PARTNER_VAN_THEMA.get(t.slug, ""), []) for t in self.themas
        }
        self.used = set(Melding.objects.values_list("code", flat=True))
        # Who handles a werkgebied's meldingen, by role period: its own and its gebied's
        # wijkmanagers, the cluster's accounthouders in the gebied, the beheerders.
        self.managers: dict[int, list] = {}
        for role in ctx.roles.get(WIJKMANAGER, []):
            for wg in ctx.alle_werkgebieden:
                if role.werkgebied_id == wg.pk or role.gebied_id == wg.gebied_id:
                    self.managers.setdefault(wg.pk, []).append(role)
        self.accounthouders: dict[tuple[int, int], list] = {}
        for role in ctx.roles.get(ACCOUNTHOUDER, []):
            self.accounthouders.setdefault((role.gebied_id, role.cluster_id), []).append(role)
        self.beheerders = ctx.roles.get(BEHEERDER, [])
        self.vormen = self._vormen()
        self.counts = {"meldingen": 0}

    @staticmethod
    def _vormen() -> dict[str, shapely.Geometry]:
        # The buurt polygons places.geo answers "which wijk is this point in" with, so every
        # generated point passes the form's own check.
        data = geo._buurten()
        vormen = {}
        for buurt, vorm in zip(data.buurten, data.vormen, strict=True):
            shapely.prepare(vorm)
            vormen[buurt.code] = vorm
        return vormen

    # ------------------------------------------------------------------- drawing

    def draw(self, wijk: Wijk, jaar: int) -> list[_Melding]:
        ctx = self.ctx
        n = aantal_meldingen(ctx, wijk, jaar)
        if not n:
            return []
        rng = ctx.rng_for("meldingen", wijk.slug, jaar)
        codes = ctx.rng_for("meldingen.code", wijk.slug, jaar)
        eerste = datetime.date(jaar, 1, 1)
        dagen = (
            min(datetime.date(jaar, 12, 31), ctx.today - datetime.timedelta(days=1)) - eerste
        ).days + 1
        buurten = [c for c in (wijk.cbs_buurtcodes or []) if c in self.vormen]
        gebied = shapely.union_all([self.vormen[c] for c in buurten]) if buurten else None
        if gebied is not None:
            shapely.prepare(gebied)
        result = []
        for _ in range(n):
            dag = eerste + datetime.timedelta(days=rng.randrange(dagen))
            uur = UREN[_pick(rng, _UREN_CUM)][0]
            ingediend = datetime.datetime(
                dag.year,
                dag.month,
                dag.day,
                uur,
                rng.randrange(60),
                rng.randrange(60),
                rng.randrange(1_000_000),
                tzinfo=ctx.tz,
            )
            thema = self.themas[_pick(rng, self.thema_cum)]
            tekst = melding_tekst(rng, self.thema_info[thema.pk][1])
            punt = None
            if rng.random() < 0.3:
                punt = self._punt(rng, gebied, buurten, wijk)
            plek = _plek(rng)
            betreft_groep = rng.random() < 0.45
            email = ""
            if rng.random() < 0.4:
                voornaam, achternaam = rng.choice(VOORNAMEN), rng.choice(ACHTERNAMEN)
                email = (
                    f"{_mail_part(voornaam)}.{_mail_part(achternaam)}{rng.randrange(1, 100)}"
                    f"@{SCALE_EMAIL_DOMAIN}"
                )
            fotos = []
            if rng.random() < 0.15:
                fotos = [self._foto(rng, ingediend) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
            result.append(
                _Melding(
                    code=_code(codes, self.used),
                    tekst=tekst,
                    thema=thema,
                    wijk=wijk,
                    werkgebied_id=wijk.werkgebied_id,
                    plek=plek,
                    punt=punt,
                    betreft_groep=betreft_groep,
                    email=email,
                    ingediend_op=ingediend,
                    fotos=fotos,
                    dubbel_kans=rng.random() < 0.04,
                    termijn_op=_termijn(dag, thema.afhandeltermijn),
                    gewijzigd_op=ingediend,
                )
            )
        result.sort(key=lambda m: m.ingediend_op)
        return result

    def _punt(self, rng, gebied, buurten, wijk) -> tuple[str, str, str]:
        if gebied is None:
            # No polygon for this wijk: a point in the city, with its first buurt.
            lon, lat = rng.uniform(4.40, 4.60), rng.uniform(51.86, 51.98)
            codes = wijk.cbs_buurtcodes or [""]
            return f"{lon:.6f}", f"{lat:.6f}", codes[0]
        minx, miny, maxx, maxy = gebied.bounds
        while True:
            lon = round(rng.uniform(minx, maxx), 6)
            lat = round(rng.uniform(miny, maxy), 6)
            if not shapely.contains_xy(gebied, lon, lat):
                continue
            for code in buurten:
                if shapely.contains_xy(self.vormen[code], lon, lat):
                    return f"{lon:.6f}", f"{lat:.6f}", code

    @staticmethod
    def _foto(rng, moment) -> tuple:
        extensie, content_type, _share, laag, hoog = FOTO_FORMATEN[_pick(rng, _FOTO_CUM)]
        breedte, hoogte = rng.choice(FOTO_MATEN)
        naam = base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()
        grootte = round(breedte * hoogte / 1e6 * rng.uniform(laag, hoog))
        bestand = f"meldingen/{moment:%Y}/{moment:%m}/{naam}.{extensie}"
        return bestand, content_type, breedte, hoogte, grootte

    # ---------------------------------------------------------------- the history

    def _moment(self, rng, after: datetime.datetime, werkdagen: int) -> datetime.datetime:
        """Office hours, ``werkdagen`` working days after ``after`` (the same day if it is a
        working day and there is time left), strictly after it."""
        dag = self.ctx.local_date(after)
        if werkdagen:
            dag = _termijn(dag, werkdagen)
        while dag.weekday() >= 5:
            dag += datetime.timedelta(days=1)
        moment = self.ctx.moment(dag, rng)
        if moment <= after:
            if werkdagen == 0 and after.astimezone(self.ctx.tz).hour < 16:
                return after + datetime.timedelta(minutes=rng.randint(5, 90))
            moment = self.ctx.moment(_termijn(dag, 1), rng)
        return moment

    def _manager(self, rng, m: _Melding, on: datetime.date) -> tuple[ScaleUser, str]:
        if m.werkgebied_id is not None and rng.random() >= 0.03:
            actief = [r.user for r in self.managers.get(m.werkgebied_id, ()) if r.active(on)]
            if actief:
                return rng.choice(actief), WIJKMANAGER
        actief = [r.user for r in self.beheerders if r.active(on)] or [
            r.user for r in self.beheerders
        ]
        return rng.choice(actief), BEHEERDER

    def _accounthouder(self, rng, m: _Melding, on: datetime.date):
        if m.werkgebied_id is None or m.cluster_id is None:
            return None
        gebied_id = self.werkgebieden[m.werkgebied_id].gebied_id
        actief = [
            r.user for r in self.accounthouders.get((gebied_id, m.cluster_id), ()) if r.active(on)
        ]
        return (rng.choice(actief), ACCOUNTHOUDER) if actief else None

    def _cyclus(self, m: _Melding, at: datetime.datetime):
        """A running cycle of the werkgebied to take it up in: the one being prepared (the
        next programme year) once it exists, else the one being carried out."""
        if m.werkgebied_id is None:
            return None
        jaar = self.ctx.local_date(at).year
        for kandidaat in (jaar + 1, jaar):
            cyclus = self.cycli.get((m.werkgebied_id, kandidaat))
            if cyclus is not None and cyclus.aangemaakt_op < at:
                return cyclus
        return None

    def simulate(self, meldingen: list[_Melding], wijk: Wijk, jaar: int) -> None:
        rng = self.ctx.rng_for("meldingen.verloop", wijk.slug, jaar)
        hoofd_per_thema: dict[int, list[_Melding]] = {}
        for m in meldingen:
            m.events.append(
                _Event(
                    m.ingediend_op,
                    "participation.melding_ingediend",
                    None,
                    "",
                    {"thema": m.thema.naam, "wijk": wijk.naam, "fotos": len(m.fotos)},
                )
            )
            triage = self._moment(rng, m.ingediend_op, rng.choice((0, 1, 1, 1, 2, 2, 3, 4, 6)))
            hoofd = None
            if m.dubbel_kans and triage < self.limit:
                for kandidaat in reversed(hoofd_per_thema.get(m.thema.pk, [])[-40:]):
                    gesloten = kandidaat.gesloten[0] if kandidaat.gesloten else None
                    if gesloten is None or gesloten > triage + datetime.timedelta(hours=1):
                        hoofd = kandidaat
                        break
            if hoofd is not None:
                self._dubbel(rng, m, hoofd, triage)
            else:
                self._verloop(rng, m, triage)
                hoofd_per_thema.setdefault(m.thema.pk, []).append(m)
            self._bewaartermijn(rng, m)

    def _transition(self, m, at, naam, naar, actor, rol, **extra) -> None:
        m.events.append(
            _Event(
                at,
                f"participation.melding_{naam}",
                actor,
                rol,
                {"van": m.status, "naar": naar, **extra},
            )
        )
        m.status = naar
        m.versie += 1
        m.gewijzigd_op = at
        m.afgesloten_op = at if naar in GESLOTEN else None

    def _verloop(self, rng, m: _Melding, triage: datetime.datetime) -> None:
        ctx = self.ctx
        r = rng.random()
        if r < 0.50:
            pad = "afhandelen"
        elif r < 0.73:
            pad = "doorzetten"
        elif r < 0.88:
            pad = "opnemen"
        else:
            pad = "niet_in_behandeling_nemen"
        termijn = (m.termijn_op - ctx.local_date(m.ingediend_op)).days
        duur = termijn * rng.lognormvariate(0.0, 0.6) * (1.7 if pad == "doorzetten" else 1.0)
        if rng.random() < 0.03:
            duur *= rng.uniform(3, 8)  # stuck somewhere for months
        duur = min(duur, MAX_DUUR)
        in_behandeling = rng.random() < 0.75 or pad == "opnemen"
        publiceerbaar = rng.random() < 0.2
        steun = rng.random() < 0.12
        reactie = rng.random()
        self._stappen(rng, m, triage, pad, duur, in_behandeling, publiceerbaar)
        if steun:
            self._steun(rng, m)
        if m.gesloten and m.status == AFGEHANDELD:
            self._reactie(rng, m, reactie)

    def _stappen(self, rng, m, triage, pad, duur, in_behandeling, publiceerbaar) -> None:
        """The wijkmanager's steps up to closing, cut off at today."""
        ctx, limit = self.ctx, self.limit
        t = triage
        if t >= limit:
            return
        if in_behandeling:
            actor, rol = self._manager(rng, m, ctx.local_date(t))
            self._transition(m, t, "in_behandeling_nemen", IN_BEHANDELING, actor, rol)
        if publiceerbaar:
            t = t + datetime.timedelta(minutes=rng.randint(1, 20))
            if t >= limit:
                return
            actor, rol = self._manager(rng, m, ctx.local_date(t))
            m.events.append(
                _Event(
                    t, "participation.melding_publiceerbaar", actor, rol, {"publiceerbaar": True}
                )
            )
            m.publiceerbaar = True
            m.versie += 1
            m.gewijzigd_op = t
        naar_wie = ""
        if pad == "doorzetten":
            t = self._moment(rng, t, rng.randint(0, 2))
            partners = self.partners_van[m.thema.pk]
            if rng.random() < 0.3 and partners:
                ontvanger = rng.choice(partners)
            else:
                ontvanger = self.cluster_van[m.thema.pk]
            notitie = rng.choice(NOTITIES)
            if t >= limit:
                return
            actor, rol = self._manager(rng, m, ctx.local_date(t))
            if isinstance(ontvanger, Partner):
                m.partner_id = ontvanger.pk
            else:
                m.cluster_id = ontvanger.pk
            m.notitie = notitie
            naar_wie = ontvanger.naam
            self._transition(m, t, "doorzetten", DOORGEZET, actor, rol, naar_wie=naar_wie)
        sluiten = max(
            self._moment(rng, m.ingediend_op + datetime.timedelta(days=duur), 0),
            t + datetime.timedelta(hours=rng.uniform(1, 30)),
        )
        if sluiten.astimezone(ctx.tz).hour >= 18 or sluiten.weekday() >= 5:
            sluiten = self._moment(rng, sluiten, 1)
        slot = rng.choice(AFSLUITINGEN)
        if sluiten >= limit:
            return
        dag = ctx.local_date(sluiten)
        cyclus = self._cyclus(m, sluiten) if pad == "opnemen" else None
        if pad == "opnemen" and cyclus is None:
            pad = "afhandelen"  # no running cycle to take it up in: answered instead
        gedaan = THEMAS.get(m.thema.slug, ANDERE_THEMA)[2]
        if pad == "doorzetten":
            gekozen = self._accounthouder(rng, m, dag) if rng.random() < 0.7 else None
            actor, rol = gekozen or self._manager(rng, m, dag)
            m.antwoord = f"{naar_wie} heeft uw melding opgepakt. {gedaan} {slot}"
            self._transition(m, sluiten, "afhandelen", AFGEHANDELD, actor, rol)
        elif pad == "afhandelen":
            actor, rol = self._manager(rng, m, dag)
            m.antwoord = f"{gedaan} {slot}"
            self._transition(m, sluiten, "afhandelen", AFGEHANDELD, actor, rol)
        elif pad == "opnemen":
            actor, rol = self._manager(rng, m, dag)
            naam = f"{self.werkgebieden[m.werkgebied_id].naam} {cyclus.jaar}"
            m.cyclus_id = cyclus.pk
            m.antwoord = OPGENOMEN_ANTWOORD.format(cyclus=naam)
            m.spoor.append((cyclus.pk, sluiten))
            self._transition(m, sluiten, "opnemen", OPGENOMEN, actor, rol, cyclus=naam)
        else:
            actor, rol = self._manager(rng, m, dag)
            m.antwoord = rng.choice(NIET_REDENEN)
            self._transition(m, sluiten, "niet_in_behandeling_nemen", NIET, actor, rol)
        m.gesloten = (sluiten, m.status, m.antwoord, m.cyclus_id, actor, rol)

    def _reactie(self, rng, m: _Melding, r: float) -> None:
        """The reporter on the tracking page, within two weeks: solved, or not (reopened and
        answered again)."""
        if r >= 0.26:
            return
        at = m.afgesloten_op + datetime.timedelta(hours=rng.uniform(2, 13 * 24))
        if at >= self.limit:
            return
        m.versie += 1
        m.gewijzigd_op = at
        if r < 0.22:
            m.opgelost = True
            m.events.append(
                _Event(at, "participation.melding_opgelost", None, "", {"naar": m.status})
            )
            return
        m.opgelost = False
        m.melder_reactie = rng.choice(REACTIES)
        m.status, m.afgesloten_op = IN_BEHANDELING, None
        m.termijn_op = _termijn(self.ctx.local_date(at), m.thema.afhandeltermijn)
        m.events.append(
            _Event(at, "participation.melding_heropend", None, "", {"naar": IN_BEHANDELING})
        )
        opnieuw = self._moment(rng, at, rng.randint(2, 12))
        if opnieuw >= self.limit:
            return
        actor, rol = self._manager(rng, m, self.ctx.local_date(opnieuw))
        m.antwoord = (
            "We zijn opnieuw gaan kijken. "
            + THEMAS.get(m.thema.slug, ANDERE_THEMA)[2]
            + " "
            + rng.choice(AFSLUITINGEN)
        )
        self._transition(m, opnieuw, "afhandelen", AFGEHANDELD, actor, rol)

    def _steun(self, rng, m: _Melding) -> None:
        """Anonymous support while it was open (never for a duplicate)."""
        tot = m.gesloten[0] if m.gesloten else self.limit
        span = (tot - m.ingediend_op).total_seconds()
        aantal = min(25, int(rng.expovariate(0.35)) + 1)
        momenten = sorted(
            m.ingediend_op + datetime.timedelta(seconds=rng.uniform(60, max(61, span - 60)))
            for _ in range(aantal)
        )
        for at in momenten:
            if at < tot:
                m.steun.append(at)
                m.events.append(_Event(at, "participation.melding_gesteund", None, "", {}))

    def _dubbel(self, rng, m: _Melding, hoofd: _Melding, triage) -> None:
        """Linked to its main melding at triage, closed with it (as ``_follow`` does)."""
        t = triage
        if rng.random() < 0.5:
            actor, rol = self._manager(rng, m, self.ctx.local_date(t))
            self._transition(m, t, "in_behandeling_nemen", IN_BEHANDELING, actor, rol)
            t = t + datetime.timedelta(minutes=rng.randint(1, 15))
        if t >= self.limit:
            return
        actor, rol = self._manager(rng, m, self.ctx.local_date(t))
        m.hoofdmelding = hoofd
        m.versie += 1
        m.gewijzigd_op = t
        m.events.append(
            _Event(t, "participation.melding_dubbel", actor, rol, {"hoofdmelding": hoofd.code})
        )
        if hoofd.gesloten is None:
            return
        at, status, antwoord, cyclus_id, actor, rol = hoofd.gesloten
        m.events.append(
            _Event(
                at,
                "participation.melding_gesloten_met_hoofdmelding",
                actor,
                rol,
                {"van": m.status, "naar": status, "hoofdmelding": hoofd.code},
            )
        )
        # An update, not a save: the version goes up, gewijzigd_op stays.
        m.status, m.antwoord, m.cyclus_id, m.afgesloten_op = status, antwoord, cyclus_id, at
        m.versie += 1
        if cyclus_id is not None:
            m.spoor.append((cyclus_id, at))

    def _bewaartermijn(self, rng, m: _Melding) -> None:
        if m.status not in GESLOTEN or m.afgesloten_op is None:
            return
        grens = m.afgesloten_op + BEWAARTERMIJN
        dag = self.ctx.local_date(grens)
        at = datetime.datetime.combine(dag, BEWAAR_TIJD, tzinfo=self.ctx.tz)
        if at <= grens:
            at = datetime.datetime.combine(
                dag + datetime.timedelta(days=1), BEWAAR_TIJD, tzinfo=self.ctx.tz
            )
        at += datetime.timedelta(seconds=rng.uniform(1, 600))
        if at >= self.limit:
            return
        m.events.append(
            _Event(
                at,
                "participation.contact_verwijderd",
                None,
                "",
                {"fotos": len(m.fotos), "email": bool(m.email)},
            )
        )
        m.contact_verwijderd_op = at
        m.gewijzigd_op = at
        m.email = ""
        m.fotos = []

    # --------------------------------------------------------------------- writing

    def write(self, meldingen: list[_Melding]) -> None:
        ctx = self.ctx
        meldingen.sort(key=lambda m: (m.ingediend_op, m.code))
        for m, pk in zip(meldingen, ctx.reserve_ids(Melding, len(meldingen)), strict=True):
            m.pk = pk
        rows, fotos, steun, spoor = [], [], [], []
        for m in meldingen:
            punt = m.punt or ("", "", "")
            rows.append(
                (
                    m.pk,
                    m.code,
                    m.tekst,
                    m.thema.pk,
                    m.wijk.pk,
                    m.werkgebied_id,
                    punt[2],
                    m.plek,
                    punt[0] or None,
                    punt[1] or None,
                    m.betreft_groep,
                    m.email,
                    m.status,
                    m.publiceerbaar,
                    m.termijn_op,
                    m.hoofdmelding.pk if m.hoofdmelding else None,
                    m.cluster_id,
                    m.partner_id,
                    m.cyclus_id,
                    m.notitie,
                    m.antwoord,
                    m.melder_reactie,
                    len(m.steun),
                    m.opgelost,
                    m.versie,
                    m.ingediend_op,
                    m.gewijzigd_op,
                    m.afgesloten_op,
                    m.contact_verwijderd_op,
                )
            )
            for bestand, content_type, breedte, hoogte, grootte in m.fotos:
                fotos.append(
                    (m.pk, bestand, content_type, breedte, hoogte, grootte, m.ingediend_op)
                )
            steun.extend((m.pk, at) for at in m.steun)
            spoor.extend((m.pk, Spoorsoort.CYCLUS.value, c, "", at) for c, at in m.spoor)
            for event in m.events:
                ctx.audit.add(
                    action=event.action,
                    actor=event.actor,
                    actor_rol=event.rol,
                    target_model=Melding,
                    object_id=m.pk,
                    data=event.data,
                    timestamp=event.at,
                )
        ctx.copy(Melding, MELDING_FIELDS, rows)
        ctx.copy(
            Foto,
            ["melding", "bestand", "content_type", "breedte", "hoogte", "grootte", "aangemaakt_op"],
            fotos,
        )
        ctx.copy(Steun, ["melding", "aangemaakt_op"], steun)
        ctx.copy(Spoor, ["melding", "soort", "cyclus", "toelichting", "aangemaakt_op"], spoor)


def meldingen_clear(ctx: ScaleContext) -> None:
    # Every melding goes, with its log: they point at the cycles, which all go next. Raw
    # deletes, as the generator writes: hundreds of thousands of rows, no signals involved
    # (and no files: generated photos have none).
    _delete_audit_entries(content_types=[ContentType.objects.get_for_model(Melding).pk])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Foto, Steun, Spoor, Melding):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


@register("participation.meldingen", after=("cycle",), clear=meldingen_clear)
def meldingen(ctx: ScaleContext) -> None:
    """The meldingen of every wijk of the werkgebieden built, year by year (see the module
    docstring), with photos' metadata, support, trail and history."""
    made = _Meldingen(ctx)
    for jaar in kalenderjaren(ctx):
        jaar_meldingen = []
        for wijk in made.wijken:
            drawn = made.draw(wijk, jaar)
            made.simulate(drawn, wijk, jaar)
            jaar_meldingen.extend(drawn)
        made.write(jaar_meldingen)
        ctx.audit.flush()


# Register the steps participation.volgers, participation.plan, participation.consultaties,
# participation.bijeenkomsten, participation.bewoners and participation.steun.
from . import (  # noqa: E402, F401
    scale_bewoners,
    scale_bijeenkomsten,
    scale_consultatie,
    scale_plan,
    scale_steun,
    scale_volgen,
)
