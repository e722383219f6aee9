"""The demo shows the wijkbudget: budgets, the programmes' reservations, a knelpunt expense,
the jaarrekening of a year that is over."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from budgets.models import Boeking, Budget, Budgetdeel
from budgets.selectors import jaarrekening
from places.models import Werkgebied


@pytest.mark.django_db
def test_demo_has_budgets_reservations_and_a_knelpunt(rotterdam, client):
    call_command("load_demo")
    aantal = Boeking.objects.count()
    call_command("load_demo")  # idempotent
    assert Boeking.objects.count() == aantal
    assert Budget.objects.filter(werkgebied__slug="kralingen", jaar=2027).exists()
    assert Boeking.objects.filter(soort="reservering", initiatief__isnull=False).exists()
    knelpunt = Boeking.objects.filter(knelpunt__isnull=False)
    assert set(knelpunt.values_list("soort", flat=True)) == {
        "reservering",
        "betaling",
        "vrijgave",
    }
    # The running balances equal the ledger's sums, everywhere.
    for deel in Budgetdeel.objects.all():
        som = deel.boekingen.aggregate(g=Sum("delta_gereserveerd"), b=Sum("delta_betaald"))
        assert (deel.gereserveerd, deel.betaald) == (som["g"] or 0, som["b"] or 0)
    rekening = jaarrekening(Werkgebied.objects.get(slug="delfshaven-schiemond"), 2025)
    programma = next(r for r in rekening if r.deel.soort == "programma")
    assert programma.posten and programma.deel.betaald > Decimal("0")
    response = client.get("/werkgebieden/kralingen/budget/2026/")
    assert response.status_code == 200
    assert "Knelpuntenbudget" in response.content.decode()
