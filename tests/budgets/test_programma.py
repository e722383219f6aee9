"""The bestedingsvoorstel: the condition on adopting the programme and the reservations that
adoption makes in its own transaction."""

from decimal import Decimal

import pytest

from audit.models import AuditEntry
from budgets.models import Boeking, Deelsoort
from budgets.programma import binnen_budget
from budgets.selectors import bestedingsvoorstel
from budgets.services import reserveren
from cycle import services
from cycle.models import Fase, Productstatus, Wijkprogramma
from cycle.services import TransitionError
from cycle.services_programma import initiatief_toezeggen
from people.models import Cluster, Rol
from tests.cycle.inhoud import met_initiatief
from tests.participation.plan import kaders_invullen
from tests.people.factories import user_with_role

from .factories import budget_met, saldi

D = Decimal


@pytest.fixture
def programma(werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    kaders_invullen(cyclus)
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def fresh(programma):
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(pk=programma.pk)


@pytest.fixture
def acties(programma, wijkmanager, werkgebied):
    cluster = Cluster.objects.order_by("pk").first()
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=werkgebied.gebied)
    gemaakt = []
    for titel, bedrag, financiering in (
        ("Bankjes in het park", "3000", "wijkbudget"),
        ("Buurtfeest", "1500.50", "wijkbudget"),
        ("Nieuwe bestrating", "40000", "eigen_budget"),
    ):
        actie = met_initiatief(
            programma,
            wijkmanager,
            cluster=cluster,
            titel=titel,
            bedrag=bedrag,
            financiering=financiering,
        )
        initiatief_toezeggen(initiatief=actie, user=accounthouder, expected_versie=actie.versie)
        gemaakt.append(actie)
    return gemaakt


def vaststellen(programma, user):
    services.product_update(
        product=fresh(programma),
        user=user,
        expected_versie=fresh(programma).versie,
        data={"toelichting": "De acties van dit jaar."},
    )
    return services.product_transition(
        product=fresh(programma),
        user=user,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )


@pytest.mark.django_db
def test_the_voorstel_sums_the_requests_from_the_wijkbudget(
    programma, acties, werkgebied, beheerder
):
    delen = budget_met(werkgebied, beheerder, programma="5000")
    voorstel = bestedingsvoorstel(fresh(programma))
    assert voorstel.totaal == D("4500.50")
    assert [a.titel for a, *_ in voorstel.acties] == ["Bankjes in het park", "Buurtfeest"]
    assert voorstel.deel == delen["programma"]
    assert voorstel.tekort == 0


@pytest.mark.django_db
def test_adoption_is_blocked_beyond_the_budget_then_reserves(
    programma, acties, werkgebied, beheerder, wijkmanager
):
    delen = budget_met(werkgebied, beheerder, programma="4000")
    deel = delen[Deelsoort.PROGRAMMA]
    melding = binnen_budget(fresh(programma), "vaststellen")
    assert melding == [
        "de acties vragen nog € 4.500,50 uit het wijkbudget, maar er is maar € 4.000,00 "
        "beschikbaar (€ 500,50 te weinig)"
    ]
    with pytest.raises(TransitionError) as fout:
        vaststellen(programma, wijkmanager)
    assert "€ 500,50 te weinig" in fout.value.message
    assert fresh(programma).status == Productstatus.CONCEPT
    assert not Boeking.objects.exists()

    budget_met(werkgebied, beheerder, programma="4500,50")
    assert binnen_budget(fresh(programma), "vaststellen") == []
    assert vaststellen(programma, wijkmanager).status == Productstatus.VASTGESTELD
    assert saldi(deel) == (D("4500.50"), D("4500.50"), D("0"))
    reserveringen = Boeking.objects.filter(soort="reservering").order_by("omschrijving")
    assert [(b.initiatief, b.bedrag) for b in reserveringen] == [
        (acties[0], D("3000")),
        (acties[1], D("1500.50")),
    ]
    assert AuditEntry.objects.filter(action="budgets.reservering").count() == 2


@pytest.mark.django_db
def test_if_the_money_is_gone_at_adoption_the_step_rolls_back(
    programma, acties, werkgebied, beheerder, wijkmanager, monkeypatch
):
    """Someone books the last euros between the check and the reservations: the adoption
    (the product's step, its audit entry, every reservation) is rolled back whole."""
    delen = budget_met(werkgebied, beheerder, programma="5000")
    deel = delen[Deelsoort.PROGRAMMA]
    monkeypatch.setattr("budgets.programma.binnen_budget", lambda *a: [])
    from cycle import voorwaarden

    monkeypatch.setattr(voorwaarden, "_voorwaarden", [])
    reserveren(deel, "1000", user=beheerder, reden="Iets anders")
    with pytest.raises(TransitionError) as fout:
        vaststellen(programma, wijkmanager)
    assert "past niet meer" in fout.value.message
    assert fresh(programma).status == Productstatus.CONCEPT
    assert Boeking.objects.count() == 1
    assert saldi(deel) == (D("5000"), D("1000"), D("0"))


@pytest.mark.django_db
def test_without_a_budget_money_asked_from_it_blocks_adoption(
    programma, acties, wijkmanager, beheerder
):
    (reden,) = binnen_budget(fresh(programma), "vaststellen")
    assert "nog geen wijkbudget vastgesteld" in reden and "2027" in reden
    with pytest.raises(TransitionError):
        vaststellen(programma, wijkmanager)
    assert fresh(programma).status != Productstatus.VASTGESTELD
    assert not Boeking.objects.exists()
    # Once the beheerder sets the budget, the programme is adopted and its requests reserved.
    budget_met(programma.cyclus.werkgebied, beheerder, jaar=programma.cyclus.jaar)
    assert binnen_budget(fresh(programma), "vaststellen") == []
    assert vaststellen(programma, wijkmanager).status == Productstatus.VASTGESTELD
    assert Boeking.objects.exists()
