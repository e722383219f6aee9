"""The generated wijk-MT (cycle/scale_wijkmt.py): about a meeting a month per werkgebied,
decisions tied only to initiatives and knelpunten of the meeting's own werkgebied (a knelpunt
open that day, with its own initiative), a delegation of active wijkraadsleden, and an audit
entry for every row, as the services write them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from audit.models import AuditEntry
from cycle import scale
from cycle.models import Besluit, Overleg, WijkMTDelegatie, WijkMTLid
from people.models import Rol, Roltoewijzing
from tests.scale import cycle_steps

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def stad(rotterdam):
    return scale.generate(
        steps=cycle_steps(),
        seed=11,
        until_year=2027,
        today=TODAY,
        years=3,
        factor=1,
        werkgebieden=4,
    )


@pytest.mark.django_db
def test_meetings_decisions_and_delegation(stad):
    # From January of the first programme year until today.
    maanden = 12 * (TODAY.year - stad.jaren[0]) + TODAY.month
    per_wg = dict(
        Overleg.objects.values_list("werkgebied")
        .annotate(n=Count("pk"))
        .values_list("werkgebied", "n")
    )
    assert len(per_wg) == 4
    for n in per_wg.values():
        assert 0.75 * maanden <= n <= maanden
    assert Overleg.objects.filter(datum__gte=TODAY).count() == 0

    besluiten = Besluit.objects.select_related(
        "overleg", "initiatief__wijkprogramma__cyclus", "knelpunt"
    )
    aantal = besluiten.count()
    assert 2 * Overleg.objects.count() <= aantal <= 5 * Overleg.objects.count()
    gekoppeld = 0
    for b in besluiten:
        if b.initiatief_id:
            gekoppeld += 1
            assert b.initiatief.wijkprogramma.cyclus.werkgebied_id == b.overleg.werkgebied_id
        if b.knelpunt_id:
            assert b.knelpunt.initiatief_id == b.initiatief_id
            assert b.knelpunt.gemeld_op.date() <= b.overleg.datum
            assert (
                b.knelpunt.opgelost_op is None or b.knelpunt.opgelost_op.date() >= b.overleg.datum
            )
    assert gekoppeld > aantal / 4
    assert Besluit.objects.filter(knelpunt__isnull=False).exists()

    for lid in WijkMTLid.objects.select_related("delegatie"):
        assert (
            Roltoewijzing.objects.active(TODAY)
            .filter(user=lid.user_id, rol=Rol.WIJKRAADSLID, werkgebied=lid.delegatie.werkgebied_id)
            .exists()
        )
    assert WijkMTDelegatie.objects.exists()

    def log(model, action):
        return AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action=action
        ).count()

    assert log(Overleg, "cycle.overleg_toegevoegd") == Overleg.objects.count()
    assert log(Besluit, "cycle.besluit_toegevoegd") == aantal
    assert log(WijkMTDelegatie, "cycle.wijkmt_delegatie") == WijkMTDelegatie.objects.count()


@pytest.mark.django_db
def test_replace_clears_and_rebuilds(stad):
    voor = (Overleg.objects.count(), Besluit.objects.count())
    scale.generate(
        steps=cycle_steps(),
        seed=11,
        until_year=2027,
        today=TODAY,
        years=3,
        factor=1,
        werkgebieden=4,
        replace=True,
    )
    assert (Overleg.objects.count(), Besluit.objects.count()) == voor
