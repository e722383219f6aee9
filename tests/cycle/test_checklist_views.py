"""The checklist pages: every view and action for every role in and out of scope (and with an
expired role), filling in with bad and stale input, the read-only page once closed, the
wijkmanager's overview and quoting from it, the block on the wijkanalyse page, "Mijn werk",
and the number of queries with 2 and with 30 respondents."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cycle.models import (
    ChecklistAntwoord,
    ChecklistInvulling,
    Fase,
    Productstatus,
    Respondent,
    ThemaAnalyse,
    Wijkanalyse,
    Wijkthema,
)
from cycle.selectors_checklist import checklist_blok, open_checklists
from cycle.services_analyse import citaat_toevoegen
from cycle.services_checklist import checklist_opslaan
from people.models import Rol
from people.roles import active_assignments
from tests.conftest import ROLE_NAMES
from tests.people.factories import ClusterFactory, RoltoewijzingFactory, user_with_role
from tests.places.factories import WerkgebiedFactory

# The respondent type each role answers as (the roles out of scope try the same).
RESPONDENT_VAN = {
    "bewoner (geen rol)": "bewoner",
    "bewoner": "bewoner",
    "wijkmanager": "wijkmanager",
    "wijkmanager via gebied": "wijkmanager",
    "wijkmanager ander werkgebied": "wijkmanager",
    "wijkmanager ander gebied": "wijkmanager",
    "accounthouder": "accounthouder",
    "accounthouder ander gebied": "accounthouder",
    "wijkraadslid": "wijkraadslid",
    "wijkraadslid ander werkgebied": "wijkraadslid",
    "raad": "bewoner",
    "beheerder": "wijkmanager",
    "anoniem": "bewoner",
}
MAY_FILL = {"bewoner", "wijkmanager", "wijkmanager via gebied", "accounthouder", "wijkraadslid"}
RUNNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


@pytest.fixture
def analyse(cyclus):
    return verse(cyclus.wijkanalyse)


@pytest.fixture
def bewoner(werkgebied):
    return user_with_role(Rol.BEWONER, werkgebied=werkgebied)


@pytest.fixture
def urls(werkgebied):
    base = f"/werkgebieden/{werkgebied.slug}/2027/checklist/"
    return {
        "invullen": base,
        "antwoorden": f"{base}antwoorden/",
        "citeren": lambda pk: f"{base}antwoorden/{pk}/citeren/",
        "verwijderen": lambda pk: f"{base}antwoorden/{pk}/citaat-verwijderen/",
    }


def verse(analyse):
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(pk=analyse.pk)


def invullen(analyse, user, antwoorden, respondent=Respondent.BEWONER, versie=None):
    return checklist_opslaan(
        wijkanalyse=analyse,
        user=user,
        respondent=respondent,
        antwoorden=antwoorden,
        expected_versie=versie,
    )


def citeer(analyse, user, antwoord, slug="schoon"):
    return citaat_toevoegen(
        wijkanalyse=analyse,
        user=user,
        expected_versie=verse(analyse).versie,
        antwoord=antwoord,
        thema=Wijkthema.objects.get(slug=slug),
    )


def login(client, user):
    if user is not None:
        client.force_login(user)


def expect(response, *, allowed: bool, anonymous: bool):
    if allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/inloggen/" not in response["Location"]
    elif anonymous:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")
    else:
        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()


def text(response) -> str:
    return response.content.decode()


def textarea(tekst: str) -> str:
    """How a textarea holding ``tekst`` ends in the HTML (Django starts it on a new line)."""
    return f"\n{tekst}</textarea>"


def verlopen_rol(rol, **scope):
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    return RoltoewijzingFactory(
        rol=rol, geldig_vanaf=gisteren - datetime.timedelta(days=30), geldig_tot=gisteren, **scope
    ).user


# ------------------------------------------------------------------------- the matrix


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_fill_in_page_per_role(client, roles, cyclus, urls, role):
    user, _ = roles[role]
    login(client, user)
    response = client.get(urls["invullen"])
    expect(response, allowed=role in MAY_FILL, anonymous=user is None)
    if role in MAY_FILL:
        assert response.status_code == 200
        assert text(response).count("<textarea") == 40
    elif user is not None:
        # A clear page: whose checklist this is.
        assert "is voor de bewoners van dit werkgebied" in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_fill_in_post_per_role(client, roles, cyclus, urls, role):
    user, _ = roles[role]
    login(client, user)
    respondent = RESPONDENT_VAN[role]
    response = client.post(urls["invullen"], {"respondent": respondent, "vraag_1": "Vooruit"})
    expect(response, allowed=role in MAY_FILL, anonymous=user is None)
    if role in MAY_FILL:
        assert response["Location"] == f"{urls['invullen']}?als={respondent}"
        assert ChecklistInvulling.objects.get().respondent == respondent
    else:
        assert not ChecklistInvulling.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_overview_per_role(client, roles, analyse, bewoner, urls, role):
    invullen(analyse, bewoner, {1: "Een antwoord van een bewoner"})
    user, _ = roles[role]
    login(client, user)
    response = client.get(urls["antwoorden"])
    expect(response, allowed=role in RUNNERS, anonymous=user is None)
    assert ("Een antwoord van een bewoner" in text(response)) == (role in RUNNERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_quote_and_unquote_per_role(client, roles, analyse, bewoner, urls, role):
    invulling = invullen(analyse, bewoner, {1: "Vooruit", 2: "Schoner"})
    eerste, tweede = ChecklistAntwoord.objects.filter(invulling=invulling).order_by("vraag")
    beheerder = user_with_role(Rol.BEHEERDER)
    analyse_thema = citeer(analyse, beheerder, tweede)
    user, _ = roles[role]
    login(client, user)
    schoon = Wijkthema.objects.get(slug="schoon")

    response = client.post(
        urls["citeren"](eerste.pk), {"thema": schoon.pk, "versie": verse(analyse).versie}
    )
    expect(response, allowed=role in RUNNERS, anonymous=user is None)
    assert eerste.themaanalyses.exists() == (role in RUNNERS)

    response = client.post(
        urls["verwijderen"](tweede.pk),
        {"thema_analyse": analyse_thema.pk, "versie": verse(analyse).versie},
    )
    expect(response, allowed=role in RUNNERS, anonymous=user is None)
    assert tweede.themaanalyses.exists() == (role not in RUNNERS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rol", "respondent"),
    [
        (Rol.BEWONER, "bewoner"),
        (Rol.WIJKMANAGER, "wijkmanager"),
        (Rol.ACCOUNTHOUDER, "accounthouder"),
        (Rol.WIJKRAADSLID, "wijkraadslid"),
    ],
)
def test_expired_roles_are_refused_everywhere(client, analyse, werkgebied, urls, rol, respondent):
    scope = (
        {"gebied": werkgebied.gebied, "cluster": ClusterFactory(slug="stadsbeheer")}
        if rol == Rol.ACCOUNTHOUDER
        else {"werkgebied": werkgebied}
    )
    invulling = invullen(
        analyse, user_with_role(Rol.BEWONER, werkgebied=werkgebied), {1: "Vooruit"}
    )
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling)
    client.force_login(verlopen_rol(rol, **scope))
    for response in [
        client.get(urls["invullen"]),
        client.post(urls["invullen"], {"respondent": respondent, "vraag_1": "x"}),
        client.get(urls["antwoorden"]),
        client.post(urls["citeren"](antwoord.pk), {"thema": 1, "versie": analyse.versie}),
    ]:
        expect(response, allowed=False, anonymous=False)
    assert ChecklistInvulling.objects.count() == 1
    assert not ThemaAnalyse.objects.filter(citaten=antwoord).exists()


@pytest.mark.django_db
def test_quote_urls_are_post_only(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit"})
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling)
    client.force_login(wijkmanager)
    assert client.get(urls["citeren"](antwoord.pk)).status_code == 405
    assert client.get(urls["verwijderen"](antwoord.pk)).status_code == 405
    # An unknown or absurd answer id: not found, never an error page.
    for pk in (999999, 10**15, 10**30):
        response = client.post(urls["citeren"](pk), {"thema": 1, "versie": 1})
        assert response.status_code == 404


# ---------------------------------------------------------------------------- filling in


@pytest.mark.django_db
def test_the_form_has_the_questions_in_fieldsets_per_group(client, analyse, bewoner, urls):
    client.force_login(bewoner)
    html = text(client.get(urls["invullen"]))
    assert html.count("<fieldset") == 5
    assert len(re.findall(r"<legend[^>]*>", html)) == 5
    assert "De wijk en haar problemen" in html
    assert "Gaat de buurt vooruit- of achteruit?" in html
    assert 'name="respondent" value="bewoner"' in html
    # One role: no choice of type.
    assert "Invullen als" not in html
    assert 'required id="id_vraag_1"' not in html


@pytest.mark.django_db
def test_save_then_change_an_answer(client, analyse, bewoner, urls):
    client.force_login(bewoner)
    response = client.post(
        urls["invullen"],
        {"respondent": "bewoner", "versie": "", "vraag_1": "Vooruit", "vraag_3": "Zwerfafval"},
        follow=True,
    )
    html = text(response)
    assert "Uw antwoorden zijn opgeslagen" in html
    assert textarea("Zwerfafval") in html
    assert 'name="versie" value="1"' in html
    response = client.post(
        urls["invullen"],
        {"respondent": "bewoner", "versie": "1", "vraag_1": "Vooruit", "vraag_3": "Bijplaatsingen"},
        follow=True,
    )
    assert textarea("Bijplaatsingen") in text(response)
    invulling = ChecklistInvulling.objects.get()
    assert invulling.versie == 2
    assert ChecklistAntwoord.objects.get(invulling=invulling, vraag__nummer=3).tekst == (
        "Bijplaatsingen"
    )
    # The analysis itself was not touched.
    assert verse(analyse).versie == analyse.versie


@pytest.mark.django_db
def test_a_stale_tab_and_a_double_first_submit_change_nothing(client, analyse, bewoner, urls):
    client.force_login(bewoner)
    data = {"respondent": "bewoner", "versie": "", "vraag_1": "Eerste klik"}
    assert client.post(urls["invullen"], data).status_code == 302
    dubbel = client.post(urls["invullen"], {**data, "vraag_1": "Tweede klik"})
    assert dubbel.status_code == 200
    assert "ergens anders opgeslagen" in text(dubbel)
    assert textarea("Tweede klik") in text(dubbel)  # what they typed is still there
    client.post(urls["invullen"], {**data, "versie": "1", "vraag_1": "Nieuw tabblad"})
    oud = client.post(urls["invullen"], {**data, "versie": "1", "vraag_1": "Oud tabblad"})
    assert "ergens anders opgeslagen" in text(oud)
    assert ChecklistAntwoord.objects.get().tekst == "Nieuw tabblad"


@pytest.mark.django_db
def test_bad_input_gets_a_dutch_message_and_keeps_what_was_typed(client, analyse, bewoner, urls):
    client.force_login(bewoner)
    lang = client.post(
        urls["invullen"],
        {"respondent": "bewoner", "vraag_1": "Bewaard", "vraag_3": "x" * 2001},
    )
    assert lang.status_code == 200
    assert "ten hoogste 2000 tekens lang (dit zijn er 2001)" in text(lang)
    assert textarea("Bewaard") in text(lang)
    leeg = client.post(urls["invullen"], {"respondent": "bewoner", "vraag_1": "  "})
    assert "Vul minstens één vraag in" in text(leeg)
    for hostile in [
        {"respondent": "bewoner", "versie": "abc", "vraag_1": "x"},
        {"respondent": "bewoner", "versie": "-1", "vraag_1": "x"},
        {"respondent": "", "vraag_1": "x"},
        {"respondent": "burgemeester", "vraag_1": "x"},
        {"respondent": "bewoner", "vraag_1": "nul\x00teken"},
        {"respondent": "bewoner", "vraag_99": "bestaat niet"},
        {"respondent": "bewoner", "versie": str(10**30), "vraag_1": "x"},
    ]:
        response = client.post(urls["invullen"], hostile)
        assert response.status_code == 200, hostile
        assert 'class="alert alert-block alert-danger"' in text(response) or "invalid-feedback" in (
            text(response)
        )
    # A type the user does not hold: refused outright.
    response = client.post(urls["invullen"], {"respondent": "wijkmanager", "vraag_1": "x"})
    assert response.status_code == 403
    assert not ChecklistInvulling.objects.exists()


@pytest.mark.django_db
def test_someone_with_two_roles_chooses_as_whom(client, analyse, werkgebied, urls):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    RoltoewijzingFactory(user=lid, rol=Rol.BEWONER, werkgebied=werkgebied)
    client.force_login(lid)
    html = text(client.get(urls["invullen"]))
    assert 'aria-label="Invullen als"' in html
    assert 'name="respondent" value="wijkraadslid"' in html
    html = text(client.get(f"{urls['invullen']}?als=bewoner"))
    assert 'name="respondent" value="bewoner"' in html
    # Asking for a type they do not hold gives their first.
    html = text(client.get(f"{urls['invullen']}?als=wijkmanager"))
    assert 'name="respondent" value="wijkraadslid"' in html


@pytest.mark.django_db
def test_a_quoted_answer_is_read_only_in_the_form(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit", 2: "Schoner"})
    citeer(analyse, wijkmanager, ChecklistAntwoord.objects.get(invulling=invulling, vraag=1))
    client.force_login(bewoner)
    html = text(client.get(urls["invullen"]))
    assert re.search(r'<textarea[^>]*disabled[^>]*id="id_vraag_1"', html)
    assert "geciteerd in de wijkanalyse en ligt daarom vast" in html
    # Sending it anyway (a forged form) changes nothing about it.
    response = client.post(
        urls["invullen"],
        {"respondent": "bewoner", "versie": "1", "vraag_1": "", "vraag_2": "Veel schoner"},
        follow=True,
    )
    assert "Uw antwoorden zijn opgeslagen" in text(response)
    assert dict(
        ChecklistAntwoord.objects.filter(invulling=invulling).values_list("vraag_id", "tekst")
    ) == {1: "Vooruit", 2: "Veel schoner"}


@pytest.mark.django_db
def test_once_closed_the_page_shows_the_answers_read_only(client, analyse, bewoner, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit"})
    Wijkanalyse.objects.filter(pk=analyse.pk).update(status=Productstatus.VASTGESTELD)
    client.force_login(bewoner)
    html = text(client.get(urls["invullen"]))
    assert "De checklist is gesloten" in html
    assert "<textarea" not in html
    assert "Vooruit" in html
    assert "Niet beantwoord." in html
    response = client.post(
        urls["invullen"], {"respondent": "bewoner", "versie": "1", "vraag_1": "Achteruit"}
    )
    assert response.status_code == 200
    assert "De checklist van deze wijkanalyse is gesloten" in text(response)
    assert ChecklistAntwoord.objects.get(invulling=invulling).tekst == "Vooruit"


# ---------------------------------------------------------------- the overview and quoting


def _respondenten(analyse, werkgebied, aantal: int) -> list:
    """``aantal`` respondents of every type, each answering every question."""
    cluster = ClusterFactory(slug="stadsbeheer")
    soorten = [
        (Rol.BEWONER, {"werkgebied": werkgebied}),
        (Rol.WIJKMANAGER, {"werkgebied": werkgebied}),
        (Rol.ACCOUNTHOUDER, {"gebied": werkgebied.gebied, "cluster": cluster}),
        (Rol.WIJKRAADSLID, {"werkgebied": werkgebied}),
    ]
    users = []
    for index in range(aantal):
        rol, scope = soorten[index % len(soorten)]
        user = user_with_role(rol, **scope)
        invullen(
            analyse,
            user,
            {n: f"Antwoord {n} van respondent {index}" for n in range(1, 41)},
            respondent=rol.value,
        )
        users.append(user)
    return users


@pytest.mark.django_db
def test_the_overview_shows_types_and_numbers_never_names(
    client, analyse, werkgebied, wijkmanager, urls
):
    users = _respondenten(analyse, werkgebied, 5)
    client.force_login(wijkmanager)
    html = text(client.get(urls["antwoorden"]))
    assert "Ingevuld door 5 respondenten" in html
    for label in ["bewoner 1", "bewoner 2", "wijkmanager 1", "accounthouder 1", "wijkraadslid 1"]:
        assert label in html
    for user in users:
        assert user.naam not in html
        assert user.email not in html
    assert "Antwoord 1 van respondent 4" in html
    assert "Antwoord 9 van respondent 0" not in html  # question 9 is in the second group
    assert html.count('<section aria-labelledby="vraag-') == 8
    tweede = text(client.get(f"{urls['antwoorden']}?groep=2"))
    assert "Antwoord 9 van respondent 0" in tweede
    assert "Wie kan er iets aan doen" in tweede
    # Anything else in the query string gives a page, not an error.
    assert client.get(f"{urls['antwoorden']}?groep=abc").status_code == 200
    assert "Aan de slag" in text(client.get(f"{urls['antwoorden']}?groep=99"))


@pytest.mark.django_db
def test_quoting_an_answer_in_a_theme(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit", 10: "Meehelpen met opruimen"})
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling, vraag__nummer=10)
    client.force_login(wijkmanager)
    html = text(client.get(f"{urls['antwoorden']}?groep=2"))
    assert "Citeren bij thema" in html
    assert f'name="versie" value="{analyse.versie}"' in html
    schoon = Wijkthema.objects.get(slug="schoon")
    response = client.post(
        urls["citeren"](antwoord.pk), {"thema": schoon.pk, "versie": analyse.versie}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{urls['antwoorden']}?groep=2#antwoord-{antwoord.pk}"
    assert list(antwoord.themaanalyses.values_list("thema__slug", flat=True)) == ["schoon"]
    assert verse(analyse).versie == analyse.versie + 1
    html = text(client.get(response["Location"]))
    assert "geciteerd bij het thema ‘schoon’" in html
    assert "Geciteerd bij:" in html


@pytest.mark.django_db
def test_quoting_from_a_stale_page_changes_nothing(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit", 2: "Schoner"})
    eerste, tweede = ChecklistAntwoord.objects.filter(invulling=invulling).order_by("vraag")
    client.force_login(wijkmanager)
    gelezen = analyse.versie
    schoon = Wijkthema.objects.get(slug="schoon")
    client.post(urls["citeren"](eerste.pk), {"thema": schoon.pk, "versie": gelezen})
    response = client.post(
        urls["citeren"](tweede.pk), {"thema": schoon.pk, "versie": gelezen}, follow=True
    )
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in text(response)
    assert not tweede.themaanalyses.exists()
    assert verse(analyse).versie == gelezen + 1


@pytest.mark.django_db
def test_an_answer_of_another_cycle_cannot_be_quoted(
    client, analyse, werkgebied, bewoner, wijkmanager, make_cycle, urls
):
    elders = WerkgebiedFactory(gebied=werkgebied.gebied)
    ander = verse(make_cycle(elders, jaar=2027, fase=Fase.ANALYSE).wijkanalyse)
    buur = user_with_role(Rol.BEWONER, werkgebied=elders)
    vreemd = ChecklistAntwoord.objects.get(invulling=invullen(ander, buur, {1: "Elders"}))
    vorig = verse(make_cycle(werkgebied, jaar=2026, fase=Fase.ANALYSE).wijkanalyse)
    oud = ChecklistAntwoord.objects.get(invulling=invullen(vorig, bewoner, {1: "Vorig jaar"}))
    client.force_login(wijkmanager)
    schoon = Wijkthema.objects.get(slug="schoon")
    for antwoord in (vreemd, oud):
        response = client.post(
            urls["citeren"](antwoord.pk),
            {"thema": schoon.pk, "versie": analyse.versie},
            follow=True,
        )
        assert "hoort niet bij de checklist van deze wijkanalyse" in text(response)
        assert not antwoord.themaanalyses.exists()
    assert verse(analyse).versie == analyse.versie
    assert not ThemaAnalyse.objects.exists()


@pytest.mark.django_db
def test_bad_quote_input_is_refused_with_a_message(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit"})
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling)
    Wijkthema.objects.filter(slug="heel").update(actief=False)
    heel = Wijkthema.objects.get(slug="heel")
    client.force_login(wijkmanager)
    for data, bericht in [
        ({"versie": analyse.versie}, "Kies het thema"),
        ({"thema": heel.pk, "versie": analyse.versie}, "bestaat niet (meer)"),
        ({"thema": "10000000000000", "versie": analyse.versie}, "bestaat niet (meer)"),
        ({"thema": "abc", "versie": "abc"}, "bestaat niet (meer)"),
        ({"thema": str(10**30), "versie": str(10**30)}, "bestaat niet (meer)"),
    ]:
        response = client.post(urls["citeren"](antwoord.pk), data, follow=True)
        assert response.status_code == 200
        assert bericht in text(response), data
    response = client.post(
        urls["verwijderen"](antwoord.pk), {"thema_analyse": "x", "versie": "1"}, follow=True
    )
    assert "onvolledig verstuurd" in text(response)
    response = client.post(
        urls["verwijderen"](antwoord.pk),
        {"thema_analyse": 10**30, "versie": 10**30},
        follow=True,
    )
    assert response.status_code == 200
    assert not antwoord.themaanalyses.exists()
    assert verse(analyse).versie == analyse.versie


@pytest.mark.django_db
def test_removing_a_quote(client, analyse, bewoner, wijkmanager, urls):
    invulling = invullen(analyse, bewoner, {1: "Vooruit"})
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling)
    analyse_thema = citeer(analyse, wijkmanager, antwoord)
    client.force_login(wijkmanager)
    html = text(client.get(urls["antwoorden"]))
    assert "het citaat van bewoner 1 bij ‘schoon’" in html
    response = client.post(
        urls["verwijderen"](antwoord.pk),
        {"thema_analyse": analyse_thema.pk, "versie": verse(analyse).versie},
        follow=True,
    )
    assert "is verwijderd uit het thema ‘schoon’" in text(response)
    assert not antwoord.themaanalyses.exists()


@pytest.mark.django_db
def test_after_the_phase_no_quoting_but_the_answers_stay_readable(
    client, werkgebied, make_cycle, wijkmanager, urls
):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    analyse = verse(cyclus.wijkanalyse)
    invullen(analyse, user_with_role(Rol.BEWONER, werkgebied=werkgebied), {1: "Vooruit"})
    antwoord = ChecklistAntwoord.objects.get()
    Wijkanalyse.objects.filter(pk=analyse.pk).update(status=Productstatus.VASTGESTELD)
    client.force_login(wijkmanager)
    html = text(client.get(urls["antwoorden"]))
    assert "Vooruit" in html
    assert "Citeren bij thema" not in html
    assert "Citeren kan alleen zolang" in html
    response = client.post(
        urls["citeren"](antwoord.pk),
        {"thema": Wijkthema.objects.get(slug="schoon").pk, "versie": analyse.versie},
        follow=True,
    )
    assert "kan in deze fase of status niet meer worden gewijzigd" in text(response)
    assert not antwoord.themaanalyses.exists()


# ------------------------------------------------------------ the block and "Mijn werk"


@pytest.mark.django_db
def test_the_block_on_the_wijkanalyse_page(
    analyse, werkgebied, bewoner, wijkmanager, django_assert_max_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    invullen(analyse, bewoner, {1: "Vooruit", 2: "Schoner"})
    active_assignments(bewoner)
    active_assignments(wijkmanager)
    with django_assert_max_num_queries(1):
        voor_bewoner = checklist_blok(analyse, bewoner)
    with django_assert_max_num_queries(2):
        voor_manager = checklist_blok(analyse, wijkmanager)
    with django_assert_max_num_queries(0):
        voor_publiek = checklist_blok(analyse, AnonymousUser())
    html = render_to_string("cycle/checklist/_wijkanalyse_blok.html", {"checklist": voor_bewoner})
    assert "Als bewoner: ingevuld, 2 vragen beantwoord" in html
    assert "/checklist/?als=bewoner" in html
    assert "Alle antwoorden" not in html
    html = render_to_string("cycle/checklist/_wijkanalyse_blok.html", {"checklist": voor_manager})
    assert "Als wijkmanager: nog niet ingevuld" in html
    assert "Ingevuld door 1 respondent" in html
    assert "Bewoners: 1" in html
    assert "/checklist/antwoorden/" in html
    html = render_to_string("cycle/checklist/_wijkanalyse_blok.html", {"checklist": voor_publiek})
    assert "Log in om de checklist in te vullen" in html
    Wijkanalyse.objects.filter(pk=analyse.pk).update(status=Productstatus.VASTGESTELD)
    html = render_to_string(
        "cycle/checklist/_wijkanalyse_blok.html",
        {"checklist": checklist_blok(verse(analyse), bewoner)},
    )
    assert "De checklist is gesloten" in html
    assert "Uw antwoorden bekijken" in html


@pytest.mark.django_db
def test_mijn_werk_lists_the_open_checklists(client, analyse, werkgebied, bewoner, wijkmanager):
    client.force_login(bewoner)
    html = text(client.get("/mijn-werk/"))
    assert "Checklist ‘Wat is er aan de hand in de wijk?’" in html
    assert "nog niet ingevuld" in html
    assert f"/werkgebieden/{werkgebied.slug}/2027/checklist/?als=bewoner" in html
    invullen(analyse, bewoner, {1: "Vooruit"})
    html = text(client.get("/mijn-werk/"))
    assert "ingevuld, laatst gewijzigd op" in html
    assert "Antwoorden wijzigen" in html
    assert "Alle antwoorden" not in html

    client.force_login(wijkmanager)
    html = text(client.get("/mijn-werk/"))
    assert f"/werkgebieden/{werkgebied.slug}/2027/checklist/antwoorden/" in html

    # Elsewhere, or once closed: no section.
    client.force_login(user_with_role(Rol.BEWONER, werkgebied=WerkgebiedFactory()))
    assert "Checklist ‘Wat is er aan de hand" not in text(client.get("/mijn-werk/"))
    Wijkanalyse.objects.filter(pk=analyse.pk).update(status=Productstatus.VASTGESTELD)
    from pagecache.services import bump

    bump()
    client.force_login(bewoner)
    assert "Checklist ‘Wat is er aan de hand" not in text(client.get("/mijn-werk/"))


# ---------------------------------------------------------------------- query counts


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("aantal", [2, 30])
def test_pages_use_a_fixed_number_of_queries(
    client, analyse, werkgebied, wijkmanager, urls, aantal, django_assert_max_num_queries
):
    users = _respondenten(analyse, werkgebied, aantal)
    # Some quoted, in two themes.
    for antwoord in ChecklistAntwoord.objects.filter(vraag__nummer__in=[1, 2])[:6]:
        citeer(analyse, wijkmanager, antwoord)
        citeer(analyse, wijkmanager, antwoord, slug="veilig")
    client.force_login(wijkmanager)
    with django_assert_max_num_queries(11):
        response = client.get(urls["antwoorden"])
    assert text(response).count("checklist-antwoord") == aantal * 8
    with django_assert_max_num_queries(11):
        client.get(f"{urls['antwoorden']}?groep=5")
    client.force_login(users[0])
    with django_assert_max_num_queries(6):
        response = client.get(urls["invullen"])
    assert text(response).count("</textarea>") == 40


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_respondents(client, analyse, werkgebied, wijkmanager, urls):
    _respondenten(analyse, werkgebied, 2)
    client.force_login(wijkmanager)
    klein = _count(client, urls["antwoorden"])
    _respondenten(analyse, werkgebied, 28)
    groot = _count(client, urls["antwoorden"])
    assert groot == klein


@pytest.mark.django_db
@pytest.mark.parametrize("werkgebieden", [1, 5])
def test_mijn_werk_section_is_fixed_queries(
    make_cycle, werkgebied, werkgebieden, django_assert_max_num_queries
):
    manager = user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied)
    make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    for _index in range(werkgebieden - 1):
        make_cycle(WerkgebiedFactory(gebied=werkgebied.gebied), jaar=2027, fase=Fase.ANALYSE)
    assignments = active_assignments(manager)
    with django_assert_max_num_queries(2):
        inhoud = open_checklists(manager, assignments)
    assert len(inhoud["regels"]) == werkgebieden
    assert all(r["antwoorden_url"] for r in inhoud["regels"])


@pytest.mark.django_db
def test_the_kept_overview_follows_new_answers_and_a_new_sign_in(
    client, analyse, bewoner, wijkmanager, urls, werkgebied
):
    """The overview is kept per user; an answer given since (audited, so the version moves)
    shows at once, and a new sign-in (a new CSRF secret) gets forms that work."""
    invullen(analyse, bewoner, {1: "Eerste antwoord"})
    client.force_login(wijkmanager)
    assert "Eerste antwoord" in text(client.get(urls["antwoorden"]))
    ander = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    invullen(analyse, ander, {1: "Later antwoord"})
    html = text(client.get(urls["antwoorden"]))
    assert "Eerste antwoord" in html and "Later antwoord" in html
    client.logout()
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(wijkmanager)
    html = text(client.get(urls["antwoorden"]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    antwoord = ChecklistAntwoord.objects.get(tekst="Later antwoord")
    schoon = Wijkthema.objects.get(slug="schoon")
    response = client.post(
        urls["citeren"](antwoord.pk),
        {"thema": schoon.pk, "versie": verse(analyse).versie, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert ThemaAnalyse.objects.get(thema=schoon).citaten.filter(pk=antwoord.pk).exists()
