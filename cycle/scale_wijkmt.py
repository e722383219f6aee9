"""The wijk-MT of every generated werkgebied (a step of ``manage.py load_scale``, after the
programmes and their execution): the wijkraad delegation its wijkmanager chose, and about one
meeting a month over all the years built, each with a few decisions, written as
``cycle.services_wijkmt`` writes them (the chair, a wijkmanager of the werkgebied that day,
records them; each row has its audit entry at the moment it was made).

A decision points at an initiative of the werkgebied being carried out that year (about half),
and sometimes at a knelpunt that was open on the day of the meeting (with its initiative).
Texts come from streams of the werkgebied and the meeting's month, so they do not depend on
the factor."""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from people.models import Rol

from .models import Besluit, Initiatief, Knelpunt, Overleg, WijkMTDelegatie, WijkMTLid
from .scale import ScaleContext, _delete_audit_entries, _lijst, register

LOCATIES = _lijst(
    "Wijkhuis|Stadsdeelkantoor|Buurthuis De Wending|Bibliotheek, zaal 2|Wijkpost|"
    "Online (Teams)|Gemeentelijk kantoor, zaal 4"
)
AGENDA = _lijst(
    "1. Voortgang van de initiatieven\n2. Knelpunten\n3. Rondvraag|"
    "1. Actiepunten vorig overleg\n2. Signalen uit de wijk\n3. Planning|"
    "1. Knelpunten in de uitvoering\n2. Inbreng van de wijkraad\n3. Wat verder ter tafel komt"
)
NOTITIES = _lijst(
    "De clusters lichten de stand toe; twee initiatieven lopen achter.|"
    "De wijkraad vraagt aandacht voor de communicatie met bewoners.|"
    "Het overleg is kort: de meeste acties liggen op schema.|"
    "Uitgebreid stilgestaan bij de knelpunten van het afgelopen kwartaal."
)
BESLUITEN = _lijst(
    "Het cluster stelt een nieuwe planning op en meldt die in het volgende overleg.|"
    "De wijkmanager bespreekt het knelpunt met de directeur van het cluster.|"
    "De wijkraad organiseert een bewonersavond over dit initiatief.|"
    "Het initiatief krijgt voorrang bij de inzet van de buitendienst.|"
    "De accounthouder zoekt uit of het budget toereikend is.|"
    "Een partner wordt gevraagd mee te doen; de trekker maakt de afspraak.|"
    "Het wijk-MT volgt dit initiatief maandelijks tot het is afgerond.|"
    "De communicatie naar bewoners gaat via de wijkkrant en de buurtapp."
)
ANDERE_ACTIEHOUDERS = _lijst("Woonstad Rotterdam|Politie, wijkagent|Welzijnsorganisatie|Trekker")


def wijkmt_clear(ctx: ScaleContext) -> None:
    _delete_audit_entries(
        content_types=[
            ContentType.objects.get_for_model(m).pk for m in (Overleg, Besluit, WijkMTDelegatie)
        ]
    )
    Besluit.objects.all().delete()
    Overleg.objects.all().delete()
    WijkMTDelegatie.objects.all().delete()


@register("cycle.wijkmt", after=("cycle.programma",), clear=wijkmt_clear)
def wijkmt(ctx: ScaleContext) -> None:
    """The delegation and the meetings with their besluitenlijst, per werkgebied."""
    wg_ids = [wg.pk for wg in ctx.werkgebieden]
    initiatieven = defaultdict(list)  # (werkgebied, year) -> ids
    for pk, wg, jaar in Initiatief.objects.filter(
        wijkprogramma__cyclus__werkgebied_id__in=wg_ids, toezegging="toegezegd"
    ).values_list("pk", "wijkprogramma__cyclus__werkgebied_id", "wijkprogramma__cyclus__jaar"):
        initiatieven[(wg, jaar)].append(pk)
    knelpunten = defaultdict(list)  # werkgebied -> (id, initiative, raised, resolved)
    for pk, ini, wg, gemeld, opgelost in Knelpunt.objects.filter(
        initiatief__wijkprogramma__cyclus__werkgebied_id__in=wg_ids
    ).values_list(
        "pk",
        "initiatief_id",
        "initiatief__wijkprogramma__cyclus__werkgebied_id",
        "gemeld_op",
        "opgelost_op",
    ):
        knelpunten[wg].append(
            (pk, ini, ctx.local_date(gemeld), opgelost and ctx.local_date(opgelost))
        )

    overleggen, besluiten, delegaties, leden = [], [], [], []
    overleg_ids = iter(ctx.reserve_ids(Overleg, 13 * len(ctx.jaren) * len(wg_ids) + 1))
    besluit_ids = []
    eerste = datetime.date(ctx.jaren[0], 1, 1)
    laatste = ctx.today - datetime.timedelta(days=1)
    for wg in ctx.werkgebieden:
        rng = ctx.rng_for("cycle.wijkmt", wg.slug)
        # The delegation, chosen a month ago from the wijkraadsleden there now.
        dag = ctx.today - datetime.timedelta(days=30)
        kandidaten = ctx.holders([Rol.WIJKRAADSLID], werkgebied=wg, on=ctx.today)
        kandidaten = [
            u for u in kandidaten if u in ctx.holders([Rol.WIJKRAADSLID], werkgebied=wg, on=dag)
        ]
        voorzitters = ctx.holders([Rol.WIJKMANAGER], werkgebied=wg, on=dag)
        if kandidaten and voorzitters:
            gekozen = rng.sample(kandidaten, min(len(kandidaten), rng.randint(1, 2)))
            pk = ctx.reserve_ids(WijkMTDelegatie, 1)[0]
            at = ctx.moment(dag, rng)
            voorzitter = rng.choice(voorzitters)
            delegaties.append((pk, wg.pk, 1, at, voorzitter.pk))
            leden.extend((pk, u.pk) for u in gekozen)
            ctx.audit.add(
                action="cycle.wijkmt_delegatie",
                actor=voorzitter,
                actor_rol=Rol.WIJKMANAGER.value,
                target_model=WijkMTDelegatie,
                object_id=pk,
                data={
                    "werkgebied": wg.pk,
                    "erbij": sorted(u.pk for u in gekozen),
                    "eraf": [],
                    "versie": 1,
                },
                timestamp=at,
            )
        # About monthly: the second half of each month, some months skipped.
        maand = eerste
        while maand <= laatste:
            r = ctx.rng_for("cycle.wijkmt", wg.slug, maand.isoformat())
            datum = maand + datetime.timedelta(days=r.randint(10, 25))
            maand = (maand + datetime.timedelta(days=32)).replace(day=1)
            if datum > laatste or r.random() < 0.1:
                continue
            chairs = ctx.holders([Rol.WIJKMANAGER], werkgebied=wg, on=datum)
            if not chairs:
                continue
            voorzitter = r.choice(chairs)
            at = ctx.moment(datum, r)
            pk = next(overleg_ids)
            overleggen.append(
                (
                    pk,
                    wg.pk,
                    datum,
                    r.choice(LOCATIES),
                    r.choice(AGENDA),
                    r.choice(NOTITIES),
                    voorzitter.pk,
                    at,
                    1,
                )
            )
            ctx.audit.add(
                action="cycle.overleg_toegevoegd",
                actor=voorzitter,
                actor_rol=Rol.WIJKMANAGER.value,
                target_model=Overleg,
                object_id=pk,
                data={"overleg": pk, "datum": datum.isoformat()},
                timestamp=at,
            )
            lopend = initiatieven.get((wg.pk, datum.year), [])
            open_op = [
                k for k in knelpunten[wg.pk] if k[2] <= datum and (k[3] is None or k[3] > datum)
            ]
            leden_nu = ctx.holders([Rol.WIJKMANAGER, Rol.ACCOUNTHOUDER], werkgebied=wg, on=datum)
            for n in range(r.randint(2, 5)):
                if not besluit_ids:
                    besluit_ids.extend(reversed(ctx.reserve_ids(Besluit, 5000)))
                bpk = besluit_ids.pop()
                initiatief = knelpunt = None
                if open_op and r.random() < 0.3:
                    knelpunt, initiatief, *_ = r.choice(open_op)
                elif lopend and r.random() < 0.5:
                    initiatief = r.choice(lopend)
                actiehouder, naam = None, ""
                if leden_nu and r.random() < 0.6:
                    actiehouder = r.choice(leden_nu).pk
                elif r.random() < 0.5:
                    naam = r.choice(ANDERE_ACTIEHOUDERS)
                deadline = (
                    datum + datetime.timedelta(days=r.choice((14, 28, 42, 90)))
                    if r.random() < 0.7
                    else None
                )
                moment = at + datetime.timedelta(minutes=5 * (n + 1))
                besluiten.append(
                    (
                        bpk,
                        pk,
                        r.choice(BESLUITEN),
                        actiehouder,
                        naam,
                        deadline,
                        initiatief,
                        knelpunt,
                        moment,
                        1,
                    )
                )
                ctx.audit.add(
                    action="cycle.besluit_toegevoegd",
                    actor=voorzitter,
                    actor_rol=Rol.WIJKMANAGER.value,
                    target_model=Besluit,
                    object_id=bpk,
                    data={
                        "overleg": pk,
                        "besluit": bpk,
                        "initiatief": initiatief,
                        "knelpunt": knelpunt,
                    },
                    timestamp=moment,
                )
    ctx.copy(
        WijkMTDelegatie,
        ["id", "werkgebied", "versie", "gewijzigd_op", "gewijzigd_door"],
        delegaties,
    )
    ctx.copy(WijkMTLid, ["delegatie", "user"], leden)
    ctx.copy(
        Overleg,
        [
            "id",
            "werkgebied",
            "datum",
            "locatie",
            "agenda",
            "notities",
            "aangemaakt_door",
            "aangemaakt_op",
            "versie",
        ],
        overleggen,
    )
    ctx.copy(
        Besluit,
        [
            "id",
            "overleg",
            "tekst",
            "actiehouder",
            "actiehouder_naam",
            "deadline",
            "initiatief",
            "knelpunt",
            "aangemaakt_op",
            "versie",
        ],
        besluiten,
    )
