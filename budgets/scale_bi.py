"""City-scale bewonersinitiatieven for ``manage.py load_scale`` (the step
``budgets.bewonersinitiatieven``, after the cycles and the residents' accounts).

About 3,000 applications per factor over ten years for the whole city (scaled to the share of
the werkgebieden built and the years asked), spread over the werkgebieden, each with one to
four cost lines, four confirmed co-signers (invented names, addresses in
:data:`cycle.scale.SCALE_EMAIL_DOMAIN`) and, once decided, the seven spelregels. Applicants are
the generated residents of the werkgebied where there are any. How far an application got
follows its age: old ones are accounted for (or rejected), recent ones still submitted, in
assessment, awarded or paid, and a few are concepts. Written with COPY, so fast.

Runs after the ledger's step (``budgets``). Not generated yet: the ledger's bookings for the
awards (the amounts are on the applications only) and the audit entries of the steps."""

import datetime
from decimal import Decimal

from django.db import connection

from cycle.scale import SCALE_EMAIL_DOMAIN, ScaleContext, register
from people.models import Rol

from .models_bi import (
    SPELREGEL_CODES,
    Beslisser,
    Bewonersinitiatief,
    BIStatus,
    Kostenpost,
    Medeondertekening,
    Toetsing,
)

PER_FACTOR_TIEN_JAAR = 3_000
ONDERWERPEN = [
    "Straatfeest",
    "Moestuin",
    "Kookclub",
    "Buurtbioscoop",
    "Opschoondag",
    "Zomerspelen",
    "Voorleesmiddag",
    "Buurtbarbecue",
    "Geveltuinen",
    "Burendag",
    "Sportdag",
    "Muziekmiddag",
]
POSTEN = ["Materiaal", "Huur", "Eten en drinken", "Muziek", "Drukwerk", "Verzekering"]
TEKENS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def bewonersinitiatieven_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Toetsing, Medeondertekening, Kostenpost, Bewonersinitiatief):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def _status(rng, leeftijd_dagen: int) -> str:
    r = rng.random()
    if leeftijd_dagen > 270:
        return BIStatus.AFGEWEZEN if r < 0.12 else BIStatus.VERANTWOORD
    if leeftijd_dagen > 90:
        return [BIStatus.AFGEWEZEN, BIStatus.UITBETAALD, BIStatus.VERANTWOORD][
            0 if r < 0.12 else 1 if r < 0.5 else 2
        ]
    opties = [
        BIStatus.CONCEPT,
        BIStatus.INGEDIEND,
        BIStatus.IN_BEOORDELING,
        BIStatus.TOEGEKEND,
        BIStatus.AFGEWEZEN,
        BIStatus.UITBETAALD,
    ]
    return opties[min(int(r * len(opties)), len(opties) - 1)]


@register(
    "budgets.bewonersinitiatieven",
    after=("participation.bewoners", "budgets"),
    clear=bewonersinitiatieven_clear,
)
def bewonersinitiatieven(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("bewonersinitiatieven")
    tokens = ctx.rng_for("bewonersinitiatieven", "tokens")
    if not ctx.werkgebieden:
        return
    deel = len(ctx.werkgebieden) / max(1, len(ctx.alle_werkgebieden))
    totaal = round(PER_FACTOR_TIEN_JAAR * ctx.factor * deel * ctx.years / 10)
    bewoners: dict[int, list[int]] = {}
    for role in ctx.roles.get(Rol.BEWONER, []):
        if role.werkgebied_id:
            bewoners.setdefault(role.werkgebied_id, []).append(role.user.pk)
    ids = ctx.reserve_ids(Bewonersinitiatief, totaal)
    begin = datetime.date(ctx.until_year - ctx.years + 1, 1, 1)
    dagen = max(1, (ctx.today - begin).days)
    rijen, kosten, mede, toets = [], [], [], []
    for n, pk in enumerate(ids):
        wg = ctx.werkgebieden[n % len(ctx.werkgebieden)]
        aangemaakt_dag = begin + datetime.timedelta(days=rng.randrange(dagen))
        aangemaakt = ctx.moment(aangemaakt_dag, rng)
        leeftijd = (ctx.today - aangemaakt_dag).days
        status = _status(rng, leeftijd)
        activiteit = aangemaakt_dag + datetime.timedelta(weeks=rng.randint(7, 20))
        onderwerp = rng.choice(ONDERWERPEN)
        titel = f"{onderwerp} {wg.naam} {aangemaakt_dag.year} #{n + 1}"
        posten = [
            (rng.choice(POSTEN), Decimal(rng.randrange(50, 3000)) + Decimal("0.50"))
            for _ in range(rng.randint(1, 4))
        ]
        eigen = Decimal(rng.randrange(0, 200))
        gevraagd = max(sum(b for _o, b in posten) - eigen, Decimal("1.00"))
        besloten = status not in (BIStatus.CONCEPT, BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING)
        toegekend = (
            gevraagd
            if status
            in (
                BIStatus.TOEGEKEND,
                BIStatus.UITBETAALD,
                BIStatus.VERANTWOORD,
            )
            else None
        )
        ingediend = (
            aangemaakt + datetime.timedelta(days=rng.randint(1, 10))
            if status != BIStatus.CONCEPT
            else None
        )
        besloten_op = ingediend + datetime.timedelta(days=rng.randint(7, 40)) if besloten else None
        uitbetaald = toegekend if status in (BIStatus.UITBETAALD, BIStatus.VERANTWOORD) else None
        uitbetaald_op = besloten_op + datetime.timedelta(days=7) if uitbetaald else None
        verantwoord_op = (
            datetime.datetime.combine(activiteit, datetime.time(12), tzinfo=ctx.tz)
            + datetime.timedelta(days=14)
            if status == BIStatus.VERANTWOORD
            else None
        )
        nu = datetime.datetime.combine(ctx.today, datetime.time(8), tzinfo=ctx.tz)
        ingediend, besloten_op, uitbetaald_op, verantwoord_op = (
            min(m, nu) if m else None
            for m in (ingediend, besloten_op, uitbetaald_op, verantwoord_op)
        )
        aanvragers = bewoners.get(wg.pk)
        rijen.append(
            (
                pk,
                wg.pk,
                rng.choice(aanvragers) if aanvragers else None,
                None,
                titel,
                f"{onderwerp} voor de buurt.",
                "Bewoners van de buurt.",
                activiteit,
                "Een groep buren.",
                eigen,
                "",
                Decimal("0"),
                None,
                True,
                gevraagd,
                status,
                1,
                aangemaakt,
                ingediend,
                ctx.local_date(ingediend) + datetime.timedelta(weeks=6) if ingediend else None,
                "",
                toegekend,
                "Past niet in het wijkakkoord." if status == BIStatus.AFGEWEZEN else "",
                besloten_op,
                Beslisser.WIJKRAAD if besloten else "",
                None,
                uitbetaald,
                uitbetaald_op,
                "Het is gelukt." if verantwoord_op else "",
                uitbetaald if verantwoord_op else None,
                verantwoord_op,
            )
        )
        kosten.extend((pk, o, b) for o, b in posten)
        if status != BIStatus.CONCEPT:
            for i in range(4):
                token = "".join(tokens.choice(TEKENS) for _ in range(43))
                mede.append(
                    (pk, f"Buur {i + 1}", f"bi{pk}.{i}{SCALE_EMAIL_DOMAIN}", token, ingediend)
                )
        if besloten:
            voldoet = status != BIStatus.AFGEWEZEN
            toets.extend((pk, code, voldoet, "Zie het plan.") for code in SPELREGEL_CODES)
    ctx.copy(
        Bewonersinitiatief,
        [
            "id", "werkgebied", "aanvrager", "ronde", "titel", "wat", "voor_wie",
            "activiteit_datum", "uitvoerders", "eigen_bijdrage", "andere_financiers",
            "bijdrage_anderen", "geboortedatum", "verklaring_meerderjarig", "gevraagd_bedrag",
            "status", "versie", "aangemaakt_op", "ingediend_op", "beslis_uiterlijk",
            "verlengings_reden", "toegekend_bedrag", "afwijzing_redenen", "besloten_op",
            "besluit_door", "reservering", "uitbetaald_bedrag", "uitbetaald_op", "verslag",
            "werkelijke_kosten", "verantwoord_op",
        ],
        rijen,
    )  # fmt: skip
    ctx.copy(Kostenpost, ["initiatief", "onderdeel", "bedrag"], kosten)
    ctx.copy(Medeondertekening, ["initiatief", "naam", "email", "token", "bevestigd_op"], mede)
    ctx.copy(Toetsing, ["initiatief", "spelregel", "voldoet", "toelichting"], toets)
