"""The wijkakkoord page of a signed-in reader keeps its content per user under the public
version: a reload costs the akkoord, the user and the version; a change shows at once; the
kept step form posts with the reader's own CSRF token; nothing passes between users."""

import re

import pytest
from django.test import Client

from cycle import services_akkoord as s
from people.models import Rol
from tests.cycle.test_akkoord import compleet, versie
from tests.people.factories import user_with_role


def url(akkoord) -> str:
    return f"/werkgebieden/{akkoord.werkgebied.slug}/wijkakkoord/{akkoord.startjaar}/"


@pytest.mark.django_db
def test_reload_is_cheap_and_a_change_shows_at_once(
    werkgebied, wijkmanager, django_assert_num_queries
):
    akkoord = compleet(werkgebied, wijkmanager, titels=("Schoon", "Veilig"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(wijkmanager)
    first = client.get(url(akkoord)).content.decode()
    assert "Schoon" in first and "Voor advies aan de wijkraad voorleggen" in first
    # The session's user and the public version: the whole page is kept for this user.
    with django_assert_num_queries(2):
        html = client.get(url(akkoord)).content.decode()
    assert html.count("<h3") == first.count("<h3")
    # The kept step form carries this request's token and posts.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        url(akkoord) + "stap/",
        {
            "csrfmiddlewaretoken": token,
            "stap": "naar_advies",
            "status": "concept",
            "versie": str(versie(akkoord)),
        },
    )
    assert response.status_code == 302
    html = client.get(url(akkoord)).content.decode()
    assert "Voor advies aan de wijkraad voorleggen" not in html
    assert "Status: voor advies bij de wijkraad." in html


@pytest.mark.django_db
def test_an_opgave_added_shows_at_once_and_no_reader_gets_anothers_fragment(
    werkgebied, wijkmanager
):
    akkoord = compleet(werkgebied, wijkmanager)
    wijkraadslid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    beheerder_client, raad_client = Client(), Client()
    beheerder_client.force_login(wijkmanager)
    raad_client.force_login(wijkraadslid)
    assert "Wijkopgave toevoegen" in beheerder_client.get(url(akkoord)).content.decode()
    # The wijkraadslid reads the same concept without the drafter's links.
    assert "Wijkopgave toevoegen" not in raad_client.get(url(akkoord)).content.decode()
    s.opgave_toevoegen(
        akkoord=akkoord,
        user=wijkmanager,
        expected_versie=versie(akkoord),
        titel="Groen in de straat",
        beschrijving="Waarom",
    )
    assert "Groen in de straat" in raad_client.get(url(akkoord)).content.decode()
    assert "Wijkopgave toevoegen" not in raad_client.get(url(akkoord)).content.decode()
