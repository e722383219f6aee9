"""The ledger: bookings, their effect on the balances, refusals, immutability, concurrency."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum

from audit.models import AuditEntry
from budgets import services
from budgets.models import Boeking, Budgetdeel, Deelsoort
from budgets.services import (
    beschikbaar,
    betalen,
    budget_vaststellen,
    corrigeren,
    open_bedrag,
    reserveren,
    vrijgeven,
)

from .factories import budget_met, saldi

D = Decimal


@pytest.fixture
def delen(werkgebied, beheerder):
    return budget_met(werkgebied, beheerder)


@pytest.fixture
def knelpunten(delen):
    return delen[Deelsoort.KNELPUNTEN]


def _klopt(deel):
    """The running balances equal the sums of the rows' effects."""
    deel.refresh_from_db()
    som = deel.boekingen.aggregate(g=Sum("delta_gereserveerd"), b=Sum("delta_betaald"))
    assert deel.gereserveerd == (som["g"] or 0)
    assert deel.betaald == (som["b"] or 0)


def test_budget_set_in_parts_and_audited(werkgebied, beheerder, delen):
    assert {s: d.bedrag for s, d in delen.items()} == {
        "programma": D("10000"),
        "bewonersinitiatieven": D("5000"),
        "knelpunten": D("1000"),
    }
    assert AuditEntry.objects.filter(action="budgets.budget_vastgesteld").count() == 1
    budget = budget_vaststellen(
        werkgebied=werkgebied, jaar=2027, bedragen={"knelpunten": "1.500,00"}, user=beheerder
    )
    assert budget.versie == 2
    assert saldi(delen["knelpunten"])[0] == D("1500")


def test_budget_refuses_bad_amounts_per_part(werkgebied, beheerder):
    with pytest.raises(ValidationError) as error:
        budget_vaststellen(
            werkgebied=werkgebied,
            jaar=2027,
            bedragen={"programma": "-5", "knelpunten": "1,234"},
            user=beheerder,
        )
    assert set(error.value.message_dict) == {"programma", "knelpunten"}
    assert not Budgetdeel.objects.exists()


def test_budget_cannot_go_below_what_is_reserved(werkgebied, beheerder, knelpunten):
    reserveren(knelpunten, "800", user=beheerder, reden="Graffiti")
    with pytest.raises(ValidationError) as error:
        budget_vaststellen(
            werkgebied=werkgebied, jaar=2027, bedragen={"knelpunten": "700"}, user=beheerder
        )
    assert "€ 800,00" in error.value.message_dict["knelpunten"][0]
    assert saldi(knelpunten)[0] == D("1000")


def test_reserve_release_pay_and_correct(beheerder, knelpunten):
    r = reserveren(knelpunten, "500", user=beheerder, reden="Bankje kapot", omschrijving="x")
    assert saldi(knelpunten) == (D("1000"), D("500"), D("0"))
    assert beschikbaar(knelpunten) == D("500")
    betaling = betalen(r, "300,00", user=beheerder, reden="Factuur 12")
    assert saldi(knelpunten) == (D("1000"), D("500"), D("300"))
    assert open_bedrag(r) == D("200")
    vrij = vrijgeven(r, user=beheerder, reden="Goedkoper uitgevallen")
    assert vrij.bedrag == D("200")
    assert saldi(knelpunten) == (D("1000"), D("300"), D("300"))
    assert beschikbaar(knelpunten) == D("700")
    # Reverse the payment: the money is reserved again, not paid.
    correctie = corrigeren(betaling, user=beheerder, reden="Dubbel geboekt")
    assert correctie.gecorrigeerd == betaling
    assert correctie.reservering == r
    assert saldi(knelpunten) == (D("1000"), D("300"), D("0"))
    _klopt(knelpunten)
    assert set(
        AuditEntry.objects.filter(action__startswith="budgets.").values_list("action", flat=True)
    ) >= {"budgets.reservering", "budgets.betaling", "budgets.vrijgave", "budgets.correctie"}
    entry = AuditEntry.objects.get(action="budgets.betaling")
    assert entry.actor == beheerder
    assert entry.data["reden"] == "Factuur 12"


@pytest.mark.parametrize("bedrag", ["-5", "abc", "12,345", "0", "99999999999"])
def test_bad_amounts_book_nothing(beheerder, knelpunten, bedrag):
    with pytest.raises(ValidationError) as error:
        reserveren(knelpunten, bedrag, user=beheerder, reden="x")
    assert "bedrag" in error.value.message_dict
    assert not Boeking.objects.exists()


def test_reason_is_required(beheerder, knelpunten):
    with pytest.raises(ValidationError) as error:
        reserveren(knelpunten, "5", user=beheerder, reden="  ")
    assert "reden" in error.value.message_dict
    assert not Boeking.objects.exists()


def test_nothing_beyond_what_is_available(beheerder, knelpunten):
    reserveren(knelpunten, "999,99", user=beheerder, reden="a")
    with pytest.raises(ValidationError) as error:
        reserveren(knelpunten, "0,02", user=beheerder, reden="b")
    assert "€ 0,01" in error.value.message_dict["bedrag"][0]
    assert Boeking.objects.count() == 1
    reserveren(knelpunten, "0,01", user=beheerder, reden="c")
    assert beschikbaar(knelpunten) == 0


def test_paying_more_than_reserved_or_a_second_time_is_refused(beheerder, knelpunten):
    r = reserveren(knelpunten, "100", user=beheerder, reden="a")
    with pytest.raises(ValidationError) as error:
        betalen(r, "100,01", user=beheerder, reden="b")
    assert "€ 100,00" in error.value.message_dict["bedrag"][0]
    betalen(r, "100", user=beheerder, reden="b")
    with pytest.raises(ValidationError) as error:
        betalen(r, "1", user=beheerder, reden="c")
    assert "al betaald" in error.value.message_dict["bedrag"][0]
    with pytest.raises(ValidationError):
        vrijgeven(r, user=beheerder, reden="d")
    assert Boeking.objects.count() == 2
    _klopt(knelpunten)


def test_paying_what_was_not_reserved_is_refused(beheerder, knelpunten):
    r = reserveren(knelpunten, "100", user=beheerder, reden="a")
    betaling = betalen(r, "10", user=beheerder, reden="b")
    with pytest.raises(ValidationError) as error:
        betalen(betaling, "1", user=beheerder, reden="c")
    assert "geen reservering" in error.value.message_dict["bedrag"][0]
    assert Boeking.objects.count() == 2


def test_corrections(beheerder, knelpunten):
    r = reserveren(knelpunten, "100", user=beheerder, reden="a")
    betaling = betalen(r, "40", user=beheerder, reden="b")
    # Reversing the reservation would leave 40 paid on nothing reserved.
    with pytest.raises(ValidationError):
        corrigeren(r, user=beheerder, reden="fout")
    c = corrigeren(betaling, user=beheerder, reden="fout")
    with pytest.raises(ValidationError):
        corrigeren(betaling, user=beheerder, reden="nog eens")
    with pytest.raises(ValidationError):
        corrigeren(c, user=beheerder, reden="terug")
    corrigeren(r, user=beheerder, reden="fout")
    assert saldi(knelpunten) == (D("1000"), D("0"), D("0"))
    assert open_bedrag(r) == 0
    with pytest.raises(ValidationError):
        betalen(r, "1", user=beheerder, reden="x")
    _klopt(knelpunten)


def test_correcting_a_release_needs_room(beheerder, knelpunten):
    r = reserveren(knelpunten, "600", user=beheerder, reden="a")
    vrij = vrijgeven(r, "600", user=beheerder, reden="b")
    reserveren(knelpunten, "900", user=beheerder, reden="c")
    with pytest.raises(ValidationError):
        corrigeren(vrij, user=beheerder, reden="terug")
    assert saldi(knelpunten) == (D("1000"), D("900"), D("0"))


def test_rows_are_immutable(beheerder, knelpunten):
    r = reserveren(knelpunten, "100", user=beheerder, reden="a")
    with pytest.raises(TypeError):
        r.save()
    with pytest.raises(TypeError):
        r.delete()
    with pytest.raises(TypeError):
        Boeking.objects.all().delete()
    with pytest.raises(TypeError):
        Boeking.objects.update(bedrag=1)
    # The database refuses too, whatever the code does.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE budgets_boeking SET bedrag = 1 WHERE id = %s", [r.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM budgets_boeking WHERE id = %s", [r.pk])


def test_deleting_a_user_keeps_the_ledger(beheerder, knelpunten):
    r = reserveren(knelpunten, "100", user=beheerder, reden="a")
    beheerder.delete()
    r.refresh_from_db()
    assert r.door is None
    assert r.door_naam


def test_database_holds_the_balances(knelpunten):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budgetdeel.objects.filter(pk=knelpunten.pk).update(gereserveerd=D("1000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Budgetdeel.objects.filter(pk=knelpunten.pk).update(betaald=D("1"))


def test_a_row_must_have_the_effect_of_its_kind(beheerder, knelpunten):
    with pytest.raises(IntegrityError), transaction.atomic():
        Boeking.objects.create(
            deel=knelpunten,
            soort="reservering",
            bedrag=D("5"),
            delta_gereserveerd=D("50"),
            delta_betaald=0,
            reden="x",
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_awarding_the_last_euros_at_once(werkgebied, beheerder):
    """Both read 100 available and book 80 at the same moment: exactly one succeeds."""
    deel = budget_met(werkgebied, beheerder, knelpunten="100")["knelpunten"]
    barrier = threading.Barrier(2)
    results = []
    original = services._lock_deel

    def lock_after_both_read(deel_id):
        # Both threads have read "100 available" (outside the lock) before either locks.
        assert beschikbaar(deel) == D("100")
        barrier.wait(timeout=10)
        return original(deel_id)

    def award():
        try:
            reserveren(deel, "80", user=beheerder, reden="laatste euro's")
            results.append("ok")
        except ValidationError as error:
            results.append(error.message_dict["bedrag"][0])
        finally:
            connection.close()

    services._lock_deel = lock_after_both_read
    try:
        threads = [threading.Thread(target=award) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        services._lock_deel = original
    assert len(results) == 2
    assert results.count("ok") == 1
    refused = next(r for r in results if r != "ok")
    assert "€ 20,00" in refused
    assert Boeking.objects.count() == 1
    assert saldi(deel) == (D("100"), D("80"), D("0"))
