"""City-scale participation plans and wijkraad advice, for ``manage.py load_scale`` (the step
``participation.plan``, after the cycles and the wijkakkoorden).

Every cycle gets a plan with all five phases filled in (so every product that went into
consultation had its kaders, as ``participation.voorwaarden`` demands), adopted except in the
cycles still in their analysis. Every cycle past its analysis has advice of the wijkraad: on
the plan (answered), on the agenda (answered, asked or unasked), and once past the programme on
the programme (given, and answered in closed cycles); the newest cycles have advice still
asked, a few past their deadline. Rows are written with COPY; the texts are short and drawn
from a stream of their own, so the other steps are unchanged."""

import datetime
import json

from django.db import connection

from cycle.models import FASE_VOLGORDE, WERKFASEN, Fase
from cycle.scale import ScaleContext, register

from .models import Advies, Participatieplan, Planfase

NIVEAUS = ["informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen"]
MIDDELEN = ["bijeenkomsten", "consultatie", "checklist", "wijkschouw"]
WEL = [
    "Welke problemen voorrang krijgen en in welke volgorde.",
    "Hoe de initiatieven worden uitgevoerd en wie meedoet.",
    "Waar het wijkbudget voor bewonersinitiatieven heen gaat.",
    "Welke plekken bij de wijkschouw worden bekeken.",
]
GEEN = [
    "Het budget van de clusters en wettelijke taken.",
    "Besluiten die de gemeenteraad al heeft genomen.",
    "Zaken van individueel belang.",
]
GROEPEN = [
    "Bewoners, ondernemers en jongeren.",
    "Ouderen en nieuwe bewoners.",
    "Bewonersorganisaties en de wijkraad.",
]
ADVIES = [
    "De wijkraad adviseert meer aandacht voor de veiligheid rond de scholen.",
    "De wijkraad vraagt de jongeren actiever te betrekken.",
    "De wijkraad adviseert de volgorde van de agendapunten te herzien.",
]
ANTWOORD = [
    "Het advies is overgenomen.",
    "Het advies is deels overgenomen; de reden staat in de toelichting.",
    "Het college neemt het advies niet over, omdat het budget al vastligt.",
]


def plan_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Advies, Planfase, Participatieplan):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def _moment(ctx, datum: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(datum, datetime.time(10), tzinfo=ctx.tz)


@register("participation.plan", after=("cycle.akkoord",), clear=plan_clear)
def plan(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("participation.plan")
    cycli = list(ctx.cycli)
    plan_ids = ctx.reserve_ids(Participatieplan, len(cycli))
    plannen, fasen, adviezen = [], [], []
    for cyclus, plan_id in zip(cycli, plan_ids, strict=True):
        begin = cyclus.aangemaakt_op
        vastgesteld = cyclus.fase != Fase.ANALYSE
        plannen.append(
            (
                plan_id,
                cyclus.pk,
                "vastgesteld" if vastgesteld else "concept",
                7 if vastgesteld else 6,
                begin + datetime.timedelta(days=20) if vastgesteld else None,
                begin,
                begin + datetime.timedelta(days=20),
            )
        )
        for fase in WERKFASEN:
            draagvlak = rng.random() < 0.7
            fasen.append(
                (
                    plan_id,
                    fase.value,
                    rng.choice(NIVEAUS),
                    rng.choice(WEL),
                    rng.choice(GEEN),
                    rng.choice(GROEPEN),
                    json.dumps(rng.sample(MIDDELEN, rng.randint(1, 3))),
                    "",
                    rng.choice([10, 25, 50, 100]) if draagvlak else None,
                    rng.choice(["steunbetuigingen", "reacties"]) if draagvlak else "",
                )
            )
        adviezen += _adviezen(ctx, rng, cyclus)
    ctx.copy(
        Participatieplan,
        ["id", "cyclus", "status", "versie", "vastgesteld_op", "aangemaakt_op", "gewijzigd_op"],
        plannen,
    )
    ctx.copy(
        Planfase,
        [
            "plan",
            "fase",
            "niveau",
            "wel_invloed",
            "geen_invloed",
            "doelgroepen",
            "middelen",
            "middelen_anders",
            "draagvlak_aantal",
            "draagvlak_soort",
        ],
        fasen,
    )
    ctx.copy(Advies, ADVIES_FIELDS, adviezen)


ADVIES_FIELDS = [
    "werkgebied",
    "onderwerp",
    "cyclus",
    "status",
    "ongevraagd",
    "vraag",
    "termijn",
    "gevraagd_door",
    "gevraagd_op",
    "advies",
    "besluitdatum",
    "gegeven_door",
    "gegeven_op",
    "antwoord",
    "antwoord_van",
    "beantwoord_door",
    "beantwoord_op",
    "versie",
    "aangemaakt_op",
    "gewijzigd_op",
]


def _adviezen(ctx, rng, cyclus) -> list[tuple]:
    """The advice of one cycle: per subject its phase has reached, asked (or unasked), given
    and answered as far as the cycle has come."""
    wg = cyclus.werkgebied
    stand = FASE_VOLGORDE[cyclus.fase]
    rows = []
    onderwerpen = [("participatieplan", Fase.ANALYSE), ("wijkagenda", Fase.AGENDA)]
    onderwerpen.append(("wijkprogramma", Fase.PROGRAMMA))
    for onderwerp, fase in onderwerpen:
        if FASE_VOLGORDE[fase] > stand:
            continue
        lopend = FASE_VOLGORDE[fase] == stand and cyclus.fase != Fase.AFGEROND
        gevraagd_op = min(
            cyclus.aangemaakt_op + datetime.timedelta(days=10 + 60 * FASE_VOLGORDE[fase]),
            _moment(ctx, ctx.today) - datetime.timedelta(days=30),
        )
        datum = ctx.local_date(gevraagd_op)
        managers = ctx.holders(("wijkmanager",), werkgebied=wg, on=datum)
        leden = ctx.holders(("wijkraadslid",), werkgebied=wg, on=datum)
        manager = managers[0].pk if managers else None
        lid = leden[0].pk if leden else None
        ongevraagd = not lopend and rng.random() < 0.3
        if lopend:
            # Still waiting for the wijkraad: the deadline a few weeks from now, some passed.
            termijn = ctx.today + datetime.timedelta(days=rng.randint(-10, 30))
            rows.append(
                (
                    wg.pk,
                    onderwerp,
                    cyclus.pk,
                    "gevraagd",
                    False,
                    "Graag uw advies.",
                    termijn,
                    manager,
                    gevraagd_op,
                    "",
                    None,
                    None,
                    None,
                    "",
                    "",
                    None,
                    None,
                    1,
                    gevraagd_op,
                    gevraagd_op,
                )
            )
            continue
        gegeven_op = gevraagd_op + datetime.timedelta(days=rng.randint(7, 28))
        beantwoord = cyclus.fase == Fase.AFGEROND or rng.random() < 0.7
        beantwoord_op = gegeven_op + datetime.timedelta(days=rng.randint(7, 40))
        rows.append(
            (
                wg.pk,
                onderwerp,
                cyclus.pk,
                "beantwoord" if beantwoord else "gegeven",
                ongevraagd,
                "" if ongevraagd else "Graag uw advies.",
                None if ongevraagd else ctx.local_date(gevraagd_op) + datetime.timedelta(days=42),
                None if ongevraagd else manager,
                None if ongevraagd else gevraagd_op,
                rng.choice(ADVIES),
                ctx.local_date(gegeven_op) - datetime.timedelta(days=1),
                lid,
                gegeven_op,
                rng.choice(ANTWOORD) if beantwoord else "",
                rng.choice(["wijkmanager", "college"]) if beantwoord else "",
                manager if beantwoord else None,
                beantwoord_op if beantwoord else None,
                3 if beantwoord else 2,
                gevraagd_op,
                beantwoord_op if beantwoord else gegeven_op,
            )
        )
    return rows
