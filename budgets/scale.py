"""City-scale wijkbudget for ``manage.py load_scale`` (the step ``budgets``, after the
programme's initiatives and knelpunten).

Every werkgebied built has a budget for each year up to the one after the current, in its
three parts. The programma part carries the adopted programmes' reservations (each action
that asks money from the wijkbudget, booked at the programme's adoption), paid over the
execution year (in a year that is over: paid, and a few released); the knelpunten part the
wijkmanager's small expenses, reserved then paid or released, with a few corrections. About
20,000 bookings over ten years at factor 1, each with its audit entry as
``budgets.services`` writes it; the parts' running balances are the sums of their rows'
effects, as the services keep them. Written with COPY, in one pass, from streams seeded per
werkgebied and year."""

import datetime
from decimal import Decimal

from django.db import connection

from cycle.models import Financiering, Initiatief, Knelpunt, Productstatus
from cycle.scale import ScaleContext, register

from .models import Boeking, Budget, Budgetdeel, Deelsoort

CENT = Decimal("0.01")
KNELPUNT_BOEKINGEN = 12  # reservations on the knelpunten part per budget, at factor 1
REDENEN = (
    "Graffiti verwijderen bij de speeltuin",
    "Tijdelijke verlichting in de steeg",
    "Extra veegronde na een storm",
    "Reparatie van een kapot hekwerk",
    "Zand voor de zandbak",
    "Huur van een zaal voor een spoedoverleg",
    "Bloembakken terugplaatsen",
    "Afvalbakken legen na het buurtfeest",
)


def budgets_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The ledger is append-only (a trigger refuses deletes): only a rebuild of the whole
        # generated city may remove it, with the trigger off for that one statement.
        table = quote(Boeking._meta.db_table)
        # ALTER TABLE refuses while the transaction holds deferred foreign-key checks (a city
        # generated earlier in the same transaction, as a test does): run them now, and give the
        # deferrable constraints their default back afterwards.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER budgets_boeking_onveranderlijk")
        try:
            for model in (Boeking, Budgetdeel, Budget):
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
        finally:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER budgets_boeking_onveranderlijk")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _euro(rng, laag: int, hoog: int, stap: int = 1) -> Decimal:
    return Decimal(rng.randrange(laag, hoog, stap)).quantize(CENT)


class _Grootboek:
    """Rows of one part, with its running balances (checked as the database checks them)."""

    def __init__(self, ctx, deel_pk: int, bedrag: Decimal, rows: list, audit: list):
        self.ctx, self.deel_pk, self.bedrag = ctx, deel_pk, bedrag
        self.gereserveerd = self.betaald = Decimal("0.00")
        self.rows, self.audit = rows, audit

    def boek(
        self,
        soort,
        bedrag,
        dg,
        db,
        moment,
        user,
        reden,
        *,
        reservering=None,
        gecorrigeerd=None,
        bron="overig",
        bron_id=None,
        omschrijving="",
        initiatief=None,
        knelpunt=None,
    ):
        pk = self.ctx.data["boeking_ids"].pop()
        self.gereserveerd += dg
        self.betaald += db
        assert Decimal(0) <= self.betaald <= self.gereserveerd <= self.bedrag
        self.rows.append(
            (
                pk,
                self.deel_pk,
                soort,
                bedrag,
                dg,
                db,
                reservering,
                gecorrigeerd,
                user.pk if user else None,
                user.naam if user else "",
                reden,
                moment,
                bron,
                bron_id,
                omschrijving,
                initiatief,
                knelpunt,
                None,
            )
        )
        self.audit.append((soort, pk, moment, user, bedrag, reden))
        return pk


def _moment(ctx, rng, begin: datetime.date, eind: datetime.date) -> datetime.datetime | None:
    eind = min(eind, ctx.today)
    if eind < begin:
        return None
    return ctx.moment(begin + datetime.timedelta(days=rng.randrange((eind - begin).days + 1)), rng)


@register("budgets", after=("cycle.programma",), clear=budgets_clear)
def budgets(ctx: ScaleContext) -> None:
    werkgebied_ids = {w.pk for w in ctx.werkgebieden}
    cycli = {(c.werkgebied.pk, c.jaar): c for c in ctx.cycli}
    acties: dict[int, list] = {}
    for pk, cyclus_id, titel, bedrag in (
        Initiatief.objects.filter(
            wijkprogramma__cyclus__werkgebied_id__in=werkgebied_ids,
            financiering=Financiering.WIJKBUDGET,
            bedrag__gt=0,
        )
        .exclude(toezegging="afgewezen")
        .order_by("pk")
        .values_list("pk", "wijkprogramma__cyclus_id", "titel", "bedrag")
    ):
        acties.setdefault(cyclus_id, []).append((pk, titel, bedrag))
    knelpunten: dict[int, list[int]] = {}
    for pk, cyclus_id in Knelpunt.objects.filter(
        initiatief__wijkprogramma__cyclus__werkgebied_id__in=werkgebied_ids
    ).values_list("pk", "initiatief__wijkprogramma__cyclus_id"):
        knelpunten.setdefault(cyclus_id, []).append(pk)

    jaren = [j for j in ctx.jaren if j <= ctx.huidig_jaar + 1]
    budget_ids = ctx.reserve_ids(Budget, len(ctx.werkgebieden) * len(jaren))
    deel_ids = ctx.reserve_ids(Budgetdeel, len(budget_ids) * 3)
    # Enough ids for every booking: at most four rows per reservation.
    per_budget = 4 * (KNELPUNT_BOEKINGEN * ctx.factor * 2 + 40)
    ctx.data["boeking_ids"] = list(reversed(ctx.reserve_ids(Boeking, len(budget_ids) * per_budget)))
    beheerders = ctx.users.get("beheerder") or [None]
    budget_rows, deel_rows, boeking_rows, audit = [], [], [], []
    for werkgebied in ctx.werkgebieden:
        for jaar in jaren:
            rng = ctx.rng_for("budgets", werkgebied.slug, jaar)
            budget_pk, cyclus = budget_ids.pop(), cycli.get((werkgebied.pk, jaar))
            gezet = ctx.moment(datetime.date(jaar - 1, 11, rng.randint(1, 28)), rng)
            if gezet.date() > ctx.today:
                gezet = ctx.moment(ctx.today, rng)
            budget_rows.append((budget_pk, werkgebied.pk, jaar, 1, gezet))
            beheerder = beheerders[rng.randrange(len(beheerders))]
            audit.append(("budget_vastgesteld", budget_pk, gezet, beheerder, None, ""))
            wijkmanagers = ctx.holders(
                ("wijkmanager",),
                werkgebied=werkgebied,
                on=min(ctx.today, datetime.date(jaar, 6, 1)),
            ) or [None]
            wijkmanager = wijkmanagers[0]
            gevraagd = sum((a[2] for a in acties.get(cyclus.pk, [])), Decimal(0)) if cyclus else 0
            bedragen = {
                Deelsoort.PROGRAMMA: max(_euro(rng, 40_000, 120_000, 500), gevraagd),
                Deelsoort.BEWONERSINITIATIEVEN: _euro(rng, 15_000, 40_000, 500),
                Deelsoort.KNELPUNTEN: _euro(rng, 3_000, 8_000, 250) * ctx.factor,
            }
            boeken = {}
            for soort, bedrag in bedragen.items():
                boeken[soort] = _Grootboek(ctx, deel_ids.pop(), bedrag, boeking_rows, audit)
            if cyclus is not None:
                _programma(
                    ctx,
                    rng,
                    cyclus,
                    jaar,
                    acties.get(cyclus.pk, []),
                    boeken[Deelsoort.PROGRAMMA],
                    wijkmanager,
                )
            _knelpunten(
                ctx,
                rng,
                jaar,
                knelpunten.get(cyclus.pk, []) if cyclus else [],
                boeken[Deelsoort.KNELPUNTEN],
                wijkmanager,
            )
            for soort, boek in boeken.items():
                deel_rows.append(
                    (boek.deel_pk, budget_pk, soort, boek.bedrag, boek.gereserveerd, boek.betaald)
                )
    ctx.copy(Budget, ["id", "werkgebied", "jaar", "versie", "gewijzigd_op"], budget_rows)
    ctx.copy(Budgetdeel, ["id", "budget", "soort", "bedrag", "gereserveerd", "betaald"], deel_rows)
    # Reservations first: a row's reservation and corrected row exist before it (the
    # foreign keys are checked per statement, and COPY is one statement, but the order keeps
    # the table readable by id).
    ctx.copy(
        Boeking,
        [
            "id",
            "deel",
            "soort",
            "bedrag",
            "delta_gereserveerd",
            "delta_betaald",
            "reservering",
            "gecorrigeerd",
            "door",
            "door_naam",
            "reden",
            "geboekt_op",
            "bron",
            "bron_id",
            "omschrijving",
            "initiatief",
            "knelpunt",
            "melding",
        ],
        sorted(boeking_rows, key=lambda row: row[0]),
    )
    for soort, pk, moment, user, bedrag, reden in audit:
        model = Budget if soort == "budget_vastgesteld" else Boeking
        ctx.audit.add(
            action=f"budgets.{soort}",
            actor=user,
            actor_rol="beheerder" if model is Budget else ("wijkmanager" if user else ""),
            target_model=model,
            object_id=pk,
            data={"bedrag": str(bedrag) if bedrag is not None else None, "reden": reden},
            timestamp=moment,
        )


def _programma(ctx, rng, cyclus, jaar, acties, boek: _Grootboek, user) -> None:
    programma = cyclus.producten.get("wijkprogramma")
    if programma is None or programma.status not in (
        Productstatus.VASTGESTELD,
        Productstatus.GEPUBLICEERD,
    ):
        return
    vastgesteld = programma.vastgesteld_op or ctx.moment(datetime.date(jaar - 1, 12, 15), rng)
    if vastgesteld.date() > ctx.today:
        return
    reden = f"Bestedingsvoorstel, vastgesteld met het wijkprogramma {jaar}"
    for pk, titel, bedrag in acties:
        if bedrag > boek.bedrag - boek.gereserveerd:
            continue
        bron = {"bron": "initiatief", "bron_id": pk, "omschrijving": titel[:300], "initiatief": pk}
        r = boek.boek("reservering", bedrag, bedrag, Decimal(0), vastgesteld, user, reden, **bron)
        # Paid in one to three instalments over the year, as far as the year has gone.
        termijnen = rng.randint(1, 3)
        open_ = bedrag
        for i in range(termijnen):
            moment = _moment(
                ctx, rng, datetime.date(jaar, 1 + i * 4, 1), datetime.date(jaar, 12, 20)
            )
            if moment is None or open_ <= 0:
                break
            deel = open_ if i == termijnen - 1 else (open_ / 2).quantize(CENT)
            if i == termijnen - 1 and rng.random() < 0.15:
                deel = (open_ * Decimal("0.8")).quantize(CENT)
            if deel <= 0:
                break
            boek.boek(
                "betaling",
                deel,
                Decimal(0),
                deel,
                moment,
                user,
                f"Factuur {jaar}-{r % 1000}",
                reservering=r,
                **bron,
            )
            open_ -= deel
        if open_ > 0 and jaar < ctx.huidig_jaar:
            moment = ctx.moment(datetime.date(jaar, 12, 28), rng)
            boek.boek(
                "vrijgave",
                open_,
                -open_,
                Decimal(0),
                moment,
                user,
                "Goedkoper uitgevallen; rest terug naar het budget",
                reservering=r,
                **bron,
            )


def _knelpunten(ctx, rng, jaar, knelpunten, boek: _Grootboek, user) -> None:
    for _ in range(rng.randint(KNELPUNT_BOEKINGEN // 2, KNELPUNT_BOEKINGEN * 3 // 2) * ctx.factor):
        moment = _moment(ctx, rng, datetime.date(jaar, 1, 5), datetime.date(jaar, 12, 15))
        if moment is None:
            return
        bedrag = _euro(rng, 50, 900) + Decimal(rng.randrange(100)) / 100
        if bedrag > boek.bedrag - boek.gereserveerd:
            return
        knelpunt = (
            knelpunten[rng.randrange(len(knelpunten))]
            if knelpunten and rng.random() < 0.6
            else None
        )
        bron = {
            "bron": "knelpunt" if knelpunt else "overig",
            "bron_id": knelpunt,
            "knelpunt": knelpunt,
            "omschrijving": "Knelpunt" if knelpunt else "Spoeduitgave",
        }
        reden = REDENEN[rng.randrange(len(REDENEN))]
        r = boek.boek("reservering", bedrag, bedrag, Decimal(0), moment, user, reden, **bron)
        later = moment + datetime.timedelta(days=rng.randint(3, 40))
        if later.date() > ctx.today:
            continue  # still reserved
        kans = rng.random()
        if kans < 0.8:
            betaald = bedrag if rng.random() < 0.7 else (bedrag * Decimal("0.9")).quantize(CENT)
            b = boek.boek(
                "betaling",
                betaald,
                Decimal(0),
                betaald,
                later,
                user,
                "Factuur",
                reservering=r,
                **bron,
            )
            if betaald < bedrag:
                boek.boek(
                    "vrijgave",
                    bedrag - betaald,
                    betaald - bedrag,
                    Decimal(0),
                    later,
                    user,
                    "Rest vrijgegeven",
                    reservering=r,
                    **bron,
                )
            elif rng.random() < 0.03:
                # A payment booked twice by mistake is reversed, never edited.
                c = later + datetime.timedelta(days=1)
                if c.date() <= ctx.today:
                    boek.boek(
                        "correctie",
                        betaald,
                        Decimal(0),
                        -betaald,
                        c,
                        user,
                        "Dubbel geboekt",
                        reservering=r,
                        gecorrigeerd=b,
                        **bron,
                    )
        else:
            boek.boek(
                "vrijgave",
                bedrag,
                -bedrag,
                Decimal(0),
                later,
                user,
                "Niet meer nodig",
                reservering=r,
                **bron,
            )


# The bewonersinitiatieven (the step budgets.bewonersinitiatieven, after this one).
from . import scale_bi  # noqa: E402, F401
