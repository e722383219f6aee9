"""The wijkanalyse's content: the analysis per theme through the edit guard, its adoption
check, its pages for every role, comments on concepts, and the published snapshot."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit.models import AuditEntry
from cycle import services
from cycle.models import (
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Fase,
    Opmerking,
    Productstatus,
    Respondent,
    ThemaAnalyse,
    Wijkanalyse,
    Wijkthema,
)
from cycle.selectors import product_inhoud
from cycle.services_analyse import (
    citaat_toevoegen,
    citaat_verwijderen,
    thema_analyse_opslaan,
)
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.cycle.inhoud import met_thema
from tests.people.factories import user_with_role


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def analyse_van(cyclus) -> Wijkanalyse:
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def thema(slug="schoon") -> Wijkthema:
    return Wijkthema.objects.get(slug=slug)


def antwoord(analyse, user, tekst="Het vuil ligt naast de containers.", nummer=3):
    invulling = ChecklistInvulling.objects.create(
        wijkanalyse=analyse, user=user, respondent=Respondent.BEWONER
    )
    return ChecklistAntwoord.objects.create(
        invulling=invulling, vraag=ChecklistVraag.objects.get(nummer=nummer), tekst=tekst
    )


# ------------------------------------------------------------------ reference data


@pytest.mark.django_db
def test_reference_data_has_the_nine_themes_and_forty_questions_in_groups():
    assert list(Wijkthema.objects.values_list("naam", flat=True)) == [
        "schoon",
        "heel",
        "veilig",
        "groen en buitenruimte",
        "wonen",
        "werk en inkomen",
        "leren en opgroeien",
        "zorg en welzijn",
        "sociale samenhang",
    ]
    vragen = list(ChecklistVraag.objects.all())
    assert [v.nummer for v in vragen] == list(range(1, 41))
    assert vragen[0].tekst == "Gaat de buurt vooruit- of achteruit?"
    assert vragen[39].tekst == "Hoe kunt u deze het best aanspreken?"
    assert len({v.groep for v in vragen}) == 5


# ---------------------------------------------------------------- the edit guard


@pytest.mark.django_db
def test_theme_analysis_goes_through_the_guard_bumps_the_version_and_audits(cyclus, wijkmanager):
    analyse = analyse_van(cyclus)
    versie = analyse.versie
    t = thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=versie,
        thema=thema(),
        problemen="  Zwerfafval\r\nrond de containers  ",
    )
    assert t.problemen == "Zwerfafval\nrond de containers"
    assert analyse_van(cyclus).versie == versie + 1
    entry = AuditEntry.objects.filter(action="cycle.thema_analyse").get()
    assert entry.data["thema"] == "schoon" and entry.data["nieuw"] is True
    assert entry.data["versie"] == versie + 1

    # Saving the same text again changes nothing: no version, no audit entry.
    thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=versie + 1,
        thema=thema(),
        problemen="Zwerfafval\nrond de containers",
    )
    assert analyse_van(cyclus).versie == versie + 1
    assert AuditEntry.objects.filter(action="cycle.thema_analyse").count() == 1


@pytest.mark.django_db
def test_a_stale_edit_of_a_theme_changes_nothing(cyclus, wijkmanager):
    analyse = analyse_van(cyclus)
    oud = analyse.versie
    thema_analyse_opslaan(
        wijkanalyse=analyse, user=wijkmanager, expected_versie=oud, thema=thema(), kansen="A"
    )
    with pytest.raises(services.StaleStateError):
        thema_analyse_opslaan(
            wijkanalyse=analyse, user=wijkmanager, expected_versie=oud, thema=thema(), kansen="B"
        )
    with pytest.raises(services.StaleStateError):
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=wijkmanager,
            expected_versie=oud,
            thema=thema("veilig"),
            kansen="B",
        )
    assert list(ThemaAnalyse.objects.values_list("thema__slug", "kansen")) == [("schoon", "A")]


@pytest.mark.django_db
def test_others_cannot_write_the_analysis(cyclus, werkgebied, ander_werkgebied):
    analyse = analyse_van(cyclus)
    for user in [
        user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied),
        user_with_role(Rol.BEWONER, werkgebied=werkgebied),
        user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied),
        user_with_role(Rol.RAAD),
    ]:
        with pytest.raises(PermissionDenied):
            thema_analyse_opslaan(
                wijkanalyse=analyse,
                user=user,
                expected_versie=analyse.versie,
                thema=thema(),
                problemen="x",
            )
    assert not ThemaAnalyse.objects.exists()


@pytest.mark.django_db
def test_an_adopted_analysis_is_no_longer_written(cyclus, wijkmanager):
    analyse = services.product_update(
        product=analyse_van(cyclus),
        user=wijkmanager,
        expected_versie=analyse_van(cyclus).versie,
        data={"wijkbeschrijving": "Foto", "conclusies": "Conclusie"},
    )
    analyse = met_thema(analyse, wijkmanager)
    analyse = services.product_transition(
        product=analyse, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    with pytest.raises(services.TransitionError) as excinfo:
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=wijkmanager,
            expected_versie=analyse.versie,
            thema=thema("veilig"),
            problemen="Te laat",
        )
    assert "niet meer worden gewijzigd" in excinfo.value.message
    assert ThemaAnalyse.objects.count() == 1


@pytest.mark.django_db
def test_an_inactive_theme_cannot_be_started_but_an_analysed_one_stays(cyclus, wijkmanager):
    analyse = analyse_van(cyclus)
    thema_analyse_opslaan(
        wijkanalyse=analyse, user=wijkmanager, expected_versie=analyse.versie, thema=thema()
    )
    Wijkthema.objects.filter(slug__in=["schoon", "wonen"]).update(actief=False)
    analyse = analyse_van(cyclus)
    with pytest.raises(ValidationError):
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=wijkmanager,
            expected_versie=analyse.versie,
            thema=thema("wonen"),
            problemen="x",
        )
    thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=analyse.versie,
        thema=thema(),
        problemen="Nog steeds",
    )
    assert ThemaAnalyse.objects.get().problemen == "Nog steeds"


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_two_themes_from_one_page_let_one_through(werkgebied, make_cycle):
    """Two tabs read the analysis at the same version and save different themes at the same
    moment: the header lock serialises them, and the second sees it is stale."""
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    analyse = analyse_van(cyclus)
    versie = analyse.versie
    start = threading.Barrier(2)
    uitkomsten = []

    def tab(slug):
        try:
            start.wait()
            thema_analyse_opslaan(
                wijkanalyse=analyse,
                user=wijkmanager,
                expected_versie=versie,
                thema=thema(slug),
                problemen=slug,
            )
            uitkomsten.append("opgeslagen")
        except services.StaleStateError:
            uitkomsten.append("verouderd")
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(s,)) for s in ("schoon", "veilig")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(uitkomsten) == ["opgeslagen", "verouderd"]
    assert ThemaAnalyse.objects.count() == 1
    assert analyse_van(cyclus).versie == versie + 1


# ------------------------------------------------------------------------- quotes


@pytest.mark.django_db
def test_quoting_an_answer_creates_the_theme_and_counts_as_evidence(
    cyclus, wijkmanager, werkgebied
):
    analyse = analyse_van(cyclus)
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    a = antwoord(analyse, bewoner)
    citaat_toevoegen(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=analyse.versie,
        antwoord=a,
        thema=thema("schoon"),
    )
    t = ThemaAnalyse.objects.get()
    assert list(t.citaten.all()) == [a]
    # Evidence, but nothing said about the theme yet.
    assert analyse_van(cyclus).ontbreekt()[-1] == "1 thema zonder sterktes, problemen of kansen"
    assert "thema zonder onderbouwing" not in " ".join(analyse_van(cyclus).ontbreekt())
    citaat_verwijderen(
        thema_analyse=t, user=wijkmanager, expected_versie=analyse_van(cyclus).versie, antwoord=a
    )
    assert not t.citaten.exists()
    assert ChecklistAntwoord.objects.filter(pk=a.pk).exists()


@pytest.mark.django_db
def test_an_answer_of_another_cycle_cannot_be_quoted(cyclus, wijkmanager, werkgebied, make_cycle):
    ander = analyse_van(make_cycle(werkgebied, jaar=2028, fase=Fase.ANALYSE))
    a = antwoord(ander, user_with_role(Rol.BEWONER, werkgebied=werkgebied))
    analyse = analyse_van(cyclus)
    with pytest.raises(ValidationError):
        citaat_toevoegen(
            wijkanalyse=analyse,
            user=wijkmanager,
            expected_versie=analyse.versie,
            antwoord=a,
            thema=thema(),
        )
    assert not ThemaAnalyse.objects.exists()
    assert analyse_van(cyclus).versie == analyse.versie


# ----------------------------------------------------------------- adoption check


@pytest.mark.django_db
def test_adoption_check_lists_exactly_what_is_missing(cyclus, wijkmanager):
    analyse = analyse_van(cyclus)
    assert analyse.ontbreekt() == [
        "wijkfoto: beschrijving van de wijk",
        "conclusies en aanbevelingen",
        "nog geen enkel thema geanalyseerd",
    ]
    for slug in ("schoon", "veilig"):
        thema_analyse_opslaan(
            wijkanalyse=analyse,
            user=wijkmanager,
            expected_versie=analyse_van(cyclus).versie,
            thema=thema(slug),
        )
    thema_analyse_opslaan(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=analyse_van(cyclus).versie,
        thema=thema("heel"),
        sterktes="Nieuwe speelplekken",
    )
    assert analyse_van(cyclus).ontbreekt()[2:] == [
        "2 thema's zonder sterktes, problemen of kansen",
        "3 thema's zonder onderbouwing",
    ]
    with pytest.raises(services.TransitionError) as excinfo:
        services.product_transition(
            product=analyse_van(cyclus),
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert "2 thema's zonder sterktes, problemen of kansen" in excinfo.value.message
    assert analyse_van(cyclus).status == Productstatus.CONCEPT


# ------------------------------------------------------------------------- pages

THEMA_URL = "/werkgebieden/crooswijk/2027/wijkanalyse/themas/schoon/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_theme_pages_for_every_role(client, roles, role, cyclus):
    user, runs = roles[role]
    if user is not None:
        client.force_login(user)
    analyse = analyse_van(cyclus)
    get = client.get(THEMA_URL)
    post = client.post(THEMA_URL, {"problemen": "Zwerfafval", "versie": analyse.versie})
    if user is None:
        assert get.status_code == post.status_code == 302
        assert get["Location"].startswith("/inloggen/")
    elif runs:
        assert get.status_code == 200
        assert post.status_code == 302
        assert post["Location"].endswith("/wijkanalyse/#thema-schoon")
    else:
        assert get.status_code == post.status_code == 403
    assert ThemaAnalyse.objects.filter(problemen="Zwerfafval").exists() == runs
    analyse = analyse_van(cyclus)
    for url in [
        f"{THEMA_URL}verwijderen/",
        f"{THEMA_URL}citaten/999/verwijderen/",
    ]:
        response = client.post(url, {"versie": analyse.versie})
        if user is None:
            assert response.status_code == 302 and "/inloggen/" in response["Location"]
        elif not runs:
            assert response.status_code == 403
    assert ThemaAnalyse.objects.exists() is False


@pytest.mark.django_db
def test_theme_form_keeps_the_text_on_a_stale_version_and_on_bad_input(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    oud = analyse_van(cyclus).versie
    met_thema(analyse_van(cyclus), wijkmanager, slug="veilig")  # another tab saved
    response = client.post(THEMA_URL, {"kansen": "Mijn lange tekst", "versie": oud})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in html
    assert "Mijn lange tekst" in html
    assert not ThemaAnalyse.objects.filter(thema__slug="schoon").exists()

    response = client.post(THEMA_URL, {"kansen": "x" * 5001, "versie": analyse_van(cyclus).versie})
    assert response.status_code == 200
    assert "Maximaal 5000 tekens (nu 5001)." in response.content.decode()
    response = client.post(THEMA_URL, {"kansen": "Mijn tekst", "versie": "kapot"})
    assert response.status_code == 200
    assert "Het formulier is onvolledig verstuurd" in response.content.decode()
    assert (
        client.get("/werkgebieden/crooswijk/2027/wijkanalyse/themas/bestaat-niet/").status_code
        == 404
    )


@pytest.mark.django_db
def test_a_theme_is_removed_and_a_stale_remove_changes_nothing(client, cyclus, wijkmanager):
    analyse = met_thema(analyse_van(cyclus), wijkmanager)
    client.force_login(wijkmanager)
    response = client.post(f"{THEMA_URL}verwijderen/", {"versie": analyse.versie - 1})
    assert response.status_code == 302
    assert ThemaAnalyse.objects.exists()
    response = client.post(f"{THEMA_URL}verwijderen/", {"versie": analyse.versie}, follow=True)
    assert "Het thema ‘schoon’ is uit de analyse gehaald." in response.content.decode()
    assert not ThemaAnalyse.objects.exists()


@pytest.mark.django_db
def test_the_analysis_page_shows_the_four_parts_with_a_fixed_number_of_queries(
    client, cyclus, wijkmanager, werkgebied, django_assert_max_num_queries
):
    url = "/werkgebieden/crooswijk/2027/wijkanalyse/"
    client.force_login(wijkmanager)
    analyse = met_thema(analyse_van(cyclus), wijkmanager)
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    a = antwoord(analyse, bewoner, tekst="Citaat van een bewoner")
    citaat_toevoegen(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=analyse.versie,
        antwoord=a,
        thema=thema(),
    )
    client.get(url)
    with django_assert_max_num_queries(30) as weinig:
        html = client.get(url).content.decode()
    # Counted before the city grows below.
    n = len(weinig.captured_queries)
    for kop in ["1. Wijkfoto", "2. Evaluatie", "3. Analyse per thema", "4. Conclusies"]:
        assert kop in html
    assert "Citaat van een bewoner" in html
    assert "een bewoner, op vraag 3" in html
    assert bewoner.email not in html and bewoner.naam not in html
    # Many more themes and quotes cost no more queries.
    for slug in ["heel", "veilig", "wonen", "zorg-en-welzijn"]:
        met_thema(analyse_van(cyclus), wijkmanager, slug=slug)
        for nummer in (1, 2):
            b = antwoord(
                analyse,
                user_with_role(Rol.BEWONER, werkgebied=werkgebied),
                tekst=f"{slug} {nummer}",
                nummer=nummer,
            )
            citaat_toevoegen(
                wijkanalyse=analyse_van(cyclus),
                user=wijkmanager,
                expected_versie=analyse_van(cyclus).versie,
                antwoord=b,
                thema=thema(slug),
            )
    client.get(url)  # the barometer is read again once after a change (under the new version)
    with django_assert_max_num_queries(n):
        html = client.get(url).content.decode()
    assert "zorg-en-welzijn 2" in html


@pytest.mark.django_db
def test_the_public_reads_a_published_analysis_without_edit_controls(
    client, werkgebied, make_cycle
):
    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)  # analysis adopted and published
    html = client.get("/werkgebieden/crooswijk/2027/wijkanalyse/").content.decode()
    assert "Zwerfafval en bijplaatsingen rond de winkelstraat" in html
    assert "bewerken" not in html.lower().split("<main", 1)[1].split("</main>")[0]
    assert "Opmerkingen bij het concept" not in html


# ---------------------------------------------------------------------- comments


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_comments_on_a_concept_for_every_role(client, roles, role, cyclus):
    user, runs = roles[role]
    mag = runs or role == "wijkraadslid"
    if user is not None:
        client.force_login(user)
    url = "/werkgebieden/crooswijk/2027/wijkanalyse/opmerkingen/"
    response = client.post(url, {"tekst": f"Opmerking van {role}"})
    if user is None:
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    elif mag:
        assert response.status_code == 302
        assert response["Location"].endswith("/wijkanalyse/#opmerkingen")
    else:
        assert response.status_code in (302, 403)
    assert Opmerking.objects.filter(tekst=f"Opmerking van {role}").exists() == mag
    page = client.get("/werkgebieden/crooswijk/2027/wijkanalyse/")
    if page.status_code == 200:
        html = page.content.decode()
        zichtbaar = role in {
            "wijkmanager",
            "wijkmanager via gebied",
            "accounthouder",
            "wijkraadslid",
            "beheerder",
        }
        assert ("Opmerkingen bij het concept" in html) == zichtbaar


@pytest.mark.django_db
def test_comments_refuse_empty_and_adopted(client, cyclus, werkgebied, wijkmanager):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    client.force_login(lid)
    url = "/werkgebieden/crooswijk/2027/wijkanalyse/opmerkingen/"
    response = client.post(url, {"tekst": "   "}, follow=True)
    assert "Schrijf eerst uw opmerking." in response.content.decode()
    response = client.post(url, {"tekst": "x" * 3001}, follow=True)
    assert "hoogstens 3000 tekens" in response.content.decode()
    assert not Opmerking.objects.exists()
    analyse = services.product_update(
        product=analyse_van(cyclus),
        user=wijkmanager,
        expected_versie=analyse_van(cyclus).versie,
        data={"wijkbeschrijving": "Foto", "conclusies": "Conclusie"},
    )
    analyse = met_thema(analyse, wijkmanager)
    services.product_transition(
        product=analyse, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    response = client.post(url, {"tekst": "Te laat"}, follow=True)
    assert "Bij dit stuk kunnen geen opmerkingen meer worden geplaatst." in (
        response.content.decode()
    )
    assert not Opmerking.objects.exists()


# ---------------------------------------------------------------------- snapshot


@pytest.mark.django_db
def test_the_snapshot_shows_the_structure(werkgebied, make_cycle):
    from publication.models import Publicatie

    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    publicatie = Publicatie.objects.get(soort="wijkanalyse")
    html = publicatie.html
    for tekst in [
        "Wijkfoto",
        "Analyse per thema",
        "Zwerfafval en bijplaatsingen rond de winkelstraat",
        "Buurtpreventieteams in twee buurten.",
        "Conclusies en aanbevelingen",
    ]:
        assert tekst in html, tekst
    assert product_inhoud(analyse_van(werkgebied.cycli.get()), None)["themas"]


@pytest.mark.django_db
def test_the_agenda_snapshot_shows_the_ranked_points_and_the_signals(werkgebied, make_cycle):
    from publication.models import Publicatie

    make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    html = Publicatie.objects.get(soort="wijkagenda").html
    eerste = html.index("1. Schone straten rond de winkelstraat")
    tweede = html.index("2. Veilige schoolroutes")
    derde = html.index("3. Speelplekken voor en met kinderen")
    assert eerste < tweede < derde
    assert "Inzamelschema grofvuil past niet bij de wijk" in html
    assert "Gericht aan Stadsbeheer" in html


@pytest.mark.django_db
def test_the_kept_content_gets_each_requests_csrf_token_and_follows_changes(
    cyclus, wijkmanager, django_assert_max_num_queries
):
    """The content of a product page is kept per user; its forms carry the token of the
    request that shows them (a new sign-in rotates the secret), and a change shows at once."""
    from django.test import Client

    url = "/werkgebieden/crooswijk/2027/wijkanalyse/"
    analyse = met_thema(analyse_van(cyclus), wijkmanager)
    eerste = Client(enforce_csrf_checks=True)
    eerste.force_login(wijkmanager)
    with django_assert_max_num_queries(40) as vers:
        eerste.get(url)
    n = len(vers.captured_queries)

    tweede = Client(enforce_csrf_checks=True)
    tweede.force_login(wijkmanager)
    with django_assert_max_num_queries(n - 5):  # the content comes from the cache
        html = tweede.get(url).content.decode()
    actie = f'action="{THEMA_URL}verwijderen/"'
    formulier = html.split(actie, 1)[1]
    token = formulier.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert not token.startswith("csrf-")
    response = tweede.post(
        f"{THEMA_URL}verwijderen/", {"versie": analyse.versie, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not ThemaAnalyse.objects.exists()
    html = tweede.get(url).content.decode()
    assert "Thema ‘schoon’ weghalen" not in html
    assert "Nog geen thema geanalyseerd." in html


@pytest.mark.django_db
def test_a_published_analysis_is_kept_in_the_public_page_cache(
    client, werkgebied, make_cycle, django_assert_max_num_queries
):
    """The kept content must not ask for a CSRF token on an anonymous page: that would set a
    cookie, and a page that sets one is never kept for the public."""
    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    url = "/werkgebieden/crooswijk/2027/wijkanalyse/"
    first = client.get(url)
    assert "csrftoken" not in first.cookies
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200
