"""The generated wijkbudget (budgets/scale.py): a budget per werkgebied and year, bookings
whose running balances match the parts, references within their own werkgebied and year,
an audit entry per booking, nothing in the future."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from audit.models import AuditEntry
from budgets.models import Boeking, Budget, Budgetdeel
from cycle import scale
from tests.scale import cycle_steps

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def stad(rotterdam):
    steps = cycle_steps()
    budgets_step = next(s for s in scale.registry.ordered() if s.name == "budgets")
    return scale.generate(
        steps=scale.Registry([*steps.ordered(), budgets_step]),
        seed=11,
        until_year=2027,
        today=TODAY,
        years=3,
        factor=1,
        werkgebieden=4,
    )


@pytest.mark.django_db
def test_budgets_and_ledger(stad):
    assert Budget.objects.count() == 4 * 3
    assert Budgetdeel.objects.count() == 4 * 3 * 3
    boekingen = Boeking.objects.count()
    # About 20,000 over ten years in 39 werkgebieden: ~50 per budget.
    assert 15 * 12 <= boekingen <= 120 * 12
    for deel in Budgetdeel.objects.all():
        som = deel.boekingen.aggregate(g=Sum("delta_gereserveerd"), b=Sum("delta_betaald"))
        assert (deel.gereserveerd, deel.betaald) == (som["g"] or 0, som["b"] or 0)
        assert 0 <= deel.betaald <= deel.gereserveerd <= deel.bedrag
    assert not Boeking.objects.filter(geboekt_op__date__gt=TODAY).exists()
    assert Boeking.objects.filter(initiatief__isnull=False).exists()
    for b in Boeking.objects.filter(initiatief__isnull=False).select_related(
        "initiatief__wijkprogramma__cyclus", "deel__budget"
    ):
        cyclus = b.initiatief.wijkprogramma.cyclus
        assert (cyclus.werkgebied_id, cyclus.jaar) == (
            b.deel.budget.werkgebied_id,
            b.deel.budget.jaar,
        )
    assert set(Boeking.objects.values_list("soort", flat=True)) >= {
        "reservering",
        "betaling",
        "vrijgave",
    }
    ct = ContentType.objects.get_for_model(Boeking)
    assert AuditEntry.objects.filter(content_type=ct).count() == boekingen
