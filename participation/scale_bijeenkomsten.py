"""The city's meetings at scale (the step ``participation.bijeenkomsten`` of ``manage.py
load_scale``): about :data:`BIJEENKOMSTEN_PER_FACTOR` a factor for the whole city (its share for
the werkgebieden built), spread over the years built and the coming three months, each in the
cycle of its werkgebied and year where there is one, with outcome notes and attendees for most
of those that took place (some still waiting for them, as "Mijn werk" shows). Written with COPY,
like the other steps."""

import datetime

from django.db import connection

from cycle.models import Fase, Participatieniveau
from cycle.scale import ScaleContext, register

from .models_bijeenkomsten import Bevinding, Bijeenkomst, Soort

BIJEENKOMSTEN_PER_FACTOR = 5000
VOORUIT_DAGEN = 90
PLAATSEN = ["Wijkgebouw", "Buurthuis", "Bibliotheek", "Basisschool", "Wijkcentrum", "Kerkzaal"]
ONDERWERPEN = ["schoon en heel", "groen", "veiligheid", "spelen", "verkeer", "samen leven"]
SOORTEN = [s.value for s in Soort]
GEWICHTEN = [4, 3, 3, 2, 1]  # wijkraad meetings most, wijkschouwen least
NIVEAUS = [n.value for n in Participatieniveau]


def bijeenkomsten_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Bevinding, Bijeenkomst):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


@register("participation.bijeenkomsten", after=("cycle",), clear=bijeenkomsten_clear)
def bijeenkomsten(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("bijeenkomsten")
    deel = len(ctx.werkgebieden) / max(1, len(ctx.alle_werkgebieden))
    totaal = round(BIJEENKOMSTEN_PER_FACTOR * ctx.factor * deel)
    if not ctx.werkgebieden or totaal <= 0:
        return
    cycli = {(c.werkgebied.pk, c.jaar): c for c in ctx.cycli}
    eerste = datetime.date(ctx.jaren[0], 1, 1)
    laatste = ctx.today + datetime.timedelta(days=VOORUIT_DAGEN)
    dagen = (laatste - eerste).days
    nu = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=ctx.tz)
    rows = []
    for n in range(totaal):
        werkgebied = ctx.werkgebieden[n % len(ctx.werkgebieden)]
        dag = eerste + datetime.timedelta(days=rng.randrange(dagen))
        begin = datetime.datetime(
            dag.year, dag.month, dag.day, rng.choice([10, 14, 19, 20]), 0, tzinfo=ctx.tz
        )
        einde = begin + datetime.timedelta(minutes=rng.choice([60, 90, 120, 150]))
        soort = rng.choices(SOORTEN, GEWICHTEN)[0]
        onderwerp = rng.choice(ONDERWERPEN)
        cyclus = cycli.get((werkgebied.pk, dag.year + 1)) or cycli.get((werkgebied.pk, dag.year))
        fase = cyclus.fase if cyclus is not None and cyclus.fase != Fase.AFGEROND else ""
        voorbij = einde < nu
        geannuleerd = rng.random() < 0.03
        met_uitkomst = voorbij and not geannuleerd and rng.random() < 0.9
        verslag = (
            f"Besproken: {onderwerp}. Bewoners gaven hun inbreng; de wijkmanager neemt de "
            "afspraken mee in de wijkaanpak."
            if met_uitkomst
            else ""
        )
        gepland = begin - datetime.timedelta(days=rng.randint(7, 60))
        rows.append(
            (
                werkgebied.pk,
                cyclus.pk if cyclus is not None else None,
                fase,
                soort,
                f"{Soort(soort).label.capitalize()} over {onderwerp}",
                begin,
                einde,
                rng.choice(PLAATSEN),
                "",
                rng.choice(NIVEAUS),
                "1. Opening\n2. " + onderwerp.capitalize() + "\n3. Rondvraag",
                verslag,
                rng.randint(5, 120) if met_uitkomst else None,
                soort != Soort.WERKGROEP or rng.random() < 0.5,
                geannuleerd,
                None,
                gepland,
                min(nu, einde + datetime.timedelta(days=2)) if met_uitkomst else gepland,
                2 if met_uitkomst else 1,
            )
        )
    ctx.copy(
        Bijeenkomst,
        [
            "werkgebied",
            "cyclus",
            "fase",
            "soort",
            "titel",
            "begin",
            "einde",
            "plaats",
            "adres",
            "niveau",
            "agenda",
            "verslag",
            "aantal_aanwezigen",
            "openbaar",
            "geannuleerd",
            "aangemaakt_door",
            "aangemaakt_op",
            "gewijzigd_op",
            "versie",
        ],
        rows,
    )
