"""City-scale followers of initiatives and meldingen that led to one, for ``manage.py
load_scale`` (the step ``participation.volgers``, after the meldingen).

Every initiative of a public programme whose cycle is (or was) in execution gets followers:
most a handful, a few popular ones hundreds (a Pareto draw), about 50,000 in the city at
factor 1; all confirmed (the retention task removes what was not confirmed within a week),
except a few recent ones in running cycles. About 40% of the meldingen taken into a cycle
whose programme has initiatives are linked to one of them, with their trail step and their
log entry, as ``participation.services.melding_initiatief`` writes them. Addresses are in
:data:`cycle.scale.SCALE_EMAIL_DOMAIN`; tokens are drawn from a stream of their own."""

import datetime

from django.db import connection

from cycle.models import Fase, Initiatief, Productstatus
from cycle.scale import SCALE_EMAIL_DOMAIN, ScaleContext, register

from .models import Melding, Meldingstatus, Spoor, Spoorsoort, Volgbericht, Volger

VOLGERS_PER_FACTOR = 50_000
GEKOPPELD = 0.4
TEKENS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # URL-safe


def _initiatieven(ctx: ScaleContext) -> list[tuple]:
    return list(
        Initiatief.objects.filter(
            wijkprogramma__status__in=[Productstatus.GEPUBLICEERD, Productstatus.CONSULTATIE],
            wijkprogramma__cyclus__fase__in=[Fase.UITVOERING, Fase.VERANTWOORDING, Fase.AFGEROND],
        )
        .order_by("pk")
        .values_list("pk", "wijkprogramma__cyclus_id", "wijkprogramma__cyclus__fase", "titel")
    )


def volgers_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Volgbericht, Volger):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


@register("participation.volgers", after=("participation.meldingen",), clear=volgers_clear)
def volgers(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("volgers")
    tokens = ctx.rng_for("volgers", "tokens")
    initiatieven = _initiatieven(ctx)
    if not initiatieven:
        return
    gewichten = [rng.paretovariate(1.3) for _ in initiatieven]
    # The city's number for the share of the werkgebieden built.
    deel = len(ctx.werkgebieden) / max(1, len(ctx.alle_werkgebieden))
    schaal = VOLGERS_PER_FACTOR * ctx.factor * deel / sum(gewichten)
    nu = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=ctx.tz)
    rows, n = [], 0
    for (pk, _cyclus, fase, _titel), gewicht in zip(initiatieven, gewichten, strict=True):
        for _ in range(max(0, round(gewicht * schaal))):
            n += 1
            token = "".join(tokens.choice(TEKENS) for _ in range(43))
            aangemaakt = nu - datetime.timedelta(days=rng.uniform(1, 300))
            bevestigd = aangemaakt + datetime.timedelta(minutes=rng.randint(1, 600))
            if fase == Fase.UITVOERING and rng.random() < 0.01:
                aangemaakt = nu - datetime.timedelta(days=rng.uniform(0, 6))
                bevestigd = None
            rows.append((pk, f"volger{n}{SCALE_EMAIL_DOMAIN}", token, bevestigd, None, aangemaakt))
    ctx.copy(
        Volger,
        [
            "initiatief",
            "email",
            "token",
            "bevestigd_op",
            "bevestiging_gevraagd_op",
            "aangemaakt_op",
        ],
        rows,
    )
    _koppel_meldingen(ctx, rng, initiatieven)


def _koppel_meldingen(ctx: ScaleContext, rng, initiatieven) -> None:
    per_cyclus: dict[int, list[tuple[int, str]]] = {}
    for pk, cyclus, _fase, titel in initiatieven:
        per_cyclus.setdefault(cyclus, []).append((pk, titel))
    meldingen = (
        Melding.objects.filter(status=Meldingstatus.OPGENOMEN, cyclus_id__in=list(per_cyclus))
        .order_by("pk")
        .values_list("pk", "cyclus_id", "afgesloten_op")
    )
    paren, spoor = [], []
    grens = datetime.datetime.combine(ctx.today, datetime.time.min, tzinfo=ctx.tz)
    for pk, cyclus, afgesloten in meldingen.iterator(chunk_size=5000):
        if rng.random() >= GEKOPPELD or afgesloten is None:
            continue
        initiatief, titel = rng.choice(per_cyclus[cyclus])
        # Some weeks after it was taken in, and before today (what lies ahead is not made).
        at = afgesloten + datetime.timedelta(days=rng.uniform(1, 30))
        if at >= grens:
            continue
        paren.append((pk, initiatief, at))
        spoor.append((pk, Spoorsoort.INITIATIEF.value, cyclus, initiatief, "", at))
        ctx.audit.add(
            action="participation.melding_initiatief",
            actor=None,
            actor_rol="",
            target_model=Melding,
            object_id=pk,
            data={"van": None, "naar": initiatief, "initiatief": titel},
            timestamp=at,
        )
    quote = connection.ops.quote_name
    tabel = quote(Melding._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(paren), 5000):
            deel = paren[start : start + 5000]
            waarden = ", ".join(["(%s, %s, %s::timestamptz)"] * len(deel))
            # As the service: the version goes up and the melding was changed then (unless a
            # later step, the retention task, changed it after).
            cursor.execute(
                f"UPDATE {tabel} AS m SET initiatief_id = v.i, versie = m.versie + 1, "  # noqa: S608
                "gewijzigd_op = GREATEST(m.gewijzigd_op, v.t) "
                f"FROM (VALUES {waarden}) AS v(m, i, t) WHERE m.id = v.m",
                [x for rij in deel for x in rij],
            )
    ctx.copy(
        Spoor, ["melding", "soort", "cyclus", "initiatief", "toelichting", "aangemaakt_op"], spoor
    )
    ctx.counts["participation.Melding (gekoppeld aan initiatief)"] += len(paren)
    ctx.audit.flush()
