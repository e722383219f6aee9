"""The pages of bewonersinitiatieven: who may see what (a role matrix), bad input answered in
Dutch next to the field with nothing saved or booked, and lists with a fixed number of
queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from budgets.models import Boeking
from budgets.models_bi import Bewonersinitiatief, BIStatus
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role

from .factories import concept, in_status, spelregels

pytestmark = pytest.mark.django_db

# Who may open an application's page and the deciders' list (besides its own applicant).
BEHANDELAARS = {
    "wijkmanager",
    "wijkmanager via gebied",
    "wijkraadslid",
    "beheerder",
}


def _detail(bi):
    return reverse("bi-detail", args=[bi.werkgebied.slug, bi.pk])


def _stap(bi, stap):
    return reverse("bi-stap", args=[bi.werkgebied.slug, bi.pk, stap])


@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_role_matrix_for_the_application_page_and_list(client, roles, werkgebied, rol):
    bi = in_status(werkgebied, "ingediend")
    user, _runs = roles[rol]
    if user is not None:
        client.force_login(user)
    lijst = reverse("bi-lijst", args=[werkgebied.slug])
    for url in (_detail(bi), lijst):
        response = client.get(url)
        if user is None:
            assert response.status_code == 302 and "/inloggen/" in response["Location"]
        elif rol in BEHANDELAARS:
            assert response.status_code == 200
        else:
            assert response.status_code == 403, (rol, url)


def test_applicant_sees_own_but_not_anothers(client, werkgebied):
    eigen = concept(werkgebied)
    ander = concept(werkgebied)
    client.force_login(eigen.aanvrager)
    assert client.get(_detail(eigen)).status_code == 200
    assert client.get(_detail(ander)).status_code == 403
    assert client.post(_stap(ander, "indienen"), {"versie": ander.versie}).status_code == 403


def test_expired_role_and_wrong_werkgebied_get_403(client, werkgebied, ander_werkgebied):
    bi = in_status(werkgebied, "ingediend")
    verlopen = user_with_role(
        Rol.WIJKRAADSLID,
        werkgebied=werkgebied,
        geldig_vanaf=datetime.date(2020, 1, 1),
        geldig_tot=datetime.date(2021, 1, 1),
    )
    client.force_login(verlopen)
    assert client.get(_detail(bi)).status_code == 403
    assert client.post(_stap(bi, "beoordelen"), {"versie": bi.versie}).status_code == 403
    buiten = user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied)
    client.force_login(buiten)
    assert client.get(reverse("bi-aanvragen", args=[werkgebied.slug])).status_code == 403
    bi.refresh_from_db()
    assert bi.status == BIStatus.INGEDIEND


def _aanvraag_post(**over):
    datum = timezone.localdate() + datetime.timedelta(weeks=8)
    data = {
        "titel": "Buurtfeest",
        "wat": "Een feest.",
        "voor_wie": "De straat.",
        "activiteit_datum": datum.isoformat(),
        "uitvoerders": "Wij.",
        "eigen_bijdrage": "100",
        "andere_financiers": "",
        "bijdrage_anderen": "0",
        "geboortedatum": "",
        "verklaring_meerderjarig": "on",
        "kosten-TOTAL_FORMS": "3",
        "kosten-INITIAL_FORMS": "0",
        "kosten-MIN_NUM_FORMS": "0",
        "kosten-MAX_NUM_FORMS": "30",
        "kosten-0-onderdeel": "Muziek",
        "kosten-0-bedrag": "1.250,50",
        "kosten-1-onderdeel": "",
        "kosten-1-bedrag": "",
        "kosten-2-onderdeel": "",
        "kosten-2-bedrag": "",
    }
    data.update(over)
    return data


def test_apply_with_dutch_amounts_and_malformed_ones_refused(client, werkgebied):
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    client.force_login(bewoner)
    url = reverse("bi-aanvragen", args=[werkgebied.slug])
    assert client.get(url).status_code == 200
    for fout in ("12,3,4", "1.2.3", "abc", "-5", "1,234"):
        response = client.post(url, _aanvraag_post(**{"kosten-0-bedrag": fout}))
        assert response.status_code == 400, fout
        assert not Bewonersinitiatief.objects.exists()
    response = client.post(url, _aanvraag_post(**{"kosten-0-bedrag": "1,234"}))
    assert "Hoogstens twee cijfers achter de komma" in response.content.decode()
    response = client.post(url, _aanvraag_post(**{"kosten-0-onderdeel": ""}))
    assert "Zeg waarvoor deze kosten zijn" in response.content.decode()
    response = client.post(url, _aanvraag_post())
    bi = Bewonersinitiatief.objects.get()
    assert response["Location"] == _detail(bi)
    assert str(bi.gevraagd_bedrag) == "1150.50"
    # The dot as decimal separator is read strictly too.
    response = client.post(url, _aanvraag_post(**{"kosten-0-bedrag": "99.95"}))
    assert Bewonersinitiatief.objects.order_by("-pk").first().gevraagd_bedrag == 0


def test_cosigner_refusals_on_the_page(client, werkgebied):
    bi = concept(werkgebied)
    client.force_login(bi.aanvrager)
    response = client.post(
        _stap(bi, "medeondertekenaar"),
        {"versie": bi.versie, "naam": "Ik", "email": bi.aanvrager.email},
    )
    assert response.status_code == 400
    assert "U bent de aanvrager" in response.content.decode()
    response = client.post(
        _stap(bi, "medeondertekenaar"),
        {"versie": bi.versie, "naam": "An", "email": "an@example.nl"},
    )
    assert response.status_code == 302
    response = client.post(
        _stap(bi, "medeondertekenaar"),
        {"versie": bi.versie + 1, "naam": "An", "email": "an@example.nl"},
    )
    assert "al bij de medeondertekenaars" in response.content.decode()
    # Submitting without four confirmed signatures: refused, in Dutch.
    bi.refresh_from_db()
    response = client.post(_stap(bi, "indienen"), {"versie": bi.versie})
    assert response.status_code == 400
    assert "1 van de 4" not in response.content.decode()
    assert "handtekeningen" in response.content.decode()


def test_cosigner_link_confirms_once(client, werkgebied):
    from budgets import services_bi as s

    bi = concept(werkgebied)
    m = s.medeondertekenaar_toevoegen(
        user=bi.aanvrager, initiatief=bi, naam="An", email="an@example.nl", expected_versie=1
    )
    url = reverse("bi-ondertekenen", args=[m.token])
    response = client.get(url)
    assert "Buurtfeest Rubroek" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400
    assert "12 jaar of ouder" in response.content.decode()
    assert client.post(url, {"bewoner_12_plus": "on"}).status_code == 200
    m.refresh_from_db()
    assert m.is_bevestigd
    assert client.post(url, {"bewoner_12_plus": "on"}).status_code == 400
    assert "werkt niet" in client.get(url).content.decode()


def test_decision_with_bad_amounts_books_nothing(client, werkgebied):
    bi = in_status(werkgebied, "in_beoordeling")
    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    client.force_login(wr)
    assert "De zeven spelregels" in client.get(_detail(bi)).content.decode()
    data = {"versie": bi.versie, "besluit": "toekennen", "redenen": ""}
    for code, (voldoet, toelichting) in spelregels().items():
        data[f"voldoet_{code}"] = "ja" if voldoet else "nee"
        data[f"toelichting_{code}"] = toelichting
    for bedrag, melding in (
        ("1O0", "Vul een bedrag in"),
        ("999999", "niet meer toekennen dan gevraagd"),
    ):
        response = client.post(_stap(bi, "besluit"), {**data, "bedrag": bedrag})
        assert response.status_code == 400
        assert melding in response.content.decode()
    bi.refresh_from_db()
    assert bi.status == BIStatus.IN_BEOORDELING
    assert not Boeking.objects.exists()
    response = client.post(_stap(bi, "besluit"), {**data, "bedrag": "500,00"})
    assert response.status_code == 302
    bi.refresh_from_db()
    assert bi.status == BIStatus.TOEGEKEND and str(bi.toegekend_bedrag) == "500.00"
    # The same form again (a double submit): the stale-page message, nothing more booked.
    response = client.post(_stap(bi, "besluit"), {**data, "bedrag": "500,00"}, follow=True)
    assert "gewijzigd nadat u de pagina opende" in response.content.decode()
    assert Boeking.objects.count() == 1
    assert AuditEntry.objects.filter(action="budgets.bi_toegekend").count() == 1


def test_payment_page_refuses_more_than_awarded(client, werkgebied):
    bi = in_status(werkgebied, "toegekend")
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    client.force_login(wm)
    response = client.post(_stap(bi, "uitbetalen"), {"versie": bi.versie, "bedrag": "99999"})
    assert response.status_code == 400
    assert "meer dan dat wordt niet uitbetaald" in response.content.decode()
    response = client.post(_stap(bi, "uitbetalen"), {"versie": bi.versie, "bedrag": "€ 1O"})
    assert response.status_code == 400


def test_receipts_are_validated_like_photos(client, werkgebied):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bi = in_status(werkgebied, "uitbetaald")
    client.force_login(bi.aanvrager)
    response = client.post(
        _stap(bi, "verantwoorden"),
        {
            "versie": bi.versie,
            "verslag": "Gedaan",
            "werkelijke_kosten": "800",
            "bonnen": SimpleUploadedFile("bon.exe", b"MZ\x00\x00", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "geen bon als foto" in response.content.decode()
    response = client.post(
        _stap(bi, "verantwoorden"),
        {
            "versie": bi.versie,
            "verslag": "Gedaan",
            "werkelijke_kosten": "800",
            "bonnen": SimpleUploadedFile("bon.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    bi.refresh_from_db()
    assert bi.status == BIStatus.VERANTWOORD and bi.bonnen.count() == 1


def test_public_list_shows_awarded_by_title_and_amount_only(client, werkgebied):
    toegekend = in_status(werkgebied, "toegekend")
    afgewezen = in_status(werkgebied, "afgewezen", titel="Geheim plan")
    html = client.get(reverse("bi-publiek", args=[werkgebied.slug])).content.decode()
    assert toegekend.titel in html and "850,50" in html
    assert afgewezen.titel not in html
    assert toegekend.aanvrager.naam not in html and toegekend.aanvrager.email not in html


def test_lists_have_a_fixed_number_of_queries(
    client, werkgebied, django_assert_max_num_queries, settings
):
    from django.test import Client

    # The views' own work, not the page cache's answer.
    settings.PAGE_CACHE_SECONDS = 0
    in_status(werkgebied, "toegekend")
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    lijst, publiek = (reverse(n, args=[werkgebied.slug]) for n in ("bi-lijst", "bi-publiek"))
    client.force_login(wm)
    anoniem = Client()
    client.get(lijst)
    with django_assert_max_num_queries(14) as counted:
        assert client.get(lijst).status_code == 200
    lijst_een = len(counted.captured_queries)
    with django_assert_max_num_queries(8) as counted:
        assert anoniem.get(publiek).status_code == 200
    publiek_een = len(counted.captured_queries)
    for _ in range(4):  # the budget for initiatives holds five awards
        in_status(werkgebied, "toegekend")
    client.get(lijst)  # warm again: the awards moved the version the roles are kept under
    with django_assert_max_num_queries(lijst_een):
        assert client.get(lijst).status_code == 200
    with django_assert_max_num_queries(publiek_een):
        assert anoniem.get(publiek).status_code == 200


def test_lists_are_kept_by_the_page_caches(client, werkgebied):
    in_status(werkgebied, "toegekend")
    publiek = reverse("bi-publiek", args=[werkgebied.slug])
    assert client.get(publiek)["X-Paginacache"] == "miss"
    assert client.get(publiek)["X-Paginacache"] == "hit"
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    client.force_login(wm)
    lijst = reverse("bi-lijst", args=[werkgebied.slug])
    assert client.get(lijst)["X-Gebruikerscache"] == "miss"
    assert client.get(lijst)["X-Gebruikerscache"] == "hit"
    # A new award is audited, bumps the version and so shows at once.
    nieuw = in_status(werkgebied, "toegekend", titel="Buurtfeest aan de haven")
    assert nieuw.titel in client.get(lijst).content.decode()
    client.logout()
    assert nieuw.titel in client.get(publiek).content.decode()


def test_editing_a_concept_and_a_stale_edit(client, werkgebied):
    bi = concept(werkgebied)
    client.force_login(bi.aanvrager)
    url = reverse("bi-wijzigen", args=[werkgebied.slug, bi.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_aanvraag_post(titel="Nieuw"), "versie": bi.versie})
    assert response.status_code == 302
    bi.refresh_from_db()
    assert bi.titel == "Nieuw" and bi.kostenposten.count() == 1
    response = client.post(url, {**_aanvraag_post(titel="Oud"), "versie": bi.versie - 1})
    assert response.status_code == 400
    assert "gewijzigd nadat u de pagina opende" in response.content.decode()
    bi.refresh_from_db()
    assert bi.titel == "Nieuw"


def test_mijn_wijk_lists_own_applications(client, werkgebied):
    eigen = concept(werkgebied)
    ander = concept(werkgebied, titel="Van een ander")
    client.force_login(eigen.aanvrager)
    html = client.get("/mijn-wijk/").content.decode()
    assert "Mijn bewonersinitiatieven" in html and eigen.titel in html
    assert ander.titel not in html


def test_beheerder_sets_the_regeling_in_the_admin(client, werkgebied):
    from budgets.models_bi import Regeling

    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied))
    assert client.get("/beheer/budgets/regeling/add/", follow=True).status_code == 403
    client.force_login(user_with_role(Rol.BEHEERDER))
    assert client.get("/beheer/budgets/regeling/add/").status_code == 200
    response = client.post(
        "/beheer/budgets/regeling/add/",
        {
            "werkgebied": werkgebied.pk,
            "maximum": "20000.00",
            "weken_vooraf": "6",
            "minimumleeftijd": "18",
            "beslistermijn_weken": "6",
            "verlengd_tot_weken": "20",
            "verdeling": "op_is_op",
            "beslisser": "wijkmanager",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Regeling.objects.get(werkgebied=werkgebied).beslisser == "wijkmanager"


def test_receipts_only_for_who_may_see_the_application(client, werkgebied, ander_werkgebied):
    from django.core.files.base import ContentFile

    from budgets import services_bi as s

    bi = in_status(werkgebied, "uitbetaald")
    bi = s.verantwoorden(
        user=bi.aanvrager,
        initiatief=bi,
        verslag="Gedaan",
        werkelijke_kosten=bi.uitbetaald_bedrag,
        bonnen=[(ContentFile(b"%PDF-1.4 bon", name="b.pdf"), "application/pdf")],
        expected_versie=bi.versie,
    )
    url = reverse("bi-bon", args=[werkgebied.slug, bi.pk, bi.bonnen.get().pk])
    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bon"
