"""Bewonersinitiatieven book through the ledger: the award reserves, the payment pays, the
verantwoording releases the remainder. A refused step books nothing."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from budgets import services_bi as s
from budgets.models import Boeking, Boekingsoort, Bron, Deelsoort
from budgets.models_bi import BIStatus
from people.models import Rol
from tests.people.factories import user_with_role

from .factories import budget_met, in_status, saldi, spelregels

pytestmark = pytest.mark.django_db


def _deel(werkgebied, bi, bedrag="5000"):
    beheerder = user_with_role(Rol.BEHEERDER)
    delen = budget_met(
        werkgebied,
        beheerder,
        jaar=bi.activiteit_datum.year,
        **{Deelsoort.BEWONERSINITIATIEVEN: bedrag},
    )
    return delen[Deelsoort.BEWONERSINITIATIEVEN]


def _toekennen(bi, user, bedrag):
    return s.toekennen(
        user=user,
        initiatief=bi,
        bedrag=Decimal(bedrag),
        toetsingen=spelregels(),
        expected_versie=bi.versie,
    )


def test_award_reserves_pay_books_and_verantwoording_releases(werkgebied):
    bi = in_status(werkgebied, "in_beoordeling")
    deel = _deel(werkgebied, bi)
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    bi = _toekennen(bi, wr, "800.00")
    assert saldi(deel) == (Decimal("5000.00"), Decimal("800.00"), Decimal("0.00"))
    assert bi.reservering.bron == Bron.BEWONERSINITIATIEF and bi.reservering.bron_id == bi.pk
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    bi = s.uitbetalen(user=wm, initiatief=bi, expected_versie=bi.versie, bedrag=Decimal("600"))
    assert saldi(deel) == (Decimal("5000.00"), Decimal("800.00"), Decimal("600.00"))
    bi = s.verantwoorden(
        user=bi.aanvrager,
        initiatief=bi,
        verslag="Gedaan.",
        werkelijke_kosten=Decimal("590.00"),
        bonnen=[(ContentFile(b"%PDF-1.4", name="b.pdf"), "application/pdf")],
        expected_versie=bi.versie,
    )
    assert bi.status == BIStatus.VERANTWOORD
    # The 200 reserved and not paid goes back to the part.
    assert saldi(deel) == (Decimal("5000.00"), Decimal("600.00"), Decimal("600.00"))
    soorten = list(
        Boeking.objects.filter(bron_id=bi.pk).order_by("pk").values_list("soort", flat=True)
    )
    assert soorten == [Boekingsoort.RESERVERING, Boekingsoort.BETALING, Boekingsoort.VRIJGAVE]


def test_award_above_what_is_left_books_nothing(werkgebied):
    bi = in_status(werkgebied, "in_beoordeling")
    deel = _deel(werkgebied, bi, bedrag="500")
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    with pytest.raises(s.BIError, match="nog € 500,00 over") as exc:
        _toekennen(bi, wr, "500.01")
    assert exc.value.field == "bedrag"
    bi.refresh_from_db()
    assert bi.status == BIStatus.IN_BEOORDELING and bi.reservering is None
    assert not bi.toetsingen.exists()
    assert saldi(deel) == (Decimal("500.00"), Decimal("0.00"), Decimal("0.00"))
    assert not Boeking.objects.exists()


def test_award_without_a_budget_is_refused(werkgebied):
    bi = in_status(werkgebied, "ingediend")
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    bi = s.in_beoordeling_nemen(user=wr, initiatief=bi, expected_versie=bi.versie)
    with pytest.raises(s.BIError, match="geen budget voor bewonersinitiatieven"):
        _toekennen(bi, wr, "10")


def test_paying_more_than_awarded_or_twice_books_nothing(werkgebied):
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    bi = in_status(werkgebied, "toegekend")
    with pytest.raises(s.BIError, match="meer dan dat wordt niet uitbetaald"):
        s.uitbetalen(
            user=wm,
            initiatief=bi,
            expected_versie=bi.versie,
            bedrag=bi.toegekend_bedrag + Decimal("0.01"),
        )
    assert not Boeking.objects.filter(soort=Boekingsoort.BETALING).exists()
    bi = s.uitbetalen(user=wm, initiatief=bi, expected_versie=bi.versie)
    with pytest.raises(s.BIError, match="al uitbetaald"):
        s.uitbetalen(user=wm, initiatief=bi, expected_versie=bi.versie)
    assert Boeking.objects.filter(soort=Boekingsoort.BETALING).count() == 1
