"""The extension points through which apps above ``cycle`` take part in a product's steps:
registered conditions that block a step (named on the page and in the refusal), and the
signal sent inside every step's transaction."""

import pytest

from cycle import services, signals, voorwaarden
from cycle.models import Fase, Productstatus
from cycle.selectors import volgende_stappen
from tests.cycle.test_products import fill
from tests.participation.plan import kaders_invullen


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


@pytest.fixture
def blokkeer(monkeypatch):
    """Register a condition for the test only: ``blokkeer(transition, wat)``."""
    monkeypatch.setattr(voorwaarden, "_voorwaarden", [])

    def register(transition, wat):
        voorwaarden.register_voorwaarde(lambda product, t: [wat] if t == transition else [])

    return register


@pytest.mark.django_db
def test_a_registered_condition_blocks_only_its_own_step(cyclus, wijkmanager, blokkeer):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    blokkeer("vaststellen", "2 reacties zonder antwoord")
    stappen = {s["name"]: s for s in volgende_stappen(product, wijkmanager, state_field="status")}
    assert stappen["ter_consultatie"]["ready"] is True
    assert stappen["vaststellen"]["ready"] is False
    assert stappen["vaststellen"]["ontbreekt"] == ["2 reacties zonder antwoord"]

    with pytest.raises(services.TransitionError) as exc:
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert "2 reacties zonder antwoord" in exc.value.message
    product.refresh_from_db()
    assert product.status == Productstatus.CONCEPT


@pytest.mark.django_db
def test_consultation_condition_is_named_with_the_missing_content(cyclus, wijkmanager, blokkeer):
    product = cyclus.wijkanalyse
    blokkeer("ter_consultatie", "de kaders van deze fase zijn leeg")
    stap = next(
        s
        for s in volgende_stappen(product, wijkmanager, state_field="status")
        if s["name"] == "ter_consultatie"
    )
    assert stap["ready"] is False
    assert stap["ontbreekt"][-1] == "de kaders van deze fase zijn leeg"
    assert "nog geen enkel thema geanalyseerd" in stap["ontbreekt"]


@pytest.mark.django_db
def test_every_step_is_signalled_inside_its_transaction(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    kaders_invullen(cyclus)
    ontvangen = []

    def receiver(sender, **kwargs):
        ontvangen.append((kwargs["transition"], kwargs["source"], kwargs["target"]))
        assert kwargs["entry"].action == "cycle.product_transition"
        assert kwargs["product"].status == kwargs["target"]

    signals.product_overgegaan.connect(receiver)
    try:
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="ter_consultatie",
            expected_status=Productstatus.CONCEPT,
        )
    finally:
        signals.product_overgegaan.disconnect(receiver)
    assert ontvangen == [("ter_consultatie", Productstatus.CONCEPT, Productstatus.CONSULTATIE)]


@pytest.mark.django_db
def test_a_receiver_that_refuses_rolls_the_step_back(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    versie = product.versie

    def weiger(sender, **kwargs):
        raise services.TransitionError("De consultatie kon niet worden geopend.")

    signals.product_overgegaan.connect(weiger)
    try:
        with pytest.raises(services.TransitionError):
            services.product_transition(
                product=product,
                user=wijkmanager,
                transition="ter_consultatie",
                expected_status=Productstatus.CONCEPT,
            )
    finally:
        signals.product_overgegaan.disconnect(weiger)
    product.refresh_from_db()
    assert (product.status, product.versie) == (Productstatus.CONCEPT, versie)
