"""The wijkakkoorden of the generated city (a step of ``manage.py load_scale``, after the
programmes): per werkgebied one akkoord per four-year period of the generated years, with its
wijkvisie, 3–5 opgaven, 1–3 doelen per opgave and 1–2 resultaten per doel, and the history
``cycle.services_akkoord`` writes (created, content edits as one entry per part, to advice, the
advice, adopted, published). A period that has begun is published; one that has not is in
concept or out for advice. The agendapunten and initiatives of the cycles an adopted akkoord
covers refer to its opgaven (an agendapunt by its place on the agenda; an initiative to its
agendapunt's opgave and one of its doelen), so the akkoord page shows every year's work.

Texts and structure come from streams of the werkgebied and period: the same at any factor."""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from people.models import Rol

from .models import (
    AKKOORD_JAREN,
    Agendapunt,
    Akkoordstatus,
    Doel,
    Initiatief,
    Resultaat,
    Wijkakkoord,
    Wijkopgave,
)
from .scale import ScaleContext, _delete_audit_entries, _lijst, register

OPGAVEN = _lijst(
    "Een schone en hele buitenruimte|Veilig over straat, ook voor kinderen|Ruimte om te spelen "
    "en elkaar te ontmoeten|Kansen voor jongeren|Woningen op orde|Gezond oud worden in de wijk|"
    "Een groene wijk die tegen hitte en regen kan|Samen de wijk maken|Een levendige winkelstraat"
)
DOELEN = _lijst(
    "Minder afval op straat|Veilige schoolroutes|Goed verlichte looproutes|Speelplekken voor "
    "kinderen boven de acht|Meer jongeren met een startkwalificatie|Minder vochtklachten|"
    "Ouderen langer thuis|Meer groen in de straten|Meer bewoners die meedoen|Minder leegstand"
)
RESULTATEN = _lijst(
    "De meldingen zijn gehalveerd|Drie plekken heringericht|Elke buurt een vaste "
    "schoonmaakdag|Twee vernieuwde speelplekken|Een leerwerkplek in elke buurt|Alle "
    "gemelde klachten binnen een jaar opgelost|Tien nieuwe bomen per buurt"
)
INDICATOREN = _lijst("aantal meldingen per maand|aantal plekken|% opgelost|aantal deelnemers|")
VISIE = (
    "Over vier jaar is {naam} een wijk waar bewoners hun straat schoon en veilig vinden, waar "
    "kinderen buiten spelen en jongeren kansen krijgen, en waar bewoners, ondernemers en de "
    "gemeente samen verantwoordelijk zijn."
)


def akkoord_clear(ctx: ScaleContext) -> None:
    # The links first: an opgave or doel protects what refers to it.
    Agendapunt.objects.filter(wijkopgave__isnull=False).update(wijkopgave=None, doel=None)
    Initiatief.objects.filter(wijkopgave__isnull=False).update(wijkopgave=None, doel=None)
    _delete_audit_entries(content_types=[ContentType.objects.get_for_model(Wijkakkoord).pk])
    Wijkakkoord.objects.all().delete()


# Periods are aligned on the first round of Rotterdam's wijkakkoorden (2022): the same
# periods however many years are generated, and the year being carried out always falls in a
# period that has begun.
EERSTE_RONDE = 2022


def perioden(ctx: ScaleContext) -> list[int]:
    """The start years of the four-year periods that cover the generated years."""
    eerste = ctx.jaren[0] - (ctx.jaren[0] - EERSTE_RONDE) % AKKOORD_JAREN
    return list(range(eerste, ctx.until_year + 1, AKKOORD_JAREN))


@register("cycle.akkoord", after=("cycle.programma",), clear=akkoord_clear)
def akkoord(ctx: ScaleContext) -> None:
    starts = perioden(ctx)
    aantal = len(ctx.werkgebieden) * len(starts)
    akkoord_ids = iter(ctx.reserve_ids(Wijkakkoord, aantal))
    rows = {"akkoord": [], "opgave": [], "doel": [], "resultaat": []}
    # (werkgebied, year) -> [(opgave pk, [doel pks])] of the adopted akkoord covering it.
    geldend: dict[tuple[int, int], list[tuple[int, list[int]]]] = {}
    delen = []  # (akkoord pk, rng, plan) to give ids after counting
    for wg in ctx.werkgebieden:
        for start in starts:
            rng = ctx.rng_for("cycle.akkoord", wg.slug, start)
            pk = next(akkoord_ids)
            plan = [
                (
                    rng.choice(OPGAVEN),
                    [
                        (
                            rng.choice(DOELEN),
                            [rng.choice(RESULTATEN) for _ in range(rng.randint(1, 2))],
                        )
                        for _ in range(rng.randint(1, 3))
                    ],
                )
                for _ in range(rng.randint(3, 5))
            ]
            delen.append((wg, start, pk, rng, plan))
    n_opgaven = sum(len(plan) for *_x, plan in delen)
    n_doelen = sum(len(d) for *_x, plan in delen for _o, d in plan)
    n_resultaten = sum(len(r) for *_x, plan in delen for _o, d in plan for _d, r in d)
    opgave_ids = iter(ctx.reserve_ids(Wijkopgave, n_opgaven))
    doel_ids = iter(ctx.reserve_ids(Doel, n_doelen))
    resultaat_ids = iter(ctx.reserve_ids(Resultaat, n_resultaten))
    for wg, start, pk, rng, plan in delen:
        eind = start + AKKOORD_JAREN - 1
        begonnen = start <= ctx.huidig_jaar
        status = (
            Akkoordstatus.GEPUBLICEERD
            if begonnen
            else rng.choice([Akkoordstatus.CONCEPT, Akkoordstatus.ADVIES])
        )
        opgesteld = datetime.date(start - 1, 3, 1)
        drafter = ctx.holders([Rol.WIJKMANAGER], werkgebied=wg, on=opgesteld)
        drafter = drafter[0] if drafter else None
        raadslid = ctx.holders([Rol.WIJKRAADSLID], werkgebied=wg, on=opgesteld)
        raadslid = raadslid[0] if raadslid else None
        gebeurd = []  # (date, action, actor, rol, data)
        gebeurd.append((opgesteld, "cycle.wijkakkoord_aangemaakt", drafter, "wijkmanager", {}))
        gebeurd.append(
            (
                opgesteld + datetime.timedelta(days=20),
                "cycle.wijkakkoord_gewijzigd",
                drafter,
                "wijkmanager",
                {"velden": ["wijkvisie"]},
            )
        )
        inhoud = []
        for volgorde, (titel, doelen) in enumerate(plan, start=1):
            opgave_pk = next(opgave_ids)
            rows["opgave"].append(
                (opgave_pk, pk, volgorde, titel, f"{titel}: wat bewoners en de wijkraad vragen.")
            )
            doel_pks = []
            for doel_titel, resultaten in doelen:
                doel_pk = next(doel_ids)
                doel_pks.append(doel_pk)
                rows["doel"].append((doel_pk, opgave_pk, doel_titel))
                for tekst in resultaten:
                    rows["resultaat"].append(
                        (next(resultaat_ids), doel_pk, tekst, rng.choice(INDICATOREN))
                    )
            inhoud.append((opgave_pk, doel_pks))
            gebeurd.append(
                (
                    opgesteld + datetime.timedelta(days=30 + volgorde),
                    "cycle.wijkopgave_toegevoegd",
                    drafter,
                    "wijkmanager",
                    {"opgave": opgave_pk, "titel": titel},
                )
            )
        advies = advies_van = ""
        advies_op = vastgesteld_op = None
        vastgesteld_door = besluit = ""
        gepubliceerd_op = None
        if status != Akkoordstatus.CONCEPT:
            gebeurd.append(
                (
                    datetime.date(start - 1, 6, 1),
                    "cycle.wijkakkoord_transition",
                    drafter,
                    "wijkmanager",
                    {"overgang": "naar_advies"},
                )
            )
        if begonnen:
            advies_op = datetime.date(start - 1, 9, 15)
            advies, advies_van = "De wijkraad adviseert positief, met kanttekeningen.", "Wijkraad"
            vastgesteld_op = datetime.date(start - 1, 11, 10)
            vastgesteld_door, besluit = "de gemeenteraad", f"RIS {start - 1}-{pk % 1000:03d}"
            gepubliceerd_op = ctx.moment(datetime.date(start - 1, 11, 20), rng)
            gebeurd += [
                (advies_op, "cycle.wijkakkoord_advies", raadslid, "wijkraadslid", {}),
                (
                    vastgesteld_op,
                    "cycle.wijkakkoord_transition",
                    drafter,
                    "wijkmanager",
                    {"overgang": "vaststellen", "besluit": besluit},
                ),
                (
                    gepubliceerd_op.date(),
                    "cycle.wijkakkoord_transition",
                    drafter,
                    "wijkmanager",
                    {"overgang": "publiceren"},
                ),
            ]
            for jaar in range(start, eind + 1):
                geldend[(wg.pk, jaar)] = inhoud
        gebeurd = [g for g in gebeurd if g[0] <= ctx.today]
        for versie, (dag, action, actor, rol, data) in enumerate(gebeurd, start=1):
            ctx.audit.add(
                action=action,
                actor=actor,
                actor_rol=rol if actor else "",
                target_model=Wijkakkoord,
                object_id=pk,
                data={"versie": versie, **data},
                timestamp=ctx.moment(dag, rng),
            )
        aangemaakt = ctx.moment(opgesteld, rng)
        rows["akkoord"].append(
            (
                pk,
                wg.pk,
                start,
                eind,
                f"Wijkakkoord {wg.naam} {start}–{eind}",
                VISIE.format(naam=wg.naam),
                status,
                drafter.pk if drafter else None,
                advies,
                advies_van,
                advies_op,
                raadslid.pk if (raadslid and begonnen) else None,
                vastgesteld_op,
                vastgesteld_door,
                besluit,
                drafter.pk if (drafter and begonnen) else None,
                gepubliceerd_op,
                len(gebeurd) or 1,
                aangemaakt,
                aangemaakt,
            )
        )
    ctx.copy(
        Wijkakkoord,
        (
            "id",
            "werkgebied",
            "startjaar",
            "eindjaar",
            "titel",
            "wijkvisie",
            "status",
            "opgesteld_door",
            "advies",
            "advies_van",
            "advies_op",
            "advies_vastgelegd_door",
            "vastgesteld_op",
            "vastgesteld_door",
            "besluitreferentie",
            "besluit_vastgelegd_door",
            "gepubliceerd_op",
            "versie",
            "aangemaakt_op",
            "gewijzigd_op",
        ),
        rows["akkoord"],
    )
    ctx.copy(Wijkopgave, ("id", "akkoord", "volgorde", "titel", "beschrijving"), rows["opgave"])
    ctx.copy(Doel, ("id", "opgave", "titel"), rows["doel"])
    ctx.copy(Resultaat, ("id", "doel", "tekst", "indicator"), rows["resultaat"])
    _koppelen(ctx, geldend)
    ctx.flush()


def _koppelen(ctx: ScaleContext, geldend) -> None:
    """Every agendapunt of a covered cycle refers to an opgave (by its rank), and every
    initiative to its agendapunt's opgave and one of that opgave's doelen."""
    punten = []
    opgave_van_punt = {}
    for punt in Agendapunt.objects.filter(
        wijkagenda__cyclus__werkgebied__in=ctx.werkgebieden
    ).values("pk", "rang", "wijkagenda__cyclus__werkgebied_id", "wijkagenda__cyclus__jaar"):
        inhoud = geldend.get(
            (punt["wijkagenda__cyclus__werkgebied_id"], punt["wijkagenda__cyclus__jaar"])
        )
        if not inhoud:
            continue
        opgave_pk, doel_pks = inhoud[(punt["rang"] - 1) % len(inhoud)]
        opgave_van_punt[punt["pk"]] = (opgave_pk, doel_pks)
        punten.append(Agendapunt(pk=punt["pk"], wijkopgave_id=opgave_pk))
    Agendapunt.objects.bulk_update(punten, ["wijkopgave"], batch_size=2000)
    initiatieven = []
    per_doel = defaultdict(int)
    for pk, punt_pk in Initiatief.objects.filter(agendapunt_id__in=opgave_van_punt).values_list(
        "pk", "agendapunt_id"
    ):
        opgave_pk, doel_pks = opgave_van_punt[punt_pk]
        doel_pk = doel_pks[per_doel[opgave_pk] % len(doel_pks)]
        per_doel[opgave_pk] += 1
        initiatieven.append(Initiatief(pk=pk, wijkopgave_id=opgave_pk, doel_id=doel_pk))
    Initiatief.objects.bulk_update(initiatieven, ["wijkopgave", "doel"], batch_size=2000)
