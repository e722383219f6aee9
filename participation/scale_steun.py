"""City-scale residents' support, for ``manage.py load_scale`` (the step
``participation.steun``, after the residents, the agendas and the programmes).

About 100,000 supports at factor 1: every generated resident supports agendapunten and
initiatives of their own werkgebied's public agendas and programmes, some items far more
popular than others (a Pareto weight per item), never one item twice. The benchmark resident
supports 30 items of their werkgebied, so "Mijn steunbetuigingen" has pages."""

import datetime

from django.db import connection

from cycle.models import Agendapunt, Initiatief, Productstatus
from cycle.scale import BENCH_EMAILS, ScaleContext, register
from people.models import Rol

from .models_steun import Steunbetuiging

STEUN_PER_FACTOR = 100_000
BENCH_AANTAL = 30
OPENBAAR = (
    Productstatus.CONSULTATIE,
    Productstatus.VASTGESTELD,
    Productstatus.GEPUBLICEERD,
    Productstatus.CORRECTIE,
)


def steun_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(Steunbetuiging._meta.db_table)}")  # noqa: S608


def _items(ctx: ScaleContext) -> dict[int, list[tuple[str, int, int]]]:
    """{werkgebied id: [("agendapunt" | "initiatief", pk, programme year)]}, public only."""
    items: dict[int, list] = {}
    for pk, wg, jaar in Agendapunt.objects.filter(wijkagenda__status__in=OPENBAAR).values_list(
        "pk", "wijkagenda__cyclus__werkgebied_id", "wijkagenda__cyclus__jaar"
    ):
        items.setdefault(wg, []).append(("agendapunt", pk, jaar))
    for pk, wg, jaar in Initiatief.objects.filter(wijkprogramma__status__in=OPENBAAR).values_list(
        "pk", "wijkprogramma__cyclus__werkgebied_id", "wijkprogramma__cyclus__jaar"
    ):
        items.setdefault(wg, []).append(("initiatief", pk, jaar))
    for rijen in items.values():
        rijen.sort(key=lambda r: (r[0], r[1]))
    return items


@register(
    "participation.steun",
    after=("participation.bewoners", "cycle.inhoud", "cycle.programma", "people"),
    clear=steun_clear,
)
def steun(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("steun")
    items = _items(ctx)
    bewoners: dict[int, list] = {}
    gezien = set()
    for role in ctx.roles.get(Rol.BEWONER, []):
        if role.user.pk in gezien or role.werkgebied_id not in items:
            continue
        gezien.add(role.user.pk)
        bewoners.setdefault(role.werkgebied_id, []).append(role)
    if not bewoners:
        return
    gewichten = {
        (soort, pk): min(8.0, rng.paretovariate(1.5))
        for rijen in items.values()
        for soort, pk, _ in rijen
    }
    mogelijk = sum(
        sum(gewichten[(s, pk)] for s, pk, _ in items[wg]) * len(rollen)
        for wg, rollen in bewoners.items()
    )
    deel = len(ctx.werkgebieden) / max(1, len(ctx.alle_werkgebieden))
    kans = STEUN_PER_FACTOR * ctx.factor * deel / max(1.0, mogelijk)
    bench_email = BENCH_EMAILS["bewoner"]
    nu = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=ctx.tz)
    rows = []
    for wg, rollen in sorted(bewoners.items()):
        for role in rollen:
            bench = role.user.email == bench_email
            for i, (soort, pk, jaar) in enumerate(items[wg]):
                if bench:
                    if i >= BENCH_AANTAL:
                        break
                elif rng.random() >= kans * gewichten[(soort, pk)]:
                    continue
                # The agenda and programme are drafted in the autumn before their year.
                begin = datetime.datetime(jaar - 1, 9, 1, 12, tzinfo=ctx.tz)
                begin = min(nu - datetime.timedelta(days=1), begin)
                seconden = max(1, int((nu - begin).total_seconds()))
                moment = begin + datetime.timedelta(seconds=rng.randrange(seconden))
                rows.append(
                    (
                        role.user.pk,
                        pk if soort == "agendapunt" else None,
                        pk if soort == "initiatief" else None,
                        moment,
                    )
                )
    ctx.copy(Steunbetuiging, ["user", "agendapunt", "initiatief", "aangemaakt_op"], rows)
