"""The ledger's invariants as properties (Hypothesis): whatever sequence of reservations,
payments, releases and corrections is asked for, in whatever amounts, a part never holds more
reserved than its budget or more paid than reserved, its running balances are always the sums
of its bookings, and a refused booking writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import services
from budgets.models import Boeking, Boekingsoort, Deelsoort
from people.models import Rol
from tests.people.factories import user_with_role
from tests.places.factories import WerkgebiedFactory

BUDGET = Decimal("1000.00")

cents = st.integers(min_value=1, max_value=150_000).map(lambda c: Decimal(c) / 100)
stap = st.one_of(
    st.tuples(st.just("reserveren"), cents),
    st.tuples(st.just("betalen"), st.integers(0, 20), cents),
    st.tuples(st.just("vrijgeven"), st.integers(0, 20), st.one_of(st.none(), cents)),
    st.tuples(st.just("corrigeren"), st.integers(0, 40)),
)


def _stand(deel):
    deel.refresh_from_db()
    return Boeking.objects.filter(deel=deel).count(), deel.gereserveerd, deel.betaald


def _invarianten(deel):
    deel.refresh_from_db()
    assert Decimal(0) <= deel.betaald <= deel.gereserveerd <= deel.bedrag
    rijen = list(Boeking.objects.filter(deel=deel))
    assert deel.gereserveerd == sum((b.delta_gereserveerd for b in rijen), Decimal(0))
    assert deel.betaald == sum((b.delta_betaald for b in rijen), Decimal(0))
    assert services.beschikbaar(deel) == deel.bedrag - deel.gereserveerd >= 0
    for reservering in (b for b in rijen if b.soort == Boekingsoort.RESERVERING):
        assert services.open_bedrag(reservering) >= 0


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stappen=st.lists(stap, min_size=1, max_size=25))
def test_no_sequence_of_bookings_breaks_the_ledger(db, stappen):
    user = user_with_role(Rol.BEHEERDER)
    # Each example gets a part of its own (a werkgebied of its own), in the same test database.
    budget = services.budget_vaststellen(
        werkgebied=WerkgebiedFactory(),
        jaar=2027,
        bedragen={Deelsoort.KNELPUNTEN: str(BUDGET)},
        user=user,
    )
    deel = budget.delen.get(soort=Deelsoort.KNELPUNTEN)
    geboekt = []
    for actie, *args in stappen:
        reserveringen = [b for b in geboekt if b.soort == Boekingsoort.RESERVERING]
        voor = _stand(deel)
        try:
            if actie == "reserveren":
                geboekt.append(
                    services.reserveren(deel, args[0], user=user, reden="Een snelle reparatie")
                )
            elif actie == "betalen" and reserveringen:
                reservering = reserveringen[args[0] % len(reserveringen)]
                geboekt.append(services.betalen(reservering, args[1], user=user, reden="Factuur"))
            elif actie == "vrijgeven" and reserveringen:
                reservering = reserveringen[args[0] % len(reserveringen)]
                geboekt.append(services.vrijgeven(reservering, args[1], user=user, reden="Over"))
            elif actie == "corrigeren" and geboekt:
                boeking = geboekt[args[0] % len(geboekt)]
                geboekt.append(services.corrigeren(boeking, user=user, reden="Verkeerd geboekt"))
        except ValidationError:
            # Refused: nothing written, the balances as they were.
            assert _stand(deel) == voor
        _invarianten(deel)
    # What can be reserved is exactly what is left: the last cent fits, one more does not.
    over = services.beschikbaar(deel)
    with pytest.raises(ValidationError):
        services.reserveren(deel, over + Decimal("0.01"), user=user, reden="Te veel")
    if over > 0:
        services.reserveren(deel, over, user=user, reden="De rest")
        _invarianten(deel)
        assert services.beschikbaar(deel) == 0
