"""The content of the generated wijkprogramma's and their execution year (a step of
``manage.py load_scale``, after the analyses and agendas): the initiatives of every programme,
the owners' toezeggingen, the monthly progress updates, the knelpunten, and how each initiative
ended its year.

Per programme that went to consultation or was adopted 18–40 initiatives (a concept being
drafted 2–30; about 10,000 in a city of ten years, at any factor), each serving an agendapunt of
the same cycle (every point at least one where there are enough), owned by a cluster
(Stadsbeheer most: about a quarter of all, more in the benchmark's werkgebied), a partner or a
residents' group, with a trekker. Their history is written edit by edit in the programme's
``slots`` (see ``cycle.scale.inhoud_planners``), as ``cycle.services_programma`` writes it:
added and changed through the edit guard by the drafter, answered by the owner's voice (the
cluster's accounthouder in the werkgebied's gebied; for a partner or a residents' group a
wijkmanager), which raises the programme's version too. A programme that went to
consultation had every initiative committed to, with a trekker, when it did (its adoption
check); one being drafted has initiatives waiting for an answer, declined ones and some
without a trekker.

In the execution year (from the day after the cycle entered ``uitvoering`` until the day before
it left it, or yesterday) each initiative gets an update about every month from its start: the
first starts it, and it ends realised (about 62% of a closed year), stopped with a reason (3%)
or still running, often delayed with an expected new end date (35%, the Rotterdam figures of
2023). A realised one reaches 100%. Updates are made by the owner's accounthouder, a
wijkmanager, or the trekker where the trekker has an account. Some initiatives get a knelpunt,
raised by someone involved and resolved by a wijkmanager with a note (some still open in the
running year). Where the twelve-month report is complete (the wijkverslag in consultation or
adopted), every initiative that did not end realised or stopped has its end recorded: dropped,
with a reason (carrying one over needs next year's programme still being drafted, which by the
time of the report it no longer is); most realised ones are recorded too.

Texts and structure come from streams of the cycle's own werkgebied and year, so they are the
same at any factor; which edit lands in which slot follows the slots, which the factor moves."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from people.models import Partner, Rol

from .models import (
    Afloop,
    Agendapunt,
    Financiering,
    Initiatief,
    Knelpunt,
    Participatieniveau,
    Toezegging,
    Uitvoeringsstatus,
    Voortgang,
    Werkcyclus,
)
from .scale import (
    ACHTERNAMEN,
    VOORNAMEN,
    ZAKEN,
    ScaleContext,
    ScaleCycle,
    ScaleProduct,
    ScaleUser,
    Slot,
    _delete_audit_entries,
    _lijst,
    inhoud_planners,
    register,
)

C = "concept"
NIEUW, TOEZEGGEN, AFWIJZEN, HERZIEN, BIJWERKEN, LOS = (
    "nieuw",
    "toezeggen",
    "afwijzen",
    "herzien",
    "bijwerken",
    "los",
)
# The life of one initiative while the programme is drafted: its edits and answers in order.
# ``herzien`` changes what the owner committed to (so asks again), ``bijwerken`` what the
# owner did not (the trekker, the contributors, the participation level); ``los`` is such an
# edit too, but not part of the initiative's own life (placed where the slots need it).
COMPLETE_VORMEN = [
    ((NIEUW, TOEZEGGEN), 75),
    ((NIEUW, AFWIJZEN, HERZIEN, TOEZEGGEN), 8),
    ((NIEUW, TOEZEGGEN, BIJWERKEN), 10),
    ((NIEUW, TOEZEGGEN, HERZIEN, TOEZEGGEN), 7),
]
CONCEPT_VORMEN = [
    ((NIEUW,), 30),
    ((NIEUW, TOEZEGGEN), 45),
    ((NIEUW, AFWIJZEN), 8),
    ((NIEUW, AFWIJZEN, HERZIEN), 5),
    ((NIEUW, TOEZEGGEN, BIJWERKEN), 7),
    ((NIEUW, TOEZEGGEN, HERZIEN), 5),
]
# How a closed year ends for an initiative (Rotterdam 2023): realised, running on, stopped.
LOTEN = (("gerealiseerd", 62), ("loopt", 35), ("gestopt", 3))


# ----------------------------------------------------------------------------- plan


@dataclass
class ProgrammaPlan:
    vormen: list[tuple[str, ...]]  # per initiative
    los: int  # edits (``bijwerken``) of an initiative added earlier, anywhere after it
    compleet: bool

    @property
    def bewerkingen(self) -> int:
        return sum(len(v) for v in self.vormen) + self.los


def plan_wijkprogramma(rng: random.Random, status: str) -> ProgrammaPlan:
    compleet = status != C
    vormen_keuze = COMPLETE_VORMEN if compleet else CONCEPT_VORMEN
    n = rng.randint(18, 40) if compleet else rng.randint(2, 30)
    vormen = [
        rng.choices([v for v, _ in vormen_keuze], [w for _, w in vormen_keuze])[0] for _ in range(n)
    ]
    # At least three loose edits in a complete programme: they fill the slots before its
    # consultation exactly with whole initiatives (see ``_volgorde``).
    los = rng.randint(3, 6) if compleet else rng.randint(0, 2)
    return ProgrammaPlan(vormen=vormen, los=los, compleet=compleet)


inhoud_planners["wijkprogramma"] = plan_wijkprogramma


def _meng(rng, plan, indices, los, bestaand=()) -> list[tuple[str, int]]:
    """The ops of the initiatives ``indices`` interleaved at random (each in its own order),
    with ``los`` loose edits of an initiative added before them."""
    tokens = [i for i in indices for _ in plan.vormen[i]]
    rng.shuffle(tokens)
    stap = defaultdict(int)
    ops = []
    for i in tokens:
        ops.append((plan.vormen[i][stap[i]], i))
        stap[i] += 1
    for _ in range(los):
        eerste = 0 if bestaand else next(k for k, (op, _i) in enumerate(ops) if op == NIEUW) + 1
        plek = rng.randint(eerste, len(ops))
        gemaakt = [*bestaand, *(i for op, i in ops[:plek] if op == NIEUW)]
        ops.insert(plek, (LOS, rng.choice(gemaakt)))
    return ops


def _volgorde(rng, plan: ProgrammaPlan, slots: list[Slot], consult) -> list[tuple[str, int]]:
    """Which op of which initiative each slot holds. A complete programme that went to
    consultation was complete then: the slots before it hold whole initiatives (and loose
    edits), the rest come during the consultation."""
    if plan.compleet and consult is not None:
        voor_aantal = sum(1 for slot in slots if slot.at < consult)
        volgorde = list(range(len(plan.vormen)))
        rng.shuffle(volgorde)
        voor, na, som = [], [], 0
        for i in volgorde:
            if som + len(plan.vormen[i]) <= voor_aantal:
                voor.append(i)
                som += len(plan.vormen[i])
            else:
                na.append(i)
        gat = voor_aantal - som
        if voor and gat <= plan.los:
            return _meng(rng, plan, voor, gat) + _meng(rng, plan, na, plan.los - gat, voor)
    return _meng(rng, plan, list(range(len(plan.vormen))), plan.los)


# ----------------------------------------------------------------------------- texts

# Per theme: (title, owner): a cluster's slug, "partner:<slug>" or "bewoners".
INITIATIEVEN = {
    "schoon": [
        ("Schoonmaakacties met bewoners", "bewoners"),
        ("Afvalcoaches uit de buurt", "stadsbeheer"),
        ("Een vaste grofvuildag per buurt", "stadsbeheer"),
        ("Extra veegronde na het weekend", "stadsbeheer"),
        ("Handhaving op bijplaatsingen", "veiligheid"),
        ("Adopteer een container", "bewoners"),
    ],
    "heel": [
        ("Wijkschouw met bewoners, twee keer per jaar", "stadsbeheer"),
        ("Stoeptegels in de zijstraten herstellen", "stadsbeheer"),
        ("Graffiti binnen een week weg", "stadsbeheer"),
        ("Speeltoestellen keuren en vervangen", "stadsbeheer"),
        ("Bankjes adopteren", "bewoners"),
    ],
    "veilig": [
        ("Schoolzones herinrichten met ouders", "stadsontwikkeling"),
        ("Extra verlichting op de looproutes", "stadsbeheer"),
        ("Buurtpreventie-app en avondrondes", "bewoners"),
        ("Jongerenwerk 's avonds op het plein", "maatschappelijke-ontwikkeling"),
        ("Spreekuur van de wijkagent in het buurthuis", "partner:politie-eenheid-rotterdam"),
        ("Toezicht bij de parkeergarage", "veiligheid"),
    ],
    "groen-en-buitenruimte": [
        ("Tegels eruit, groen erin", "stadsbeheer"),
        ("Speelplek-ontwerpsessies met kinderen", "stadsontwikkeling"),
        ("Geveltuinen in de zijstraten", "bewoners"),
        ("Boomspiegels adopteren", "bewoners"),
        ("Een moestuin in de binnenhof", "bewoners"),
        ("Nieuwe bomen voor schaduw", "stadsbeheer"),
    ],
    "wonen": [
        ("Energiecoaches voor huurders", "partner:woonstad-rotterdam"),
        ("Aanpak van vocht en schimmel", "partner:havensteder"),
        ("Meldpunt voor huisjesmelkers", "veiligheid"),
        ("Onderhoudsafspraken met de corporatie", "partner:woonstad-rotterdam"),
        ("Controle op overbewoning", "dienstverlening"),
    ],
    "werk-en-inkomen": [
        ("Schuldhulp in het buurthuis", "maatschappelijke-ontwikkeling"),
        ("Stages bij ondernemers uit de wijk", "maatschappelijke-ontwikkeling"),
        ("Inloopspreekuur voor formulieren", "dienstverlening"),
        ("Pop-upwinkels in lege panden", "stadsontwikkeling"),
    ],
    "leren-en-opgroeien": [
        ("Huiswerkbegeleiding door vrijwilligers", "partner:welzijnsorganisatie"),
        ("Een tienerplek in het buurthuis", "maatschappelijke-ontwikkeling"),
        ("Sporten zonder wachtlijst", "maatschappelijke-ontwikkeling"),
        ("Voorlezen op het consultatiebureau", "bewoners"),
    ],
    "zorg-en-welzijn": [
        ("Ouderenbezoek door buurtgenoten", "partner:welzijnsorganisatie"),
        ("Een steunpunt voor mantelzorgers", "maatschappelijke-ontwikkeling"),
        ("Een wijkkrant met het aanbod", "bewoners"),
        ("Inloopspreekuur in de moskee en de kerk", "dienstverlening"),
    ],
    "sociale-samenhang": [
        ("Een welkomstpakket voor nieuwe bewoners", "bewoners"),
        ("Straatgesprekken per blok", "maatschappelijke-ontwikkeling"),
        ("Het wijkfeest elk jaar in een andere buurt", "bewoners"),
        ("Een buurtkamer in de plint", "partner:havensteder"),
    ],
}
BEWONERSGROEPEN = _lijst(
    "Bewonersgroep Schone Straten|Werkgroep Groen|De bewonersorganisatie|Ouders van de "
    "basisschool|Het buurtpreventieteam|De huurdersvereniging|De speeltuinvereniging|"
    "Vrijwilligers van het buurthuis|Bewoners van de binnenhof"
)
BIJDRAGERS = _lijst(
    "Bewoners van de binnenhof|De woningcorporatie en de wijkraad|Het welzijnswerk|"
    "Stadsbeheer en vrijwilligers|De basisschool en het jongerenwerk|Ondernemers uit de "
    "winkelstraat|De wijkagent|Het buurthuis"
)
EFFECTEN = _lijst(
    "Minder klachten over {zaak}, en bewoners die zelf meedoen.|Bewoners zien dat er iets "
    "gebeurt aan {zaak}; de wijkraad volgt het elk kwartaal.|Een blijvende verbetering van "
    "{zaak} in de buurten waar het het slechtst gaat.|Meer bewoners die elkaar kennen en samen "
    "zorgen voor {zaak}.|Een aanpak van {zaak} die na dit jaar zonder extra geld doorloopt."
)
INDICATOREN = _lijst(
    "{n}% minder meldingen over dit onderwerp dan vorig jaar|Minstens {n} bewoners doen "
    "mee|Voor de zomer klaar en door de wijkraad gezien|Bewoners geven het een {cijfer} of "
    "hoger in de enquête|{n} activiteiten in het jaar, verspreid over de buurten"
)
AFWIJZINGEN = _lijst(
    "Dit past niet in onze planning van dit jaar; wij stellen voor het in het najaar te doen.|"
    "Het bedrag is te laag voor wat er gevraagd wordt; graag eerst een gesprek over de "
    "omvang.|Dit hoort bij een ander cluster; wij helpen wel met de contacten.|Wij kunnen dit "
    "alleen toezeggen als de woningcorporatie meebetaalt.|De einddatum is niet haalbaar; "
    "met twee maanden meer kunnen we het toezeggen."
)
UPDATES = {
    "start": _lijst(
        "Gestart met een eerste bijeenkomst met bewoners.|De opdracht is verstrekt; de "
        "uitvoering begint deze maand.|Het plan van aanpak is klaar en besproken in het wijk-MT.|"
        "De eerste activiteit is geweest; er kwamen meer bewoners dan verwacht."
    ),
    "loopt": _lijst(
        "Loopt volgens plan.|De tweede ronde is geweest; de opkomst was goed.|Er is "
        "overleg met de woningcorporatie over de volgende stap.|De materialen zijn besteld.|"
        "Halverwege; de wijkraad is bijgepraat.|Er zijn nieuwe vrijwilligers bijgekomen.|"
        "De resultaten tot nu toe zijn gedeeld op de bewonersavond."
    ),
    "vertraagd": _lijst(
        "Vertraagd: de vergunning laat op zich wachten.|Vertraagd: de aannemer kan pas later "
        "beginnen.|Vertraagd door ziekte van de trekker; een collega neemt het over.|"
        "Vertraagd: er is meer overleg met de bewoners nodig dan gedacht."
    ),
    "gerealiseerd": _lijst(
        "Klaar; de succesindicator is gehaald.|Afgerond en opgeleverd aan de buurt.|Klaar; "
        "de wijkraad heeft het resultaat gezien.|Gerealiseerd, met hulp van veel vrijwilligers."
    ),
    "gestopt": _lijst(
        "Gestopt: de partner trekt zich terug.|Gestopt: het is opgenomen in een stedelijk "
        "programma.|Gestopt: er bleek geen draagvlak in de buurt."
    ),
}
MIJLPALEN = _lijst(
    "Plan van aanpak klaar|Eerste activiteit gehouden|Ontwerp gekozen|Opdracht verstrekt|"
    "Halverwege|Oplevering gepland"
)
STOPREDENEN = _lijst(
    "De partner trekt zich terug en er is geen andere trekker gevonden.|Het initiatief is "
    "opgenomen in een stedelijk programma dat hetzelfde doet.|Er bleek in de buurt geen "
    "draagvlak voor; de wijkraad is akkoord met stoppen."
)
KNELPUNTEN = _lijst(
    "De vergunning laat al maanden op zich wachten.|Het budget van het cluster is op voor dit "
    "jaar.|De trekker is langdurig ziek en er is geen vervanger.|De woningcorporatie reageert "
    "niet op onze vragen.|Er is geen ruimte in het buurthuis op de avonden die bewoners "
    "willen.|De aannemer kan pas na de zomer beginnen."
)
OPLOSSINGEN = _lijst(
    "Besproken in het wijk-MT; de vergunning is met voorrang behandeld.|Betaald uit het "
    "knelpuntenbudget.|Een collega van het cluster neemt het trekkerschap over.|De "
    "wijkmanager heeft het met de directie van de corporatie opgelost.|Er is een andere "
    "ruimte gevonden in de school.|De planning is aangepast; de wijkraad is akkoord."
)
AFLOOP_REDENEN = _lijst(
    "Niet gelukt dit jaar; de wijkraad neemt het mee in de nieuwe wijkagenda.|Loopt op een "
    "andere manier door, buiten het wijkprogramma.|Het probleem is kleiner geworden; de "
    "wijkraad vindt het niet meer nodig."
)
DEELNAME = [
    (Participatieniveau.INFORMEREN.value, 10),
    (Participatieniveau.RAADPLEGEN.value, 35),
    (Participatieniveau.ADVISEREN.value, 15),
    (Participatieniveau.COPRODUCEREN.value, 30),
    (Participatieniveau.MEEBESLISSEN.value, 10),
]


# ------------------------------------------------------------------------------ step


def programma_clear(ctx: ScaleContext) -> None:
    # Before the cycles: an initiative protects its agendapunt, so the cycles' delete would
    # stop at them. Their progress and knelpunten go with them; their log entries here.
    _delete_audit_entries(
        content_types=[ContentType.objects.get_for_model(m).pk for m in (Initiatief, Knelpunt)]
    )
    Initiatief.objects.all().delete()


@register("cycle.programma", after=("cycle.inhoud",), clear=programma_clear)
def programma(ctx: ScaleContext) -> None:
    """The initiatives of every generated programme, their toezeggingen, execution and
    knelpunten, and how the year ended for them."""
    cycli = [c for c in ctx.cycli if c.producten["wijkprogramma"].inhoud is not None]
    punten = defaultdict(list)
    for pk, cyclus_id, thema in (
        Agendapunt.objects.filter(wijkagenda__cyclus_id__in=[c.pk for c in cycli])
        .order_by("wijkagenda__cyclus_id", "rang")
        .values_list("pk", "wijkagenda__cyclus_id", "thema__slug")
    ):
        punten[cyclus_id].append((pk, thema))
    data = {
        row[0]: row[1:]
        for row in Werkcyclus.objects.filter(pk__in=[c.pk for c in cycli]).values_list(
            "pk", "uitvoering_gestart", "uitvoering_afgerond", "verantwoording_afgerond"
        )
    }
    builder = _Programma(ctx)
    for cyclus in cycli:
        if punten[cyclus.pk]:  # none where the reference data (themes) was removed
            builder.cyclus(cyclus, punten[cyclus.pk], *data[cyclus.pk])
    builder.write()


@dataclass
class _Ini:
    """One initiative as it is built: its row values, its life and what is logged."""

    pk: int
    waarden: dict
    thema: str
    # Its own stream for what its edits and answers say: the same whatever slots they get.
    rng: random.Random
    versie: int = 1
    trekker_rol: object = None  # the trekker's role, where the trekker has an account
    knelpunt_kans: float = 0.0
    updates: list = field(default_factory=list)


class _Programma:
    def __init__(self, ctx: ScaleContext):
        self.ctx = ctx
        self.limit = datetime.datetime.combine(ctx.today, datetime.time(0), tzinfo=ctx.tz)
        self.accounthouders = defaultdict(list)  # (gebied, cluster) -> roles
        for role in ctx.roles.get(Rol.ACCOUNTHOUDER, []):
            self.accounthouders[(role.gebied_id, role.cluster_id)].append(role)
        self.bewoners = defaultdict(list)  # werkgebied -> roles of residents with a name
        for role in ctx.roles.get(Rol.BEWONER, []):
            if role.werkgebied_id is not None and role.user.naam:
                self.bewoners[role.werkgebied_id].append(role)
        self.clusters = {c.slug: c for c in ctx.clusters}
        self.stadsbeheer = self.clusters.get("stadsbeheer", ctx.clusters[0])
        self.partners = {p.slug: p for p in Partner.objects.order_by("naam", "pk")}
        self.vrij: dict[type, list[int]] = {}
        self.initiatieven: list[dict] = []
        self.voortgang: list[tuple] = []
        self.knelpunten: list[tuple] = []

    # ---------------------------------------------------------------- per cycle
    def cyclus(self, cyclus: ScaleCycle, punten, u_start, u_eind, v_eind) -> None:
        wg, jaar = cyclus.werkgebied, cyclus.jaar
        self.rt = self.ctx.rng_for("cycle.programma.tekst", wg.slug, jaar)
        self.rp = self.ctx.rng_for("cycle.programma.mensen", wg.slug, jaar)
        self.ru = self.ctx.rng_for("cycle.programma.uitvoering", wg.slug, jaar)
        rv = self.ctx.rng_for("cycle.programma.volgorde", wg.slug, jaar)
        self.rl = self.ctx.rng_for("cycle.programma.los", wg.slug, jaar)
        self.cyc = cyclus
        # The benchmark's werkgebied leans on Stadsbeheer: its accounthouder (the benchmark's)
        # has long lists of initiatives to answer and to report on.
        self.bench = wg.slug == self.ctx.bench.get("werkgebied")
        programma: ScaleProduct = cyclus.producten["wijkprogramma"]
        plan: ProgrammaPlan = programma.inhoud
        # Every point at least one initiative where there are enough (in the agenda's order,
        # shuffled), the rest anywhere.
        toewijzing = [punten[i % len(punten)] for i in range(len(plan.vormen))]
        if len(plan.vormen) > len(punten):
            rest = toewijzing[len(punten) :]
            toewijzing = toewijzing[: len(punten)] + [self.rt.choice(punten) for _ in rest]
        self.rt.shuffle(toewijzing)
        inis = [
            self._nieuw_initiatief(
                punt, thema, self.ctx.rng_for("cycle.programma.initiatief", wg.slug, jaar, i)
            )
            for i, (punt, thema) in enumerate(toewijzing)
        ]
        for slot, (op, i) in zip(
            programma.slots,
            _volgorde(rv, plan, programma.slots, programma.geconsulteerd_op),
            strict=True,
        ):
            self._op(op, inis[i], slot, programma)
        adopted = programma.vastgesteld_op is not None
        for ini in inis:
            if adopted and u_start is not None:
                self._uitvoering(ini, u_start, u_eind, v_eind)
            if u_eind is not None:
                self._afloop(ini, u_eind, v_eind)
            self.initiatieven.append(ini.waarden | {"id": ini.pk, "versie": ini.versie})

    def _nieuw_initiatief(self, punt: int, thema: str | None, rng: random.Random) -> _Ini:
        rt, jaar = self.rt, self.cyc.jaar
        titel, eigenaar = rt.choice(INITIATIEVEN.get(thema) or INITIATIEVEN["sociale-samenhang"])
        if self.bench and rt.random() < 0.6:
            eigenaar = "stadsbeheer"
        elif rt.random() < 0.25:
            eigenaar = (
                "stadsbeheer"
                if rt.random() < 0.45
                else rt.choice(
                    [*self.clusters, "bewoners", *(f"partner:{s}" for s in self.partners)]
                )
            )
        waarden = {
            "wijkprogramma": self.cyc.producten["wijkprogramma"].pk,
            "agendapunt": punt,
            "titel": titel,
            "beoogd_effect": rt.choice(EFFECTEN).format(zaak=rt.choice(ZAKEN)),
            "cluster": None,
            "partner": None,
            "bewonersgroep": "",
        }
        if eigenaar.startswith("partner:") and eigenaar[8:] in self.partners:
            waarden["partner"] = self.partners[eigenaar[8:]].pk
        elif eigenaar in self.clusters:
            waarden["cluster"] = self.clusters[eigenaar].pk
        else:
            waarden["bewonersgroep"] = rt.choice(BEWONERSGROEPEN)
        start = datetime.date(jaar, rt.randint(1, 10), rt.randint(1, 28))
        eind = min(
            start + datetime.timedelta(days=rt.randint(60, 330)), datetime.date(jaar, 12, 31)
        )
        r = rt.random()
        if r < 0.55:
            bedrag, financiering = 0, Financiering.GEEN.value
        elif r < 0.85:
            bedrag, financiering = rt.randrange(500, 25_000, 250), Financiering.WIJKBUDGET.value
        else:
            bedrag, financiering = rt.randrange(2_000, 80_000, 500), Financiering.EIGEN_BUDGET.value
        waarden.update(
            # The drafter names the trekker mostly; else the owner does when committing.
            trekker_naam=self._naam(rt) if rt.random() < 0.85 else "",
            trekker=None,
            bijdragers=rt.choice(BIJDRAGERS) if rt.random() < 0.4 else "",
            participatieniveau=rt.choices([p for p, _ in DEELNAME], [w for _, w in DEELNAME])[0],
            start=start,
            eind=eind,
            bedrag=bedrag,
            financiering=financiering,
            succesindicator=rt.choice(INDICATOREN).format(
                n=rt.choice((10, 20, 25, 30, 40, 50)), cijfer=rt.choice((6, 7))
            ),
            toezegging=Toezegging.GEVRAAGD.value,
            toezegging_reden="",
            toezegging_door=None,
            toezegging_op=None,
            status=Uitvoeringsstatus.GEPLAND.value,
            verwacht_eind=None,
            stopreden="",
            percentage=0,
            laatste_update=None,
        )
        return _Ini(pk=self._id(Initiatief), waarden=waarden, thema=thema or "", rng=rng)

    @staticmethod
    def _naam(rng: random.Random) -> str:
        return f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"

    # ------------------------------------------------------------- the drafting
    def _op(self, op: str, ini: _Ini, slot: Slot, programma: ScaleProduct) -> None:
        w = ini.waarden
        if op == NIEUW:
            w["aangemaakt_op"] = slot.at
            self._log_edit(
                "cycle.initiatief_toegevoegd",
                slot,
                ini,
                {"initiatief": ini.pk, "titel": w["titel"]},
            )
        elif op in (HERZIEN, BIJWERKEN, LOS):
            # A loose edit draws from a stream of its own: which initiative gets one depends
            # on the slots, and what an initiative's own edits say must not.
            rng = self.rl if op == LOS else ini.rng
            velden = self._wijzig(ini, rng, toegezegd=op == HERZIEN)
            opnieuw = op == HERZIEN and w["toezegging"] != Toezegging.GEVRAAGD
            if opnieuw:
                w["toezegging"] = Toezegging.GEVRAAGD.value
                w["toezegging_reden"] = ""
                velden += ["toezegging", "toezegging_reden"]
            ini.versie += 1
            self._log_edit(
                "cycle.initiatief_gewijzigd",
                slot,
                ini,
                {"initiatief": ini.pk, "velden": velden, "opnieuw_gevraagd": opnieuw},
            )
        else:
            self._antwoord(op, ini, slot.at)

    def _wijzig(self, ini: _Ini, rt: random.Random, *, toegezegd: bool) -> list[str]:
        """Change what the owner committed to (or, not ``toegezegd``, what they did not);
        returns the changed fields in the order the service lists them."""
        w = ini.waarden
        if toegezegd:
            keuze = rt.choice(("eind", "bedrag", "succesindicator", "titel"))
            if keuze == "eind":
                nieuw = min(
                    w["eind"] + datetime.timedelta(days=rt.randint(14, 60)),
                    datetime.date(self.cyc.jaar, 12, 31),
                )
                if nieuw == w["eind"]:
                    nieuw = w["eind"] - datetime.timedelta(days=7)
                    nieuw = max(nieuw, w["start"])
                w["eind"] = nieuw
                return ["eind"]
            if keuze == "bedrag":
                w["bedrag"] = w["bedrag"] + rt.randrange(500, 5_000, 250)
                velden = ["bedrag"]
                if w["financiering"] == Financiering.GEEN:
                    w["financiering"] = Financiering.WIJKBUDGET.value
                    velden.append("financiering")
                return velden
            if keuze == "succesindicator":
                w["succesindicator"] += " (bijgesteld na overleg)"
                return ["succesindicator"]
            w["titel"] = f"{w['titel']} (uitgebreid)"
            return ["titel"]
        keuze = rt.choice(("trekker_naam", "bijdragers", "participatieniveau"))
        if keuze == "trekker_naam" and w["trekker"] is None:
            # (The account of a trekker is the owner's to name: a trekker with one keeps it.)
            w["trekker_naam"] = self._naam(rt)
            return ["trekker_naam"]
        if keuze != "participatieniveau":
            oud = w["bijdragers"]
            w["bijdragers"] = next(b for b in rt.sample(BIJDRAGERS, 2) if b != oud)
            return ["bijdragers"]
        oud = w["participatieniveau"]
        w["participatieniveau"] = next(
            p for p in rt.sample([p for p, _ in DEELNAME], 2) if p != oud
        )
        return ["participatieniveau"]

    def _log_edit(self, action, slot: Slot, ini: _Ini, data: dict) -> None:
        """The entry the edit guard writes on the initiative, with the programme's version."""
        self.ctx.audit.add(
            action=action,
            actor=slot.actor,
            actor_rol=slot.rol,
            target_model=Initiatief,
            object_id=ini.pk,
            data={"product": "wijkprogramma", "versie": slot.versie, **data},
            timestamp=slot.at,
        )

    def _stem(self, ini: _Ini, dag: datetime.date) -> tuple[ScaleUser, str, object]:
        """Who answers and reports for the owner on ``dag``: an accounthouder of its cluster
        for the werkgebied's gebied; for a partner or a residents' group a wijkmanager."""
        cluster = ini.waarden["cluster"]
        if cluster is not None:
            roles = [
                r
                for r in self.accounthouders[(self.cyc.werkgebied.gebied_id, cluster)]
                if r.active(dag)
            ]
            if roles:
                role = self.rp.choice(roles)
                return role.user, Rol.ACCOUNTHOUDER.value, role
        return (*self._wijkmanager(dag), None)

    def _wijkmanager(self, dag) -> tuple[ScaleUser, str]:
        managers = self.ctx.holders([Rol.WIJKMANAGER], werkgebied=self.cyc.werkgebied, on=dag)
        return self.rp.choice(managers), Rol.WIJKMANAGER.value

    def _antwoord(self, op: str, ini: _Ini, at: datetime.datetime) -> None:
        w = ini.waarden
        dag = self.ctx.local_date(at)
        user, rol, role = self._stem(ini, dag)
        van = w["toezegging"]
        if op == TOEZEGGEN:
            # The owner names the trekker where the drafter did not; some trekkers have an
            # account (a resident of the group, or the accounthouder who does it personally).
            # (Drawn always: the initiative's stream stays the same whatever came before.)
            voorstel = self._naam(ini.rng)
            kandidaat = None
            if w["bewonersgroep"] and self.rp.random() < 0.5:
                kandidaten = [r for r in self.bewoners[self.cyc.werkgebied.pk] if r.active(dag)]
                kandidaat = self.rp.choice(kandidaten) if kandidaten else None
            elif role is not None and user.naam and self.rp.random() < 0.1:
                kandidaat = role
            if kandidaat is not None:
                w["trekker"], w["trekker_naam"] = kandidaat.user.pk, kandidaat.user.naam
                ini.trekker_rol = kandidaat
            elif not w["trekker_naam"]:
                w["trekker_naam"] = voorstel
            w["toezegging"], w["toezegging_reden"] = Toezegging.TOEGEZEGD.value, ""
            action = "cycle.initiatief_toegezegd"
        else:
            w["toezegging"] = Toezegging.AFGEWEZEN.value
            w["toezegging_reden"] = ini.rng.choice(AFWIJZINGEN)
            action = "cycle.initiatief_afgewezen"
        w["toezegging_door"], w["toezegging_op"] = user.pk, at
        ini.versie += 1
        self.ctx.audit.add(
            action=action,
            actor=user,
            actor_rol=rol,
            target_model=Initiatief,
            object_id=ini.pk,
            data={"initiatief": ini.pk, "van": van, "naar": w["toezegging"]},
            timestamp=at,
        )

    # ------------------------------------------------------------ the execution
    def _uitvoering(self, ini: _Ini, u_start, u_eind, v_eind) -> None:
        """Monthly updates from the initiative's start, while the cycle was in uitvoering."""
        w, ru = ini.waarden, self.ru
        eerste_dag = u_start + datetime.timedelta(days=1)
        gesloten = u_eind is not None
        laatste_dag = (u_eind if gesloten else self.ctx.today) - datetime.timedelta(days=1)
        d0 = max(eerste_dag, w["start"] + datetime.timedelta(days=ru.randint(0, 21)))
        lot = ru.choices([n for n, _ in LOTEN], [g for _, g in LOTEN])[0]
        omweg = ru.random() < 0.2  # a realised one delayed first
        if d0 > laatste_dag:
            return
        dagen = [d0]
        while True:
            volgende = dagen[-1] + datetime.timedelta(days=ru.randint(24, 38))
            if volgende > laatste_dag:
                break
            dagen.append(volgende)
        # The day its fate shows, on an update of its own.
        if lot == "gerealiseerd":
            keer = w["eind"] + datetime.timedelta(days=ru.randint(-40, 20))
            keer = max(keer, d0 + datetime.timedelta(days=ru.randint(20, 60)))
            if gesloten:
                keer = min(keer, laatste_dag)
        elif lot == "gestopt":
            keer = d0 + datetime.timedelta(days=ru.randint(20, 200))
            if gesloten:
                keer = min(keer, laatste_dag)
        else:
            keer = max(
                w["eind"] - datetime.timedelta(days=ru.randint(0, 45)),
                d0 + datetime.timedelta(days=20),
            )
        if keer <= d0 or keer > laatste_dag:
            keer = None
        elif lot != "loopt":
            dagen = [d for d in dagen if d < keer] + [keer]
        else:
            dagen = sorted({*dagen, keer})
        vertraag_dag = None
        if lot == "gerealiseerd" and omweg and keer is not None:
            eerder = [d for d in dagen[1:-1] if d >= keer - datetime.timedelta(days=75)]
            vertraag_dag = eerder[-1] if eerder else None
        elif lot == "loopt":
            vertraag_dag = keer
        doel = keer if lot == "gerealiseerd" and keer is not None else w["eind"]
        status, percentage = Uitvoeringsstatus.GEPLAND.value, 0
        for dag in dagen:
            nieuw = status
            if dag == d0:
                nieuw = Uitvoeringsstatus.IN_UITVOERING.value
            if dag == vertraag_dag:
                nieuw = Uitvoeringsstatus.VERTRAAGD.value
                if lot == "loopt":
                    w["verwacht_eind"] = (
                        datetime.date(self.cyc.jaar + 1, ru.randint(1, 6), 1)
                        if gesloten or dag.year > self.cyc.jaar
                        else max(
                            datetime.date(self.cyc.jaar, 12, 31),
                            dag + datetime.timedelta(days=ru.randint(14, 90)),
                        )
                    )
                else:
                    w["verwacht_eind"] = keer + datetime.timedelta(days=ru.randint(0, 20))
                if w["verwacht_eind"] <= dag:
                    w["verwacht_eind"] = dag + datetime.timedelta(days=30)
            if dag == keer and lot == "gerealiseerd":
                nieuw = Uitvoeringsstatus.GEREALISEERD.value
            if dag == keer and lot == "gestopt":
                nieuw = Uitvoeringsstatus.GESTOPT.value
                w["stopreden"] = ru.choice(STOPREDENEN)
            waarde = None
            mijlpaal = ""
            if nieuw == Uitvoeringsstatus.GEREALISEERD:
                waarde = 100
            elif nieuw != Uitvoeringsstatus.GESTOPT:
                if dag != d0 and ru.random() < 0.1:
                    mijlpaal = ru.choice(MIJLPALEN)  # a milestone without a percentage
                else:
                    deel = (dag - d0).days / max(1, (doel - d0).days + 1)
                    waarde = max(percentage, min(95, 5 + round(90 * deel)))
            self._update(ini, dag, status, nieuw, waarde, mijlpaal)
            status = nieuw
            if waarde is not None:
                percentage = waarde
            if nieuw in (Uitvoeringsstatus.GEREALISEERD, Uitvoeringsstatus.GESTOPT):
                break
        w["status"], w["percentage"] = status, percentage
        kans = 0.3 if w["verwacht_eind"] else 0.08
        if ini.updates and ru.random() < kans:
            self._knelpunt(ini, u_eind, v_eind)

    def _melder(self, ini: _Ini, dag) -> tuple[ScaleUser, str]:
        """Who reports progress: mostly the owner's voice; sometimes a wijkmanager, or the
        trekker where the trekker has an account."""
        r = self.rp.random()
        if ini.trekker_rol is not None and r < 0.25 and ini.trekker_rol.active(dag):
            return ini.trekker_rol.user, ini.trekker_rol.rol
        if r < 0.85:
            user, rol, _role = self._stem(ini, dag)
            return user, rol
        return self._wijkmanager(dag)

    def _update(self, ini: _Ini, dag, van, naar, waarde, mijlpaal) -> None:
        w = ini.waarden
        user, rol = self._melder(ini, dag)
        at = self.ctx.moment(dag, self.ru)
        soort = (
            naar
            if naar
            in (
                Uitvoeringsstatus.GEREALISEERD,
                Uitvoeringsstatus.GESTOPT,
                Uitvoeringsstatus.VERTRAAGD,
            )
            and naar != van
            else "start"
            if van == Uitvoeringsstatus.GEPLAND
            else "loopt"
        )
        pk = self._id(Voortgang)
        self.voortgang.append(
            (pk, ini.pk, dag, waarde, mijlpaal, self.ru.choice(UPDATES[soort]), naar, user.pk, at)
        )
        ini.versie += 1
        w["laatste_update"] = at
        ini.updates.append((dag, at, user, rol))
        self.ctx.audit.add(
            action="cycle.voortgang_gemeld",
            actor=user,
            actor_rol=rol,
            target_model=Initiatief,
            object_id=ini.pk,
            data={
                "initiatief": ini.pk,
                "voortgang": pk,
                "status": naar,
                "status_gewijzigd": naar != van,
                "percentage": waarde,
            },
            timestamp=at,
        )

    def _knelpunt(self, ini: _Ini, u_eind, v_eind) -> None:
        """A knelpunt raised right after an update (by whoever made it, or a wijkraadslid),
        resolved weeks later by a wijkmanager while the cycle still runs its execution or its
        accounting; in a running cycle some are still open."""
        dag, at, user, rol = self.ru.choice(ini.updates)
        if self.ru.random() < 0.2:
            leden = self.ctx.holders([Rol.WIJKRAADSLID], werkgebied=self.cyc.werkgebied, on=dag)
            if leden:
                user, rol = self.rp.choice(leden), Rol.WIJKRAADSLID.value
        gemeld_op = at + datetime.timedelta(minutes=self.ru.randint(5, 90))
        pk = self._id(Knelpunt)
        opgelost = None
        dag_opgelost = dag + datetime.timedelta(days=self.ru.randint(3, 60))
        grens = (v_eind if v_eind is not None else self.ctx.today) - datetime.timedelta(days=1)
        if v_eind is not None:
            dag_opgelost = min(dag_opgelost, grens)
        open_houden = v_eind is None and self.ru.random() < 0.3
        if not open_houden and dag < dag_opgelost <= grens:
            opgelost = self.ctx.moment(dag_opgelost, self.ru)
        row = [pk, ini.pk, self.ru.choice(KNELPUNTEN), user.pk, gemeld_op, None, "", None]
        self._log_knelpunt("cycle.knelpunt_gemeld", user, rol, pk, ini, gemeld_op)
        if opgelost is not None:
            oplosser, oplosser_rol = self._wijkmanager(dag_opgelost)
            row[5:] = [opgelost, self.ru.choice(OPLOSSINGEN), oplosser.pk]
            self._log_knelpunt("cycle.knelpunt_opgelost", oplosser, oplosser_rol, pk, ini, opgelost)
        self.knelpunten.append(tuple(row))

    def _log_knelpunt(self, action, user, rol, pk, ini, at) -> None:
        self.ctx.audit.add(
            action=action,
            actor=user,
            actor_rol=rol,
            target_model=Knelpunt,
            object_id=pk,
            data={"initiatief": ini.pk, "knelpunt": pk},
            timestamp=at,
        )

    # ----------------------------------------------------- the twelve-month report
    def _afloop(self, ini: _Ini, u_eind, v_eind) -> None:
        """How the year ended, recorded by a wijkmanager in the accounting phase: for every
        initiative still open once the report is complete (in consultation or adopted), for
        some while it is drafted; realised ones mostly too."""
        w = ini.waarden
        verslag = self.cyc.producten["wijkverslag"]
        compleet = verslag.status != C
        if w["status"] == Uitvoeringsstatus.GESTOPT:
            return
        realised = w["status"] == Uitvoeringsstatus.GEREALISEERD
        kans = (0.9 if realised else 1.0) if compleet else 0.5
        if self.ru.random() >= kans:
            return
        begin = datetime.datetime.combine(
            u_eind + datetime.timedelta(days=1), datetime.time(8), tzinfo=self.ctx.tz
        )
        eind = verslag.geconsulteerd_op or verslag.vastgesteld_op or self.limit
        eind = min(eind, self.limit) - datetime.timedelta(hours=1)
        at = begin + (eind - begin) * self.ru.random() if eind > begin else begin
        user, rol = self._wijkmanager(self.ctx.local_date(at))
        naar = Afloop.GEREALISEERD.value if realised else Afloop.GESCHRAPT.value
        w["afloop"] = naar
        w["afloop_reden"] = "" if realised else self.ru.choice(AFLOOP_REDENEN)
        ini.versie += 1
        self.ctx.audit.add(
            action="cycle.initiatief_afloop",
            actor=user,
            actor_rol=rol,
            target_model=Initiatief,
            object_id=ini.pk,
            data={"initiatief": ini.pk, "van": "", "naar": naar},
            timestamp=at,
        )

    # ------------------------------------------------------------------- ids, rows
    BLOK = 5000

    def _id(self, model) -> int:
        vrij = self.vrij.setdefault(model, [])
        if not vrij:
            vrij.extend(reversed(self.ctx.reserve_ids(model, self.BLOK)))
        return vrij.pop()

    def write(self) -> None:
        # Every column, the model's defaults where the generator has nothing to say (fields
        # later features add to an initiative).
        velden = [f for f in Initiatief._meta.concrete_fields]
        namen = [f.name for f in velden]
        self.ctx.copy(
            Initiatief,
            namen,
            (
                tuple(w[f.name] if f.name in w else f.get_default() for f in velden)
                for w in self.initiatieven
            ),
        )
        self.ctx.copy(
            Voortgang,
            [
                "id",
                "initiatief",
                "datum",
                "percentage",
                "mijlpaal",
                "tekst",
                "status",
                "auteur",
                "aangemaakt_op",
            ],
            self.voortgang,
        )
        self.ctx.copy(
            Knelpunt,
            [
                "id",
                "initiatief",
                "beschrijving",
                "gemeld_door",
                "gemeld_op",
                "opgelost_op",
                "oplossing",
                "opgelost_door",
            ],
            self.knelpunten,
        )
