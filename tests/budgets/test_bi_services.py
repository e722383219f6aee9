"""The bewonersinitiatieven state machine and the regulation's checks, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEntry
from budgets import services_bi as s
from budgets.models_bi import Beslisser, BIStatus, Regeling, Ronde, Verdeling
from notices.models import Notice
from people.models import Rol
from tests.people.factories import user_with_role

from .factories import aanvraag, concept, in_status, ondertekend, spelregels

pytestmark = pytest.mark.django_db


def _bon():
    return [(ContentFile(b"%PDF-1.4 bon", name="bon.pdf"), "application/pdf")]


def test_concept_computes_the_requested_amount_exactly(werkgebied):
    bi = concept(werkgebied)
    assert bi.status == BIStatus.CONCEPT
    # 600.00 + 400.50 - 100.00 - 50.00
    assert bi.gevraagd_bedrag == Decimal("850.50")
    assert bi.kostenposten.count() == 2
    assert AuditEntry.objects.filter(action="budgets.bi_aangemaakt").count() == 1


def test_only_residents_of_the_werkgebied_apply(werkgebied, ander_werkgebied):
    buiten = user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied)
    with pytest.raises(s.BIError):
        s.aanvraag_opslaan(user=buiten, werkgebied=werkgebied, aanvraag=aanvraag())
    verlopen = user_with_role(
        Rol.BEWONER,
        werkgebied=werkgebied,
        geldig_vanaf=datetime.date(2020, 1, 1),
        geldig_tot=datetime.date(2021, 1, 1),
    )
    with pytest.raises(s.BIError):
        s.aanvraag_opslaan(user=verlopen, werkgebied=werkgebied, aanvraag=aanvraag())


def test_cosigners_confirm_by_one_time_link_and_mail_is_queued(werkgebied):
    bi = concept(werkgebied)
    m = s.medeondertekenaar_toevoegen(
        user=bi.aanvrager, initiatief=bi, naam="An", email="an@example.nl", expected_versie=1
    )
    notice = Notice.objects.get(kind=s.KIND_MEDEONDERTEKENEN)
    assert notice.recipient == "an@example.nl"
    assert notice.body == ""  # rendered when sent: no token in the outbox
    _subject, body = s.render_medeondertekenen(notice)
    assert m.token in body
    s.medeondertekening_bevestigen(token=m.token, bewoner_12_plus=True)
    with pytest.raises(s.BIError, match="al gebruikt"):
        s.medeondertekening_bevestigen(token=m.token, bewoner_12_plus=True)
    with pytest.raises(s.BIError, match="12 jaar"):
        s.medeondertekening_bevestigen(token="x", bewoner_12_plus=False)


def test_cosigner_is_not_the_applicant_nor_twice(werkgebied):
    bi = concept(werkgebied)
    with pytest.raises(s.BIError, match="U bent de aanvrager") as exc:
        s.medeondertekenaar_toevoegen(
            user=bi.aanvrager,
            initiatief=bi,
            naam="Ik",
            email=bi.aanvrager.email.upper(),
            expected_versie=1,
        )
    assert exc.value.field == "email"
    s.medeondertekenaar_toevoegen(
        user=bi.aanvrager, initiatief=bi, naam="An", email="an@example.nl", expected_versie=1
    )
    with pytest.raises(s.BIError, match="al bij de medeondertekenaars"):
        s.medeondertekenaar_toevoegen(
            user=bi.aanvrager, initiatief=bi, naam="An", email="AN@example.nl", expected_versie=2
        )


def test_submission_needs_four_confirmed_signatures(werkgebied):
    bi = concept(werkgebied)
    with pytest.raises(s.BIError, match="0 van de 4"):
        s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=bi.versie)
    bi.refresh_from_db()
    assert bi.status == BIStatus.CONCEPT


def test_submission_checks_the_regulation(werkgebied):
    te_vroeg = ondertekend(
        werkgebied, activiteit_datum=timezone.localdate() + datetime.timedelta(weeks=5)
    )
    with pytest.raises(s.BIError, match="minstens 6 weken") as exc:
        s.indienen(user=te_vroeg.aanvrager, initiatief=te_vroeg, expected_versie=te_vroeg.versie)
    assert exc.value.field == "activiteit_datum"
    te_veel = ondertekend(werkgebied, kostenposten=[("Podium", Decimal("10150.01"))])
    with pytest.raises(s.BIError, match="maximum per initiatief"):
        s.indienen(user=te_veel.aanvrager, initiatief=te_veel, expected_versie=te_veel.versie)
    # Where the werkgebied has the higher maximum, the same request is fine.
    Regeling.objects.create(werkgebied=werkgebied, maximum=Decimal("20000"))
    bi = s.indienen(user=te_veel.aanvrager, initiatief=te_veel, expected_versie=te_veel.versie)
    assert bi.status == BIStatus.INGEDIEND
    jong = ondertekend(
        werkgebied,
        verklaring_meerderjarig=False,
        geboortedatum=timezone.localdate() - datetime.timedelta(days=17 * 365),
    )
    with pytest.raises(s.BIError, match="18 jaar of ouder"):
        s.indienen(user=jong.aanvrager, initiatief=jong, expected_versie=jong.versie)
    geen = ondertekend(werkgebied, verklaring_meerderjarig=False)
    with pytest.raises(s.BIError, match="geboortedatum"):
        s.indienen(user=geen.aanvrager, initiatief=geen, expected_versie=geen.versie)


def test_rounds_need_an_open_round(werkgebied):
    Regeling.objects.create(werkgebied=werkgebied, verdeling=Verdeling.RONDES)
    bi = ondertekend(werkgebied)
    with pytest.raises(s.BIError, match="geen ronde open"):
        s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=bi.versie)
    vandaag = timezone.localdate()
    ronde = Ronde.objects.create(
        werkgebied=werkgebied, naam="Voorjaar", open_vanaf=vandaag, sluit_op=vandaag
    )
    bi = s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=bi.versie)
    assert bi.ronde == ronde


def test_submit_twice_is_harmless_and_stale_is_refused(werkgebied):
    bi = ondertekend(werkgebied)
    versie = bi.versie
    s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=versie)
    again = s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=versie)
    assert again.status == BIStatus.INGEDIEND
    assert AuditEntry.objects.filter(action="budgets.bi_ingediend").count() == 1
    with pytest.raises(s.BIStaleError):
        s.indienen(user=bi.aanvrager, initiatief=bi, expected_versie=versie - 1)


def test_full_journey_is_audited_and_mailed(werkgebied):
    bi = in_status(werkgebied, "uitbetaald")
    assert bi.status == BIStatus.UITBETAALD
    assert bi.uitbetaald_bedrag == bi.toegekend_bedrag == Decimal("850.50")
    assert bi.toetsingen.count() == 7
    bi = s.verantwoorden(
        user=bi.aanvrager,
        initiatief=bi,
        verslag="Het feest was een succes.",
        werkelijke_kosten=Decimal("800.00"),
        bonnen=_bon(),
        expected_versie=bi.versie,
    )
    assert bi.status == BIStatus.VERANTWOORD
    assert bi.bonnen.count() == 1
    acties = set(
        AuditEntry.objects.filter(action__startswith="budgets.bi_").values_list("action", flat=True)
    )
    assert {
        "budgets.bi_ingediend",
        "budgets.bi_in_beoordeling",
        "budgets.bi_toegekend",
        "budgets.bi_uitbetaald",
        "budgets.bi_verantwoord",
    } <= acties
    mails = Notice.objects.filter(kind=s.KIND_STAP, recipient=bi.aanvrager.email).count()
    assert mails >= 5 + 4  # every step, and every co-signature


def test_award_refusals_change_nothing(werkgebied):
    bi = in_status(werkgebied, "in_beoordeling")
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    with pytest.raises(s.BIError, match="niet meer toekennen dan gevraagd") as exc:
        s.toekennen(
            user=wr,
            initiatief=bi,
            bedrag=bi.gevraagd_bedrag + Decimal("0.01"),
            toetsingen=spelregels(),
            expected_versie=bi.versie,
        )
    assert exc.value.field == "bedrag"
    onvolledig = spelregels()
    onvolledig["derden"] = (True, "  ")
    with pytest.raises(s.BIError, match="Beoordeel elke spelregel"):
        s.toekennen(
            user=wr,
            initiatief=bi,
            bedrag=Decimal("10"),
            toetsingen=onvolledig,
            expected_versie=bi.versie,
        )
    bi.refresh_from_db()
    assert bi.status == BIStatus.IN_BEOORDELING and bi.toegekend_bedrag is None
    assert not bi.toetsingen.exists()


def test_who_decides_is_set_per_werkgebied(werkgebied):
    bi = in_status(werkgebied, "ingediend")
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    with pytest.raises(s.BIError, match="niet nemen"):
        s.in_beoordeling_nemen(user=wm, initiatief=bi, expected_versie=bi.versie)
    Regeling.objects.create(werkgebied=werkgebied, beslisser=Beslisser.WIJKMANAGER)
    bi = s.in_beoordeling_nemen(user=wm, initiatief=bi, expected_versie=bi.versie)
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    with pytest.raises(s.BIError, match="niet nemen"):
        s.afwijzen(
            user=wr,
            initiatief=bi,
            redenen="Nee",
            toetsingen=spelregels(False),
            expected_versie=bi.versie,
        )
    bi = s.afwijzen(
        user=wm,
        initiatief=bi,
        redenen="Nee",
        toetsingen=spelregels(False),
        expected_versie=bi.versie,
    )
    assert bi.status == BIStatus.AFGEWEZEN and bi.besluit_door == Beslisser.WIJKMANAGER


def test_payment_only_once_and_only_when_awarded(werkgebied):
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    bi = in_status(werkgebied, "in_beoordeling")
    with pytest.raises(s.BIError, match="Alleen een toegekend"):
        s.uitbetalen(user=wm, initiatief=bi, expected_versie=bi.versie)
    bi = in_status(werkgebied, "uitbetaald", wijkmanager=wm)
    with pytest.raises(s.BIError, match="al uitbetaald"):
        s.uitbetalen(user=wm, initiatief=bi, expected_versie=bi.versie)
    assert AuditEntry.objects.filter(action="budgets.bi_uitbetaald").count() == 1


def test_extension_once_with_a_reason(werkgebied):
    bi = in_status(werkgebied, "ingediend")
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    with pytest.raises(s.BIError, match="reden"):
        s.termijn_verlengen(user=wr, initiatief=bi, reden=" ", expected_versie=bi.versie)
    bi = s.termijn_verlengen(
        user=wr, initiatief=bi, reden="Advies van de buurt nodig.", expected_versie=bi.versie
    )
    assert bi.beslis_uiterlijk == timezone.localdate() + datetime.timedelta(weeks=20)
    with pytest.raises(s.BIError, match="één keer"):
        s.termijn_verlengen(user=wr, initiatief=bi, reden="Nog eens", expected_versie=bi.versie)


def test_overdue_decisions_flagged_on_mijn_werk(werkgebied):
    from budgets.mijn_bi import mijn_werk_sectie
    from people.roles import active_assignments

    bi = in_status(werkgebied, "ingediend")
    type(bi).objects.filter(pk=bi.pk).update(
        beslis_uiterlijk=timezone.localdate() - datetime.timedelta(days=1)
    )
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    html = mijn_werk_sectie(wr, active_assignments(wr))
    assert "over de beslistermijn" in html
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    assert mijn_werk_sectie(bewoner, active_assignments(bewoner)) == ""
