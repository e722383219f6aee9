"""The signed-in pages of the execution year that keep their content per user under the
public version (the bulk progress form, the toezeggingen list) and the city-wide twelve-month
view (kept for all its readers): a reload costs the user and the version; a change shows at
once; the kept form posts with the reader's own CSRF token; nothing passes between users."""

import re

import pytest
from django.test import Client

from cycle.models import Agendapunt, Fase, Initiatief, Toezegging
from cycle.services_programma import Update, initiatief_toezeggen, voortgang_melden
from people.models import Rol
from tests.cycle.inhoud import met_initiatief
from tests.cycle.test_uitvoering_views import _bouw, alle_rollen, stadsbeheer  # noqa: F401
from tests.people.factories import ClusterFactory, user_with_role

BULK = "/mijn-werk/voortgang/"
TOEZEGGINGEN = "/mijn-werk/toezeggingen/"


@pytest.fixture
def uitvoering(werkgebied, make_cycle, alle_rollen, stadsbeheer):  # noqa: F811
    """Two initiatives of Stadsbeheer in execution (see tests/cycle/test_uitvoering_views)."""
    return _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer)[0]


@pytest.fixture
def accounthouder(alle_rollen):  # noqa: F811
    """Stadsbeheer's accounthouder in the werkgebied's gebied."""
    return alle_rollen["accounthouder"][0]


@pytest.mark.django_db
def test_the_bulk_form_reload_costs_the_user_and_the_version(
    accounthouder, uitvoering, django_assert_num_queries
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounthouder)
    first = client.get(BULK)
    assert first.status_code == 200
    assert 'name="rij-0-tekst"' in first.content.decode()
    with django_assert_num_queries(2):
        second = client.get(BULK)
    html = second.content.decode()
    # The kept form carries this request's CSRF token, so it posts.
    token = client.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in html
    initiatief = Initiatief.objects.filter(
        wijkprogramma__cyclus=uitvoering, cluster=accounthouder.rollen.get().cluster
    ).order_by("pk")[0]
    assert f'value="{initiatief.pk}"' in html
    veld = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    rijen = int(re.search(r'name="rij-TOTAL_FORMS" value="(\d+)"', html).group(1))
    data = {
        "csrfmiddlewaretoken": veld,
        "rij-TOTAL_FORMS": str(rijen),
        "rij-INITIAL_FORMS": str(rijen),
        "rij-MIN_NUM_FORMS": "0",
        "rij-MAX_NUM_FORMS": "1000",
    }
    for index in range(rijen):
        data[f"rij-{index}-initiatief_id"] = re.search(
            rf'name="rij-{index}-initiatief_id" value="(\d+)"', html
        ).group(1)
        data[f"rij-{index}-versie"] = re.search(
            rf'name="rij-{index}-versie" value="(\d+)"', html
        ).group(1)
    data["rij-0-tekst"] = "Eerste bewonersavond gehouden."
    data["rij-0-percentage"] = "20"
    assert token
    response = client.post(BULK, data)
    assert response.status_code == 302
    gemeld = Initiatief.objects.get(pk=data["rij-0-initiatief_id"])
    assert gemeld.percentage == 20
    # The new version shows at once: the row now carries the initiative's new version.
    html = client.get(BULK).content.decode()
    assert f'name="rij-0-versie" value="{gemeld.versie}"' in html


@pytest.mark.django_db
def test_a_progress_update_elsewhere_shows_at_once_and_nothing_passes_between_users(
    accounthouder, uitvoering, werkgebied
):
    client = Client()
    client.force_login(accounthouder)
    initiatief = Initiatief.objects.filter(
        wijkprogramma__cyclus=uitvoering, cluster=accounthouder.rollen.get().cluster
    ).order_by("pk")[0]
    voor = client.get(BULK).content.decode()
    assert f'value="{initiatief.versie}"' in voor
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    voortgang_melden(
        user=wijkmanager,
        update=Update(initiatief, initiatief.versie, tekst="Gestart.", percentage=35),
    )
    na = client.get(BULK).content.decode()
    nieuw = Initiatief.objects.get(pk=initiatief.pk)
    assert nieuw.versie != initiatief.versie
    rij = re.search(rf'name="rij-(\d+)-initiatief_id" value="{initiatief.pk}"', na).group(1)
    assert f'name="rij-{rij}-versie" value="{nieuw.versie}"' in na
    # Another accounthouder (another cluster) never gets this user's kept form.
    ander = user_with_role(
        Rol.ACCOUNTHOUDER, gebied=werkgebied.gebied, cluster=ClusterFactory(slug="ander-cluster")
    )
    client.force_login(ander)
    assert initiatief.titel not in client.get(BULK).content.decode()


@pytest.mark.django_db
def test_the_toezeggingen_list_shows_an_answer_at_once(werkgebied, make_cycle, wijkmanager):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    cluster = ClusterFactory(naam="Reiniging", slug="reiniging")
    punt = Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).order_by("rang")[0]
    initiatief = met_initiatief(
        cyclus.wijkprogramma, wijkmanager, cluster=cluster, agendapunt=punt, titel="Grofvuilactie"
    )
    assert initiatief.toezegging == Toezegging.GEVRAAGD
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, gebied=werkgebied.gebied, cluster=cluster)
    client = Client()
    client.force_login(accounthouder)
    assert "Grofvuilactie" in client.get(TOEZEGGINGEN).content.decode()
    assert "Grofvuilactie" in client.get(TOEZEGGINGEN).content.decode()
    initiatief_toezeggen(
        initiatief=initiatief, user=accounthouder, expected_versie=initiatief.versie
    )
    assert "Grofvuilactie" not in client.get(TOEZEGGINGEN).content.decode()
    # Kept for that user alone: another cluster's accounthouder never sees it.
    ander = user_with_role(
        Rol.ACCOUNTHOUDER,
        gebied=werkgebied.gebied,
        cluster=ClusterFactory(naam="Stadsontwikkeling", slug="stadsontwikkeling"),
    )
    client.force_login(ander)
    assert "Grofvuilactie" not in client.get(TOEZEGGINGEN).content.decode()


@pytest.mark.django_db
def test_the_wijk_mt_overview_reload_costs_two_queries_and_shows_a_knelpunt_at_once(
    uitvoering, werkgebied, accounthouder, django_assert_num_queries
):
    from cycle.services_programma import knelpunt_melden

    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    pad = f"/werkgebieden/{werkgebied.slug}/wijk-mt/"
    client = Client()
    client.force_login(wijkmanager)
    assert client.get(pad).status_code == 200
    # The user and the version: the whole page is kept for this user.
    with django_assert_num_queries(2):
        assert client.get(pad).status_code == 200
    initiatief = Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering).order_by("pk")[0]
    knelpunt_melden(
        initiatief=initiatief, user=accounthouder, beschrijving="De aannemer is failliet."
    )
    assert "De aannemer is failliet." in client.get(pad).content.decode()
    # Kept for that user alone: someone outside the werkgebied still gets a 403.
    client.force_login(user_with_role(Rol.BEWONER, werkgebied=werkgebied))
    response = client.get(pad)
    assert response.status_code == 403
    assert "De aannemer is failliet." not in response.content.decode()
