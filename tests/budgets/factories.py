"""Budgets for tests, made through the services."""

from decimal import Decimal

from budgets.models import Budgetdeel, Deelsoort
from budgets.services import budget_vaststellen


def budget_met(werkgebied, user, jaar=2027, **bedragen) -> dict[str, Budgetdeel]:
    """A budget with the given parts (``programma="1000"``...); its parts by soort."""
    bedragen = bedragen or {
        Deelsoort.PROGRAMMA: "10000",
        Deelsoort.BEWONERSINITIATIEVEN: "5000",
        Deelsoort.KNELPUNTEN: "1000",
    }
    budget = budget_vaststellen(werkgebied=werkgebied, jaar=jaar, bedragen=bedragen, user=user)
    return {deel.soort: deel for deel in budget.delen.all()}


def saldi(deel) -> tuple[Decimal, Decimal, Decimal]:
    deel.refresh_from_db()
    return deel.bedrag, deel.gereserveerd, deel.betaald
