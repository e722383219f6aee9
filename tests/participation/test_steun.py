"""Residents' support for agendapunten and initiatives: the service (once each, withdraw,
who may), the button on the product and initiative pages per role, the counts against the
plan's draagvlak criterion in a fixed number of queries, "Mijn wijk" and the AVG."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import Agendapunt
from participation import bewoners, services_steun
from participation.models import Planfase, Steunbetuiging
from participation.services_plan import plan_van
from people.models import Rol, Roltoewijzing
from tests.people.factories import UserFactory, user_with_role

from .test_volgen import detail_url
from .test_volgen import initiatief as initiatief
from .test_volgen import uitvoering as uitvoering


@pytest.fixture
def bewoner(werkgebied):
    return user_with_role(Rol.BEWONER, werkgebied=werkgebied)


@pytest.fixture
def agendapunt(uitvoering):
    cyclus = uitvoering[0]
    return Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).order_by("rang").first()


def agenda_url(cyclus):
    return reverse(
        "product-detail",
        kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "soort": "wijkagenda"},
    )


def programma_url(cyclus):
    return reverse(
        "product-detail",
        kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "soort": "wijkprogramma"},
    )


def steun_url(soort, obj):
    return reverse("steun", kwargs={"soort": soort, "pk": obj.pk})


def draagvlak(cyclus, fase, aantal):
    plan = plan_van(cyclus)
    Planfase.objects.filter(plan=plan, fase=fase).update(
        draagvlak_aantal=aantal, draagvlak_soort="steunbetuigingen"
    )


# ------------------------------------------------------------------------------ services


def test_support_once_each_and_withdraw(bewoner, agendapunt, initiatief):
    assert services_steun.steunen(user=bewoner, onderwerp=agendapunt) is True
    assert services_steun.steunen(user=bewoner, onderwerp=agendapunt) is False
    assert services_steun.steunen(user=bewoner, onderwerp=initiatief) is True
    assert Steunbetuiging.objects.filter(user=bewoner).count() == 2
    assert services_steun.steun_intrekken(user=bewoner, onderwerp=agendapunt) is True
    assert services_steun.steun_intrekken(user=bewoner, onderwerp=agendapunt) is False
    assert list(Steunbetuiging.objects.values_list("initiatief", flat=True)) == [initiatief.pk]


def test_support_is_audited_without_the_person(bewoner, agendapunt):
    services_steun.steunen(user=bewoner, onderwerp=agendapunt)
    entry = AuditEntry.objects.get(action="participation.agendapunt_gesteund")
    assert entry.actor_id is None and entry.actor_label == ""
    assert entry.data == {"agendapunt": agendapunt.pk}
    assert bewoner.email not in str(entry.data)


@pytest.mark.parametrize("wie", ["ander_werkgebied", "verlopen", "wijkmanager", "geen_rol"])
def test_who_may_not_support(wie, agendapunt, werkgebied, ander_werkgebied):
    if wie == "ander_werkgebied":
        user = user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied)
    elif wie == "verlopen":
        user = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
        Roltoewijzing.objects.filter(user=user).update(
            geldig_vanaf=timezone.localdate() - datetime.timedelta(days=30),
            geldig_tot=timezone.localdate() - datetime.timedelta(days=1),
        )
    elif wie == "wijkmanager":
        user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    else:
        user = UserFactory()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services_steun.steunen(user=user, onderwerp=agendapunt)
    assert not Steunbetuiging.objects.exists()


def test_database_refuses_a_second_row_and_a_row_without_item(bewoner, agendapunt):
    Steunbetuiging.objects.create(user=bewoner, agendapunt=agendapunt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Steunbetuiging.objects.create(user=bewoner, agendapunt=agendapunt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Steunbetuiging.objects.create(user=bewoner)


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_gives_one_support(werkgebied, make_cycle):
    from cycle.models import Fase

    cyclus = make_cycle(werkgebied, fase=Fase.PROGRAMMA)
    punt = Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).first()
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            results.append(services_steun.steunen(user=bewoner, onderwerp=punt))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False, True]
    assert Steunbetuiging.objects.filter(user=bewoner).count() == 1


# --------------------------------------------------------------------------------- views


def test_resident_supports_from_the_agenda_page(client, bewoner, agendapunt):
    cyclus = agendapunt.wijkagenda.cyclus
    draagvlak(cyclus, "agenda", 50)
    client.force_login(bewoner)
    html = client.get(agenda_url(cyclus)).content.decode()
    assert "Ik steun dit" in html
    assert "0 van de 50 steunbetuigingen die het participatieplan als draagvlak noemt" in html
    response = client.post(
        steun_url("agendapunt", agendapunt), {"actie": "steunen", "terug": agenda_url(cyclus)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{agenda_url(cyclus)}#steun-agendapunt-{agendapunt.pk}"
    html = client.get(agenda_url(cyclus)).content.decode()
    assert "1 van de 50 steunbetuigingen die het participatieplan als draagvlak noemt" in html
    assert "Steun intrekken" in html
    # A double submit: one support, a calm message.
    response = client.post(steun_url("agendapunt", agendapunt), {"actie": "steunen"}, follow=True)
    assert response.status_code == 200
    assert "uw steun is één keer geteld" in response.content.decode()
    assert Steunbetuiging.objects.count() == 1
    client.post(steun_url("agendapunt", agendapunt), {"actie": "intrekken"})
    assert not Steunbetuiging.objects.exists()


def test_anonymous_is_sent_to_login_and_the_public_page_has_no_form(client, agendapunt, bewoner):
    cyclus = agendapunt.wijkagenda.cyclus
    services_steun.steunen(user=bewoner, onderwerp=agendapunt)
    response = client.post(steun_url("agendapunt", agendapunt), {"actie": "steunen"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    html = client.get(agenda_url(cyclus)).content.decode()
    assert "1 steunbetuiging" in html
    assert "Log in om te steunen" in html
    assert "Ik steun dit" not in html and "Steun intrekken" not in html
    assert "csrfmiddlewaretoken" not in html.split('id="steun"')[1]


@pytest.mark.parametrize("wie", ["ander_werkgebied", "verlopen", "wijkmanager", "geen_rol"])
def test_others_get_403_with_an_explanation(client, wie, agendapunt, werkgebied, ander_werkgebied):
    if wie == "ander_werkgebied":
        user = user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied)
    elif wie == "verlopen":
        user = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
        Roltoewijzing.objects.filter(user=user).update(
            geldig_vanaf=timezone.localdate() - datetime.timedelta(days=30),
            geldig_tot=timezone.localdate() - datetime.timedelta(days=1),
        )
    elif wie == "wijkmanager":
        user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    else:
        user = UserFactory()
    client.force_login(user)
    response = client.post(steun_url("agendapunt", agendapunt), {"actie": "steunen"})
    assert response.status_code == 403
    assert "Alleen wie als bewoner van Crooswijk is ingeschreven" in response.content.decode()
    assert not Steunbetuiging.objects.exists()
    html = client.get(agenda_url(agendapunt.wijkagenda.cyclus)).content.decode()
    assert "Ik steun dit" not in html


def test_bad_input_gives_no_500(client, bewoner, agendapunt):
    client.force_login(bewoner)
    assert client.post(reverse("steun", kwargs={"soort": "melding", "pk": 1})).status_code == 404
    assert client.post(steun_url("agendapunt", agendapunt), {"actie": "x"}).status_code == 302
    response = client.post(
        steun_url("agendapunt", agendapunt), {"actie": "steunen", "terug": "https://evil.example/"}
    )
    assert response["Location"].startswith("/werkgebieden/")
    assert client.get(steun_url("agendapunt", agendapunt)).status_code == 302


def test_initiative_page_and_programme_page(client, bewoner, initiatief):
    cyclus = initiatief.wijkprogramma.cyclus
    draagvlak(cyclus, "programma", 3)
    client.force_login(bewoner)
    response = client.post(
        steun_url("initiatief", initiatief), {"actie": "steunen", "terug": detail_url(initiatief)}
    )
    assert response["Location"] == f"{detail_url(initiatief)}#steun-initiatief-{initiatief.pk}"
    html = client.get(detail_url(initiatief)).content.decode()
    assert "1 van de 3 steunbetuigingen die het participatieplan als draagvlak noemt" in html
    assert "Steun intrekken" in html
    html = client.get(programma_url(cyclus)).content.decode()
    assert "1 van de 3 steunbetuigingen" in html
    client.logout()
    html = client.get(detail_url(initiatief)).content.decode()
    assert "Steun intrekken" not in html and "Log in om te steunen" in html


def test_draagvlak_reached_is_shown(bewoner, agendapunt, client, werkgebied):
    cyclus = agendapunt.wijkagenda.cyclus
    draagvlak(cyclus, "agenda", 2)
    services_steun.steunen(user=bewoner, onderwerp=agendapunt)
    services_steun.steunen(
        user=user_with_role(Rol.BEWONER, werkgebied=werkgebied), onderwerp=agendapunt
    )
    html = client.get(agenda_url(cyclus)).content.decode()
    assert "2 van de 2 steunbetuigingen" in html and "genoeg draagvlak" in html


@pytest.mark.parametrize("aantal", [1, 30])
def test_product_page_queries_do_not_grow_with_supports(
    client, aantal, agendapunt, werkgebied, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    cyclus = agendapunt.wijkagenda.cyclus
    from tests.people.factories import RoltoewijzingFactory

    users = [
        RoltoewijzingFactory(rol=Rol.BEWONER, werkgebied=werkgebied).user for _ in range(aantal)
    ]
    punten = list(Agendapunt.objects.filter(wijkagenda__cyclus=cyclus))
    Steunbetuiging.objects.bulk_create(
        Steunbetuiging(user=u, agendapunt=p) for u in users for p in punten
    )
    client.force_login(users[0])
    with django_assert_max_num_queries(40):
        html = client.get(agenda_url(cyclus)).content.decode()
    assert f"{aantal} steunbetuiging" in html


# ---------------------------------------------------------------- Mijn wijk and the AVG


def test_mijn_wijk_lists_supports_and_reactions(client, bewoner, agendapunt, initiatief):
    from participation.models import Consultatie, Reactie

    services_steun.steunen(user=bewoner, onderwerp=agendapunt)
    services_steun.steunen(user=bewoner, onderwerp=initiatief)
    cyclus = agendapunt.wijkagenda.cyclus
    consultatie = Consultatie.objects.create(
        cyclus=cyclus,
        soort="wijkprogramma",
        vraag="Wat vindt u?",
        opent_op=timezone.localdate(),
        sluit_op=timezone.localdate(),
    )
    Reactie.objects.create(
        consultatie=consultatie,
        tekst="Meer groen graag.",
        auteur=bewoner,
        status="geplaatst",
        geplaatst_op=timezone.now(),
        antwoord="Dat nemen we mee.",
    )
    Reactie.objects.create(
        consultatie=consultatie,
        tekst="Iemand anders.",
        email="ander@example.org",
        status="geplaatst",
        geplaatst_op=timezone.now(),
    )
    client.force_login(bewoner)
    html = client.get(reverse("mijn-wijk")).content.decode()
    assert "Mijn steunbetuigingen" in html and agendapunt.titel in html
    assert initiatief.titel in html
    assert "Mijn reacties" in html and "Meer groen graag." in html
    assert "Dat nemen we mee." in html and "Iemand anders." not in html


@pytest.mark.parametrize("aantal", [2, 25])
def test_mijn_wijk_sections_fixed_queries(
    rf, aantal, bewoner, uitvoering, django_assert_max_num_queries
):
    cyclus, initiatieven = uitvoering

    punten = list(Agendapunt.objects.filter(wijkagenda__cyclus=cyclus))
    Steunbetuiging.objects.bulk_create(
        [Steunbetuiging(user=bewoner, agendapunt=p) for p in punten]
        + [Steunbetuiging(user=bewoner, initiatief=i) for i in initiatieven[:aantal]]
    )
    request = rf.get("/")
    request.user = bewoner
    with django_assert_max_num_queries(3):
        bewoners.steun_sectie(request, "", "tok")
    with django_assert_max_num_queries(4):
        bewoners.reacties_sectie(request, "", "tok")


def test_avg_export_and_delete(bewoner, agendapunt):
    from participation.models import Consultatie, Reactie

    services_steun.steunen(user=bewoner, onderwerp=agendapunt)
    consultatie = Consultatie.objects.create(
        cyclus=agendapunt.wijkagenda.cyclus,
        soort="wijkagenda",
        vraag="?",
        opent_op=timezone.localdate(),
        sluit_op=timezone.localdate(),
    )
    reactie = Reactie.objects.create(
        consultatie=consultatie,
        tekst="Mijn mening.",
        auteur=bewoner,
        status="geplaatst",
        geplaatst_op=timezone.now(),
    )
    data = bewoners.gegevens_reacties_steun(bewoner)
    assert data["steunbetuigingen"][0]["agendapunt__titel"] == agendapunt.titel
    assert data["reacties"][0]["tekst"] == "Mijn mening."
    tellingen = bewoners.verwijderen_reacties_steun(bewoner)
    assert tellingen["steunbetuigingen"] == 1 and tellingen["reacties_geanonimiseerd"] == 1
    assert not Steunbetuiging.objects.exists()
    reactie.refresh_from_db()
    assert reactie.tekst == "Mijn mening." and reactie.auteur is None
    assert bewoner.email not in reactie.email


def test_consultation_page_shows_the_kaders(client, agendapunt):
    from participation.models import Consultatie

    from .plan import kaders_invullen

    cyclus = agendapunt.wijkagenda.cyclus
    kaders_invullen(cyclus)
    consultatie = Consultatie.objects.create(
        cyclus=cyclus,
        soort="wijkagenda",
        vraag="?",
        opent_op=timezone.localdate(),
        sluit_op=timezone.localdate(),
    )
    html = client.get(consultatie.get_absolute_url()).content.decode()
    assert "Waar u invloed op heeft" in html
    assert "Welke problemen voorrang krijgen" in html
    assert "Het budget van de clusters" in html
    assert "raadplegen" in html.lower()


def test_page_cache_keeps_counts_right_and_buttons_private(client, bewoner, agendapunt, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cyclus = agendapunt.wijkagenda.cyclus
    from django.test import Client

    anoniem = Client()
    assert "0 steunbetuigingen" in anoniem.get(agenda_url(cyclus)).content.decode()
    client.force_login(bewoner)
    client.get(agenda_url(cyclus))
    client.post(steun_url("agendapunt", agendapunt), {"actie": "steunen"})
    eigen = client.get(agenda_url(cyclus)).content.decode()
    assert "Steun intrekken" in eigen
    # The support bumped the public version: the anonymous page shows the new count, and
    # nothing of the resident's own state.
    publiek = anoniem.get(agenda_url(cyclus)).content.decode()
    assert "1 steunbetuiging" in publiek
    assert "Steun intrekken" not in publiek and "Ik steun dit" not in publiek
    # Withdrawn: both follow again.
    client.post(steun_url("agendapunt", agendapunt), {"actie": "intrekken"})
    assert "Ik steun dit" in client.get(agenda_url(cyclus)).content.decode()
    assert "Steun intrekken" not in client.get(agenda_url(cyclus)).content.decode()
