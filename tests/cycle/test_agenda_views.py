"""The pages of the wijkagenda's content: every view and action for every role (in and out of
scope, the wrong cluster, an expired role), the agenda page's content and controls, bad and
stale input, and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import (
    Agendapunt,
    Beleidssignaal,
    Fase,
    Productstatus,
    Signaalstatus,
    ThemaAnalyse,
    Wijkthema,
)
from cycle.services import product_transition
from cycle.services_agenda import beleidssignaal_beantwoorden
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.cycle.test_agenda import antwoord_op_checklist, punt, signaal, verse
from tests.participation.plan import kaders_invullen
from tests.people.factories import ClusterFactory, user_with_role

RUNNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
EXTRA_ROLES = ["accounthouder ander cluster", "wijkmanager verlopen", "accounthouder verlopen"]
ALL_ROLES = [*ROLE_NAMES, *EXTRA_ROLES]
# Who answers a signal addressed to Stadsbeheer: its accounthouders in the werkgebied's gebied.
ANSWERERS = {"accounthouder"}


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)


@pytest.fixture
def agenda(cyclus):
    return verse(cyclus.wijkagenda)


@pytest.fixture
def alle_rollen(roles, werkgebied):
    """The shared role table plus the wrong cluster and expired roles."""
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    vorig_jaar = gisteren - datetime.timedelta(days=365)
    stadsbeheer = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    ander = ClusterFactory(naam="Stadsontwikkeling", slug="stadsontwikkeling")
    verlopen = {"geldig_vanaf": vorig_jaar, "geldig_tot": gisteren}
    return {
        **roles,
        "accounthouder ander cluster": (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=ander, gebied=werkgebied.gebied),
            False,
        ),
        "wijkmanager verlopen": (
            user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied, **verlopen),
            False,
        ),
        "accounthouder verlopen": (
            user_with_role(
                Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied, **verlopen
            ),
            False,
        ),
    }


@pytest.fixture
def inhoud(agenda, wijkmanager):
    """Two agendapunten and a signal to Stadsbeheer, made by the wijkmanager."""
    stadsbeheer = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    a = punt(agenda, wijkmanager, titel="Schone straten")
    b = punt(agenda, wijkmanager, titel="Veilige schoolroutes")
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    return {"a": a, "b": b, "signaal": s, "cluster": stadsbeheer}


def base(werkgebied):
    return f"/werkgebieden/{werkgebied.slug}/2027"


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


# ------------------------------------------------------------------ the role matrix


def drafter_actions(werkgebied, inhoud, versie):
    b = base(werkgebied)
    a, s = inhoud["a"], inhoud["signaal"]
    punt_data = {
        "titel": "Nieuw punt",
        "probleem": "Iets wat veel bewoners zeggen",
        "thema": Wijkthema.objects.get(slug="schoon").pk,
        "onderbouwing": "Bewonersavond",
        "collectief": "on",
        "versie": versie,
    }
    signaal_data = {
        "titel": "Nieuw signaal",
        "toelichting": "Het beleid moet anders",
        "cluster": inhoud["cluster"].pk,
        "versie": versie,
    }
    return [
        ("get", f"{b}/wijkagenda/punten/nieuw/", None),
        ("post", f"{b}/wijkagenda/punten/nieuw/", punt_data),
        ("get", f"{b}/wijkagenda/punten/{a.pk}/bewerken/", None),
        ("post", f"{b}/wijkagenda/punten/{a.pk}/bewerken/", punt_data | {"titel": "Anders"}),
        (
            "post",
            f"{b}/wijkagenda/punten/{a.pk}/verplaatsen/",
            {"versie": versie, "richting": "neer"},
        ),
        ("get", f"{b}/wijkagenda/punten/{a.pk}/verwijderen/", None),
        ("post", f"{b}/wijkagenda/punten/{a.pk}/verwijderen/", {"versie": versie}),
        ("get", f"{b}/wijkagenda/signalen/nieuw/", None),
        ("post", f"{b}/wijkagenda/signalen/nieuw/", signaal_data),
        ("get", f"{b}/wijkagenda/signalen/{s.pk}/bewerken/", None),
        ("post", f"{b}/wijkagenda/signalen/{s.pk}/bewerken/", signaal_data | {"titel": "Ander"}),
        ("get", f"{b}/wijkagenda/signalen/{s.pk}/verwijderen/", None),
        ("post", f"{b}/wijkagenda/signalen/{s.pk}/verwijderen/", {"versie": versie}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_drafter_pages_and_actions_matrix(client, alle_rollen, werkgebied, agenda, inhoud, role):
    """Every page and action of the drafter; each POST with the version just read, so that an
    allowed role really changes the agenda and a refused one changes nothing."""
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    allowed = role in RUNNERS
    for method, url, data in drafter_actions(werkgebied, inhoud, 0):
        versie = verse(agenda).versie
        if data is not None:
            data["versie"] = versie
        before = AuditEntry.objects.count()
        response = getattr(client, method)(url, data or {})
        expect(response, allowed=allowed, anonymous=user is None)
        if method == "post":
            assert (AuditEntry.objects.count() > before) == allowed, (role, url)
            assert (verse(agenda).versie > versie) == allowed, (role, url)
    if allowed:
        assert not Beleidssignaal.objects.filter(pk=inhoud["signaal"].pk).exists()
        assert not Agendapunt.objects.filter(pk=inhoud["a"].pk).exists()
    else:
        assert Agendapunt.objects.filter(wijkagenda=agenda).count() == 2
        assert Beleidssignaal.objects.get().titel == "Grofvuil"


def answer_actions(werkgebied, s):
    b = base(werkgebied)
    return [
        ("get", f"{b}/beleidssignalen/{s.pk}/beantwoorden/", None),
        ("post", f"{b}/beleidssignalen/{s.pk}/in-behandeling/", {"versie": 1}),
        ("post", f"{b}/beleidssignalen/{s.pk}/beantwoorden/", {"versie": 2, "antwoord": "Ja"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_answer_pages_and_actions_matrix(client, alle_rollen, werkgebied, inhoud, role):
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    allowed = role in ANSWERERS
    s = inhoud["signaal"]
    for method, url, data in answer_actions(werkgebied, s):
        response = getattr(client, method)(url, data or {})
        expect(response, allowed=allowed, anonymous=user is None)
    s.refresh_from_db()
    if allowed:
        assert s.status == Signaalstatus.BEANTWOORD and s.antwoord == "Ja"
    else:
        assert s.status == Signaalstatus.OPEN and s.antwoord == ""


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_partner_signal_is_answered_by_who_runs_the_cycle(
    client, alle_rollen, werkgebied, agenda, wijkmanager, role
):
    from people.models import Partner

    partner = Partner.objects.create(naam="Woonstad", slug="woonstad")
    s = signaal(agenda, wijkmanager, partner=partner)
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    response = client.post(
        f"{base(werkgebied)}/beleidssignalen/{s.pk}/beantwoorden/",
        {"versie": 1, "antwoord": "Per brief"},
    )
    expect(response, allowed=role in RUNNERS, anonymous=user is None)
    s.refresh_from_db()
    assert (s.status == Signaalstatus.BEANTWOORD) == (role in RUNNERS)


@pytest.mark.django_db
def test_objects_of_another_cycle_are_not_found(
    client, werkgebied, ander_werkgebied, make_cycle, inhoud, beheerder
):
    """An agendapunt's id under another cycle's URL is a 404, even for a beheerder."""
    make_cycle(ander_werkgebied, jaar=2027, fase=Fase.AGENDA)
    client.force_login(beheerder)
    ander = f"/werkgebieden/{ander_werkgebied.slug}/2027"
    for url in [
        f"{ander}/wijkagenda/punten/{inhoud['a'].pk}/bewerken/",
        f"{ander}/wijkagenda/signalen/{inhoud['signaal'].pk}/bewerken/",
        f"{ander}/beleidssignalen/{inhoud['signaal'].pk}/beantwoorden/",
        f"{base(werkgebied)}/wijkagenda/punten/99999999999999999999/bewerken/",
    ]:
        assert client.get(url).status_code == 404, url


# ------------------------------------------------------------------ the agenda page


@pytest.mark.django_db
def test_wijkmanager_sees_the_order_and_the_controls(
    client, werkgebied, agenda, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    html = client.get(f"{base(werkgebied)}/wijkagenda/").content.decode()
    assert html.index("Schone straten") < html.index("Veilige schoolroutes")
    assert "Agendapunt ‘Veilige schoolroutes’ omhoog" in html
    assert "Agendapunt ‘Schone straten’ omlaag" in html
    # No "up" at the top, no "down" at the bottom.
    assert "Agendapunt ‘Schone straten’ omhoog" not in html
    assert "Agendapunt ‘Veilige schoolroutes’ omlaag" not in html
    assert f'id="punt-{inhoud["a"].pk}"' in html
    assert "Beleidssignaal toevoegen" in html


@pytest.mark.django_db
def test_move_by_post_redirects_to_the_point_and_says_where_it_is(
    client, werkgebied, agenda, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    b = inhoud["b"]
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/punten/{b.pk}/verplaatsen/",
        {"versie": verse(agenda).versie, "richting": "op"},
    )
    assert response["Location"].endswith(f"/wijkagenda/#punt-{b.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Agendapunt ‘Veilige schoolroutes’ staat nu op plaats 1" in html
    assert html.index("Veilige schoolroutes") < html.index("Schone straten</h3>")


@pytest.mark.django_db
def test_stale_move_and_double_submit_change_nothing(
    client, werkgebied, agenda, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    url = f"{base(werkgebied)}/wijkagenda/punten/{inhoud['b'].pk}/verplaatsen/"
    data = {"versie": verse(agenda).versie, "richting": "op"}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in response.content.decode()
    order = list(Agendapunt.objects.filter(wijkagenda=agenda).values_list("titel", "rang"))
    assert order == [("Veilige schoolroutes", 1), ("Schone straten", 2)]


@pytest.mark.django_db
def test_bad_move_input_is_refused_without_error(client, werkgebied, agenda, inhoud, wijkmanager):
    client.force_login(wijkmanager)
    url = f"{base(werkgebied)}/wijkagenda/punten/{inhoud['b'].pk}/verplaatsen/"
    for data in [
        {},
        {"versie": "abc", "richting": "op"},
        {"versie": verse(agenda).versie, "richting": "zijwaarts"},
        {"versie": verse(agenda).versie},
        {"versie": 10**30, "richting": "op"},
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "kon niet worden verwerkt" in response.content.decode()
    assert client.get(url).status_code == 405
    assert verse(agenda).versie == verse(agenda).versie
    assert list(Agendapunt.objects.filter(wijkagenda=agenda).values_list("rang", flat=True)) == [
        1,
        2,
    ]


@pytest.mark.django_db
def test_agendapunt_form_errors_are_next_to_the_fields_and_keep_the_input(
    client, werkgebied, agenda, wijkmanager, ander_werkgebied
):
    client.force_login(wijkmanager)
    from tests.places.factories import WijkFactory

    vreemd = WijkFactory(werkgebied=ander_werkgebied)
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/punten/nieuw/",
        {
            "titel": "Mijn eigen stoep",
            "probleem": "<script>alert(1)</script>" + "x" * 5001,
            "wijken": [vreemd.pk],
            "thema": "999999",
            "versie": verse(agenda).versie,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mijn eigen stoep" in html  # nothing entered is lost
    assert "<script>alert(1)</script>" not in html
    assert "groep bewoners" in html  # collectief not confirmed
    assert "Maximaal 5000 tekens" in html
    assert "Selecteer een geldige keuze" in html
    assert not Agendapunt.objects.exists()


@pytest.mark.django_db
def test_stale_agendapunt_form_keeps_the_input(client, werkgebied, agenda, inhoud, wijkmanager):
    client.force_login(wijkmanager)
    oud = verse(agenda).versie
    punt(agenda, wijkmanager, titel="Iemand anders")
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/punten/{inhoud['a'].pk}/bewerken/",
        {
            "titel": "Mijn versie",
            "probleem": "Mijn woorden",
            "collectief": "on",
            "versie": oud,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in html
    assert "Mijn woorden" in html
    assert Agendapunt.objects.get(pk=inhoud["a"].pk).titel == "Schone straten"


@pytest.mark.django_db
def test_missing_versie_says_the_form_was_incomplete(client, werkgebied, agenda, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/signalen/nieuw/",
        {"titel": "Signaal", "toelichting": "t", "cluster": "", "partner": ""},
    )
    html = response.content.decode()
    assert "onvolledig verstuurd" in html
    assert "precies één" in html
    assert not Beleidssignaal.objects.exists()


@pytest.mark.django_db
def test_forms_redirect_once_the_agenda_is_adopted(client, werkgebied, agenda, inhoud, wijkmanager):
    product_transition(
        product=verse(agenda),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    client.force_login(wijkmanager)
    response = client.get(f"{base(werkgebied)}/wijkagenda/punten/nieuw/", follow=True)
    assert "kan in deze fase of status niet worden gewijzigd" in response.content.decode()
    html = client.get(f"{base(werkgebied)}/wijkagenda/").content.decode()
    assert "omhoog" not in html and "Agendapunt toevoegen" not in html


@pytest.mark.django_db
def test_public_agenda_shows_order_evidence_and_answers_without_names(
    client, werkgebied, agenda, wijkmanager
):
    stadsbeheer = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)
    analyse = ThemaAnalyse.objects.filter(
        wijkanalyse__cyclus=agenda.cyclus, thema__slug="schoon"
    ).get()
    citaat = antwoord_op_checklist(agenda.cyclus.wijkanalyse, tekst="De meeuwen!")
    punt(agenda, wijkmanager, titel="Eerste", themaanalyses=[analyse], citaten=[citaat])
    punt(agenda, wijkmanager, titel="Tweede", wijken=[werkgebied.wijken.get()])
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    beleidssignaal_beantwoorden(
        signaal=s, user=accounthouder, expected_versie=1, antwoord="We halen vaker op."
    )
    kaders_invullen(agenda.cyclus)
    product_transition(
        product=verse(agenda),
        user=wijkmanager,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    html = client.get(f"{base(werkgebied)}/wijkagenda/").content.decode()
    assert html.index("Eerste") < html.index("Tweede")
    assert "De meeuwen!" in html and "Vraag 3 van de checklist, bewoner" in html
    assert "Geheime Invuller" not in html and citaat.invulling.user.email not in html
    assert "De wijkanalyse over ‘Schoon’" in html or "De wijkanalyse over" in html
    assert "Rubroek" in html
    assert "We halen vaker op." in html and "Antwoord van Stadsbeheer" in html
    assert accounthouder.naam not in html
    assert "omhoog" not in html and "Beantwoorden" not in html


@pytest.mark.django_db
def test_accounthouder_sees_answer_link_only_for_own_cluster(
    client, alle_rollen, werkgebied, agenda, inhoud
):
    url = f"{base(werkgebied)}/wijkagenda/"
    for role, sees in [("accounthouder", True), ("accounthouder ander cluster", False)]:
        client.force_login(alle_rollen[role][0])
        html = client.get(url).content.decode()
        assert ("Beleidssignaal ‘Grofvuil’ beantwoorden" in html) == sees, role


@pytest.mark.django_db
def test_answer_page_flow_and_stale_answer(client, alle_rollen, werkgebied, agenda, inhoud):
    client.force_login(alle_rollen["accounthouder"][0])
    s = inhoud["signaal"]
    url = f"{base(werkgebied)}/beleidssignalen/{s.pk}/beantwoorden/"
    page = client.get(url).content.decode()
    assert "In behandeling nemen" in page and "Het schema past niet bij de wijk." in page
    # Empty answer: the error next to the field.
    response = client.post(url, {"versie": 1, "antwoord": "   "})
    assert "Schrijf het antwoord op het signaal." in response.content.decode()
    # Stale (the wijkmanager changed the signal since): the input stays, nothing changes.
    Beleidssignaal.objects.filter(pk=s.pk).update(versie=2)
    response = client.post(url, {"versie": 1, "antwoord": "Mijn antwoord"})
    html = response.content.decode()
    assert "gewijzigd nadat u de pagina opende" in html and "Mijn antwoord" in html
    response = client.post(url, {"versie": 2, "antwoord": "Mijn antwoord"})
    assert response["Location"] == "/mijn-werk/"
    s.refresh_from_db()
    assert s.status == Signaalstatus.BEANTWOORD
    # Answered: the page sends back to the agenda; a second answer changes nothing.
    assert client.get(url)["Location"].endswith(f"#signaal-{s.pk}")
    response = client.post(url, {"versie": 3, "antwoord": "Nog een keer"})
    assert "al beantwoord" in response.content.decode()
    s.refresh_from_db()
    assert s.antwoord == "Mijn antwoord"


# ------------------------------------------------------------------ query counts


def _vul(agenda, user, n, stadsbeheer):
    analyses = list(ThemaAnalyse.objects.filter(wijkanalyse__cyclus=agenda.cyclus))
    citaat = antwoord_op_checklist(agenda.cyclus.wijkanalyse)
    for i in range(n):
        punt(
            agenda,
            user,
            titel=f"Punt {i}",
            themaanalyses=analyses,
            citaten=[citaat],
            wijken=[agenda.cyclus.werkgebied.wijken.get()],
        )
        signaal(agenda, user, cluster=stadsbeheer, titel=f"Signaal {i}")


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_agenda_page_uses_a_fixed_number_of_queries(
    client, werkgebied, make_cycle, ander_werkgebied, beheerder, django_assert_max_num_queries
):
    stadsbeheer = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    manager = user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied)
    klein = verse(make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA).wijkagenda)
    groot = verse(make_cycle(werkgebied, jaar=2028, fase=Fase.AGENDA).wijkagenda)
    _vul(klein, manager, 1, stadsbeheer)
    _vul(groot, manager, 8, stadsbeheer)
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)
    for user in (manager, accounthouder):
        client.force_login(user)
        small = _queries(client, f"/werkgebieden/{werkgebied.slug}/2027/wijkagenda/")
        with django_assert_max_num_queries(small):
            client.get(f"/werkgebieden/{werkgebied.slug}/2028/wijkagenda/")
    # Mijn werk with 1 and with 16 signals waiting.
    assert Beleidssignaal.objects.filter(cluster=stadsbeheer).count() == 9
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.force_login(accounthouder)
    Beleidssignaal.objects.filter(wijkagenda=groot).delete()
    few = _queries(client, "/mijn-werk/")
    _vul(groot, manager, 12, stadsbeheer)
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.force_login(accounthouder)
    with django_assert_max_num_queries(few + 1):  # the count of the rest, once over the limit
        html = client.get("/mijn-werk/").content.decode()
    assert "13 beleidssignalen wachten op uw antwoord" in html
    assert "Hieronder de 10 oudste" in html


@pytest.mark.django_db
def test_mijn_werk_lists_own_cluster_signals_only(client, alle_rollen, werkgebied, inhoud):
    for role, sees in [
        ("accounthouder", True),
        ("accounthouder ander cluster", False),
        ("accounthouder ander gebied", False),
        ("accounthouder verlopen", False),
        ("wijkmanager", False),
    ]:
        client.force_login(alle_rollen[role][0])
        html = client.get("/mijn-werk/").content.decode()
        assert ("Grofvuil" in html) == sees, role
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get("/mijn-werk/").content.decode()
    assert "1 beleidssignaal wacht op uw antwoord" in html
    assert f"/beleidssignalen/{inhoud['signaal'].pk}/beantwoorden/" in html


@pytest.mark.django_db
def test_absurd_choices_give_errors_not_a_crash(client, werkgebied, agenda, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/punten/nieuw/",
        {
            "titel": "Punt",
            "probleem": "p",
            "collectief": "on",
            "wijken": ["99999999999999999999"],
            "themaanalyses": ["-1"],
            "citaten": ["abc"],
            "thema": "99999999999999999999",
            "versie": "99999999999999999999",
        },
    )
    assert response.status_code == 200
    assert not Agendapunt.objects.exists()
    response = client.post(
        f"{base(werkgebied)}/wijkagenda/signalen/nieuw/",
        {
            "titel": "x" * 300,
            "toelichting": "t",
            "cluster": "99999999999999999999",
            "versie": verse(agenda).versie,
        },
    )
    assert response.status_code == 200
    assert "Maximaal 200 tekens" in response.content.decode()
    assert not Beleidssignaal.objects.exists()
