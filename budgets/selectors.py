"""Reads of the wijkbudget, each a fixed number of queries whatever the size of the ledger.

- ``delen``: the parts of a werkgebied's budget for a year, with their balances (1 query).
- ``jaarrekening``: per part and per action, initiative or knelpunt the budget, reserved, paid
  and remaining amounts, read from the ledger (3 queries); ``jaarrekeningen`` the same for a
  page of budgets whose parts are prefetched (2 queries whatever their number).
- ``bestedingsvoorstel``: the programme's requests from the wijkbudget against what the
  programma part has available (3 queries).
- ``grootboek``: the ledger's rows for a page or the CSV export (select_related, no per-row
  queries)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from .models import Boeking, Bron, Budget, Budgetdeel, Deelsoort

NUL = Decimal("0.00")


def delen(werkgebied, jaar: int) -> list[Budgetdeel]:
    """The parts in the order of ``Deelsoort`` (programma, bewonersinitiatieven, knelpunten)."""
    volgorde = {soort: i for i, soort in enumerate(Deelsoort.values)}
    rijen = Budgetdeel.objects.filter(budget__werkgebied=werkgebied, budget__jaar=jaar)
    return sorted(rijen, key=lambda deel: volgorde[deel.soort])


def jaren(werkgebied) -> list[int]:
    """The years with a budget, newest first (1 query)."""
    return list(
        Budget.objects.filter(werkgebied=werkgebied)
        .order_by("-jaar")
        .values_list("jaar", flat=True)
    )


@dataclass
class Post:
    """One line of the jaarrekening: an action, an initiative or a knelpunt."""

    omschrijving: str
    bron: str
    gereserveerd: Decimal = NUL
    betaald: Decimal = NUL

    @property
    def open(self) -> Decimal:
        return self.gereserveerd - self.betaald

    @property
    def bron_label(self) -> str:
        return str(Bron(self.bron).label) if self.bron in Bron.values else self.bron

    @property
    def naam(self) -> str:
        """What the public budget page calls the line: its description, else its source."""
        return self.omschrijving or self.bron_label


@dataclass
class Deelrekening:
    deel: Budgetdeel
    posten: list[Post] = field(default_factory=list)

    @property
    def soort_label(self):
        return self.deel.get_soort_display()

    @property
    def toegekend(self) -> list[Post] | None:
        """The awarded lines the public budget page lists for this part: those with something
        reserved. None for the knelpunten part, which the public sees only as totals."""
        if self.deel.soort == Deelsoort.KNELPUNTEN:
            return None
        return [post for post in self.posten if post.gereserveerd]


def jaarrekening(werkgebied, jaar: int) -> list[Deelrekening]:
    """The year's account per part: the part's budget, reserved (committed, paid included),
    paid and remaining (budget minus reserved); per line what was reserved and paid."""
    rekening = {deel.pk: Deelrekening(deel=deel) for deel in delen(werkgebied, jaar)}
    if not rekening:
        return []
    return _posten(rekening)


def jaarrekeningen(budgetten) -> dict[int, list[Deelrekening]]:
    """``jaarrekening`` for each of ``budgetten`` (their ``delen`` prefetched), by budget id:
    the lines of all their parts in two queries, whatever the number of budgets and lines."""
    volgorde = {soort: i for i, soort in enumerate(Deelsoort.values)}
    rekening: dict[int, Deelrekening] = {}
    per_budget = {}
    for budget in budgetten:
        delen_ = sorted(budget.delen.all(), key=lambda deel: volgorde[deel.soort])
        per_budget[budget.pk] = [
            rekening.setdefault(deel.pk, Deelrekening(deel=deel)) for deel in delen_
        ]
    if rekening:
        _posten(rekening)
    return per_budget


def _posten(rekening: dict) -> list[Deelrekening]:
    sleutels = ("deel_id", "bron", "bron_id", "initiatief_id", "knelpunt_id", "melding_id")
    groepen = (
        Boeking.objects.filter(deel_id__in=list(rekening))
        .values(*sleutels)
        .annotate(g=Sum("delta_gereserveerd"), b=Sum("delta_betaald"))
        .order_by(*sleutels)
    )
    # Each line's name is that of its first reservation (in Python, not DISTINCT ON: the
    # zero-setup demo runs on SQLite; a year's reservations are a few hundred rows).
    namen = {}
    for rij in (
        Boeking.objects.filter(deel_id__in=list(rekening), soort="reservering")
        .order_by("pk")
        .values(*sleutels, "omschrijving")
    ):
        namen.setdefault(tuple(rij[s] for s in sleutels), rij["omschrijving"])
    for rij in groepen:
        sleutel = tuple(rij[s] for s in sleutels)
        rekening[rij["deel_id"]].posten.append(
            Post(
                omschrijving=namen.get(sleutel, ""),
                bron=rij["bron"],
                gereserveerd=rij["g"] or NUL,
                betaald=rij["b"] or NUL,
            )
        )
    for deelrekening in rekening.values():
        deelrekening.posten.sort(key=lambda post: (post.omschrijving.lower(), post.bron))
    return list(rekening.values())


@dataclass
class Voorstel:
    """The bestedingsvoorstel: what the programme's actions ask from the wijkbudget."""

    deel: Budgetdeel | None
    acties: list = field(default_factory=list)  # (initiatief, gevraagd, al gereserveerd)
    totaal: Decimal = NUL
    nodig: Decimal = NUL  # what adoption still has to reserve

    @property
    def beschikbaar(self) -> Decimal:
        return self.deel.beschikbaar if self.deel is not None else NUL

    @property
    def tekort(self) -> Decimal:
        return max(NUL, self.nodig - self.beschikbaar)


def bestedingsvoorstel(programma) -> Voorstel:
    """The programme's actions financed from the wijkbudget (``financiering = wijkbudget``),
    their sum, and what adoption still has to reserve (after a correction and re-adoption,
    what was reserved before counts)."""
    from cycle.models import Financiering

    cyclus = programma.cyclus
    deel = (
        Budgetdeel.objects.select_related("budget")
        .filter(
            budget__werkgebied_id=cyclus.werkgebied_id,
            budget__jaar=cyclus.jaar,
            soort=Deelsoort.PROGRAMMA,
        )
        .first()
    )
    acties = list(
        programma.initiatieven.filter(financiering=Financiering.WIJKBUDGET, bedrag__gt=0)
        .exclude(toezegging="afgewezen")
        .order_by("titel", "pk")
    )
    al = {}
    if deel is not None and acties:
        al = dict(
            Boeking.objects.filter(deel=deel, initiatief_id__in=[a.pk for a in acties])
            .values("initiatief_id")
            .annotate(g=Sum("delta_gereserveerd"))
            .values_list("initiatief_id", "g")
        )
    voorstel = Voorstel(deel=deel)
    for actie in acties:
        gereserveerd = al.get(actie.pk) or NUL
        voorstel.acties.append((actie, actie.bedrag, gereserveerd))
        voorstel.totaal += actie.bedrag
        voorstel.nodig += max(NUL, actie.bedrag - gereserveerd)
    return voorstel


def grootboek(werkgebied, jaar: int):
    """The ledger's rows, newest first, with what the page and the CSV show in one query."""
    return (
        Boeking.objects.filter(deel__budget__werkgebied=werkgebied, deel__budget__jaar=jaar)
        .select_related("deel__budget__werkgebied")
        .order_by("-geboekt_op", "-pk")
    )


def gecorrigeerd(boekingen) -> set[int]:
    """Which of ``boekingen`` already have their correction. One query."""
    return set(
        Boeking.objects.filter(gecorrigeerd_id__in=[b.pk for b in boekingen]).values_list(
            "gecorrigeerd_id", flat=True
        )
    )


def knelpunt_reserveringen(deel: Budgetdeel):
    """The knelpunten part's reservations, newest first (to paginate; then ``met_open``)."""
    return (
        Boeking.objects.filter(deel=deel, soort="reservering")
        .select_related("knelpunt", "melding")
        .order_by("-geboekt_op", "-pk")
    )


def met_open(reserveringen) -> list:
    """The reservations of one page, each with ``open`` (reserved, not yet paid or released)
    and ``betaald_bedrag``: one query whatever their number."""
    reserveringen = list(reserveringen)
    if not reserveringen:
        return []
    vervolg = {
        rij["reservering_id"]: (rij["g"] or NUL, rij["b"] or NUL)
        for rij in Boeking.objects.filter(reservering_id__in=[r.pk for r in reserveringen])
        .values("reservering_id")
        .annotate(g=Sum("delta_gereserveerd"), b=Sum("delta_betaald"))
        .order_by()
    }
    for r in reserveringen:
        g, b = vervolg.get(r.pk, (NUL, NUL))
        r.open = r.bedrag + g - b
        r.betaald_bedrag = b
    return reserveringen
