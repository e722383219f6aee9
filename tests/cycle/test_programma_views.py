"""The pages of the wijkprogramma's content: the drafter's pages and the owner's answer page
for every role (in and out of scope, the wrong cluster, expired roles), the programme page's
content and controls, bad, absurd, stale and repeated input, "Mijn werk" for an accounthouder,
the published snapshot, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services
from cycle.forms_programma import EuroField
from cycle.models import (
    Agendapunt,
    Fase,
    Initiatief,
    Productstatus,
    Toezegging,
    Wijkprogramma,
)
from cycle.services_programma import initiatief_afwijzen, initiatief_toezeggen
from people.models import Partner, Rol
from tests.conftest import ROLE_NAMES
from tests.cycle.inhoud import met_initiatief
from tests.participation.plan import kaders_invullen
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

RUNNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
EXTRA_ROLES = ["accounthouder ander cluster", "wijkmanager verlopen", "accounthouder verlopen"]
ALL_ROLES = [*ROLE_NAMES, *EXTRA_ROLES]
# Who answers for an initiative of Stadsbeheer: its accounthouders in the werkgebied's gebied.
STADSBEHEER_ANTWOORDT = {"accounthouder"}


def verse(programma) -> Wijkprogramma:
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(pk=programma.pk)


def fresh(initiatief) -> Initiatief:
    return Initiatief.objects.get(pk=initiatief.pk)


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")


@pytest.fixture
def partner(db):
    return Partner.objects.get_or_create(slug="woonstad-test", defaults={"naam": "Woonstad test"})[
        0
    ]


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)


@pytest.fixture
def programma(cyclus):
    return verse(cyclus.wijkprogramma)


@pytest.fixture
def punten(cyclus):
    punten = list(Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).order_by("rang"))
    assert len(punten) >= 2
    return punten


@pytest.fixture
def alle_rollen(roles, werkgebied, stadsbeheer):
    """The shared role table plus the wrong cluster and expired roles."""
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    vorig_jaar = gisteren - datetime.timedelta(days=365)
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
def inhoud(programma, punten, wijkmanager, stadsbeheer, partner):
    """Two initiatives on the first agendapunt: one of Stadsbeheer, one of a partner. The
    other agendapunten have none."""
    a = met_initiatief(
        programma, wijkmanager, cluster=stadsbeheer, agendapunt=punten[0], titel="Grofvuilactie"
    )
    p = met_initiatief(
        programma, wijkmanager, partner=partner, agendapunt=punten[0], titel="Portiekgesprekken"
    )
    return {"a": a, "p": p}


def base(werkgebied, jaar=2027):
    return f"/werkgebieden/{werkgebied.slug}/{jaar}"


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


def form_data(punt, versie, **extra):
    """A valid initiative as the form posts it."""
    return {
        "agendapunt": punt.pk,
        "titel": "Buurtschoonmaak",
        "beoogd_effect": "Minder afval naast de containers.",
        "soort_eigenaar": "bewonersgroep",
        "cluster": "",
        "partner": "",
        "bewonersgroep": "Bewoners van de Boezemstraat",
        "trekker_naam": "Fatima de Vries",
        "bijdragers": "",
        "participatieniveau": "coproduceren",
        "start": "2027-02-01",
        "eind": "2027-11-30",
        "bedrag": "",
        "financiering": "geen",
        "succesindicator": "De helft minder meldingen over afval.",
        "versie": versie,
    } | extra


# ------------------------------------------------------------------ the role matrix


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_drafter_pages_and_actions_matrix(
    client, alle_rollen, werkgebied, programma, punten, inhoud, role
):
    """Every page and action of the drafter; each POST with the version just read, so that an
    allowed role really changes the programme and a refused one changes nothing."""
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    allowed = role in RUNNERS
    b = f"{base(werkgebied)}/wijkprogramma/initiatieven"
    a, p = inhoud["a"], inhoud["p"]
    actions = [
        ("get", f"{b}/nieuw/", None),
        ("post", f"{b}/nieuw/", form_data(punten[1], 0)),
        ("get", f"{b}/{a.pk}/bewerken/", None),
        (
            "post",
            f"{b}/{a.pk}/bewerken/",
            form_data(
                punten[0],
                0,
                titel="Anders",
                soort_eigenaar="cluster",
                cluster=a.cluster_id,
                bewonersgroep="",
            ),
        ),
        ("get", f"{b}/{p.pk}/verwijderen/", None),
        ("post", f"{b}/{p.pk}/verwijderen/", {"versie": 0}),
    ]
    for method, url, data in actions:
        versie = verse(programma).versie
        if data is not None:
            data["versie"] = versie
        before = AuditEntry.objects.count()
        response = getattr(client, method)(url, data or {})
        expect(response, allowed=allowed, anonymous=user is None)
        if method == "post":
            assert (AuditEntry.objects.count() > before) == allowed, (role, url)
            assert (verse(programma).versie > versie) == allowed, (role, url)
    titels = set(Initiatief.objects.values_list("titel", flat=True))
    if allowed:
        assert titels == {"Anders", "Buurtschoonmaak"}
    else:
        assert titels == {"Grofvuilactie", "Portiekgesprekken"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_answer_page_matrix_for_a_cluster_initiative(client, alle_rollen, werkgebied, inhoud, role):
    """Only the accounthouder of Stadsbeheer in the werkgebied's gebied answers for
    Stadsbeheer: not the wijkmanager, not another cluster, not another gebied."""
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    a = inhoud["a"]
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/{a.pk}/toezegging/"
    allowed = role in STADSBEHEER_ANTWOORDT
    expect(client.get(url), allowed=allowed, anonymous=user is None)
    response = client.post(
        url,
        {"actie": "toezeggen", "toezeggen-versie": a.versie, "toezeggen-trekker_naam": "Piet"},
    )
    expect(response, allowed=allowed, anonymous=user is None)
    a = fresh(a)
    if allowed:
        assert response["Location"] == "/mijn-werk/"
        assert a.toezegging == Toezegging.TOEGEZEGD and a.trekker_naam == "Piet"
    else:
        assert a.toezegging == Toezegging.GEVRAAGD and a.trekker_naam == "Fatima de Vries"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_answer_page_matrix_for_a_partner_initiative(
    client, alle_rollen, werkgebied, programma, inhoud, role
):
    """For a partner whoever runs the cycle records the answer."""
    user, _ = alle_rollen[role]
    if user is not None:
        client.force_login(user)
    p = inhoud["p"]
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/{p.pk}/toezegging/"
    allowed = role in RUNNERS
    expect(client.get(url), allowed=allowed, anonymous=user is None)
    response = client.post(
        url, {"actie": "afwijzen", "afwijzen-versie": p.versie, "afwijzen-reden": "Geen tijd"}
    )
    expect(response, allowed=allowed, anonymous=user is None)
    p = fresh(p)
    if allowed:
        assert response["Location"].endswith(f"/wijkprogramma/#initiatief-{p.pk}")
        assert p.toezegging == Toezegging.AFGEWEZEN and p.toezegging_reden == "Geen tijd"
    else:
        assert p.toezegging == Toezegging.GEVRAAGD


@pytest.mark.django_db
def test_objects_of_another_cycle_are_not_found(
    client, werkgebied, ander_werkgebied, make_cycle, inhoud, beheerder
):
    """An initiative's id under another cycle's URL is a 404, even for a beheerder."""
    make_cycle(ander_werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    client.force_login(beheerder)
    ander = f"{base(ander_werkgebied)}/wijkprogramma/initiatieven"
    a = inhoud["a"]
    for url in [
        f"{ander}/{a.pk}/bewerken/",
        f"{ander}/{a.pk}/verwijderen/",
        f"{ander}/{a.pk}/toezegging/",
        f"{base(werkgebied)}/wijkprogramma/initiatieven/99999999999999999999/bewerken/",
        f"{base(werkgebied, 2099)}/wijkprogramma/initiatieven/nieuw/",
    ]:
        assert client.get(url).status_code == 404, url


# ------------------------------------------------------------------ the programme page


@pytest.mark.django_db
def test_wijkmanager_sees_initiatives_per_agendapunt_and_the_controls(
    client, werkgebied, programma, punten, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    html = client.get(f"{base(werkgebied)}/wijkprogramma/").content.decode()
    # In agenda order, each initiative under its point; a point without one says so.
    assert html.index(punten[0].titel) < html.index("Grofvuilactie") < html.index(punten[1].titel)
    assert "Voor dit agendapunt staat nog geen initiatief in het programma." in html
    assert f"nieuw/?agendapunt={punten[1].pk}" in html
    assert f'id="initiatief-{inhoud["a"].pk}"' in html
    assert "Initiatief ‘Grofvuilactie’ bewerken" in html
    assert "Initiatief ‘Grofvuilactie’ verwijderen" in html
    assert "Initiatief toevoegen" in html
    assert "2 initiatieven" in html and "2 wacht op toezegging" in html
    # The wijkmanager answers for the partner, not for Stadsbeheer.
    assert "Initiatief ‘Portiekgesprekken’ toezeggen of afwijzen" in html
    assert "Initiatief ‘Grofvuilactie’ toezeggen of afwijzen" not in html
    # The adoption check says what is missing.
    assert "2 initiatieven zonder toezegging van de eigenaar" in html


@pytest.mark.django_db
def test_accounthouder_sees_answer_link_only_for_own_cluster(
    client, alle_rollen, werkgebied, inhoud
):
    url = f"{base(werkgebied)}/wijkprogramma/"
    for role, sees in [
        ("accounthouder", True),
        ("accounthouder ander cluster", False),
        ("wijkraadslid", False),
    ]:
        client.force_login(alle_rollen[role][0])
        html = client.get(url).content.decode()
        assert ("Initiatief ‘Grofvuilactie’ toezeggen of afwijzen" in html) == sees, role
        assert "Initiatief ‘Grofvuilactie’ bewerken" not in html


@pytest.mark.django_db
def test_decline_reason_only_for_those_involved(
    client, alle_rollen, werkgebied, programma, inhoud, wijkmanager
):
    accounthouder = alle_rollen["accounthouder"][0]
    initiatief_toezeggen(
        initiatief=inhoud["a"], user=accounthouder, expected_versie=inhoud["a"].versie
    )
    initiatief_toezeggen(
        initiatief=inhoud["p"], user=wijkmanager, expected_versie=inhoud["p"].versie
    )
    kaders_invullen(programma.cyclus)
    services.product_transition(
        product=verse(programma),
        user=wijkmanager,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    # In consultation the owner may still withdraw.
    initiatief_afwijzen(
        initiatief=inhoud["a"],
        user=accounthouder,
        expected_versie=fresh(inhoud["a"]).versie,
        reden="Ons budget is op.",
    )
    url = f"{base(werkgebied)}/wijkprogramma/"
    for role, sees in [
        ("anoniem", False),
        ("bewoner", False),
        ("raad", False),
        ("wijkmanager", True),
        ("wijkraadslid", True),
        ("accounthouder", True),
    ]:
        client.logout()
        if alle_rollen[role][0] is not None:
            client.force_login(alle_rollen[role][0])
        response = client.get(url)
        assert response.status_code == 200, role
        html = response.content.decode()
        # The state of the toezegging is public with the programme; the reason is not.
        assert "Grofvuilactie" in html and "afgewezen" in html, role
        assert ("Ons budget is op." in html) == sees, role


@pytest.mark.django_db
def test_execution_status_shows_once_the_cycle_runs(client, werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    initiatief = Initiatief.objects.filter(wijkprogramma__cyclus=cyclus).first()
    Initiatief.objects.filter(pk=initiatief.pk).update(percentage=40, laatste_update=timezone.now())
    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied))
    html = client.get(f"{base(werkgebied)}/wijkprogramma/").content.decode()
    assert "40% gereed" in html and "laatst bijgewerkt op" in html
    assert "Uitvoering:" in html and "gepland" in html
    # The initiative's own page (cycle.views_uitvoering) has its progress history.
    assert f'href="{base(werkgebied)}/wijkprogramma/initiatieven/{initiatief.pk}/"' in html
    assert "Initiatief toevoegen" not in html and "toezeggen of afwijzen" not in html


# ------------------------------------------------------------------ the drafter's forms


@pytest.mark.django_db
def test_add_saves_and_goes_back_to_the_initiative(
    client, werkgebied, programma, punten, wijkmanager, stadsbeheer
):
    client.force_login(wijkmanager)
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/"
    page = client.get(f"{url}?agendapunt={punten[1].pk}").content.decode()
    assert f'<option value="{punten[1].pk}" selected>' in page
    assert "bewoners beslissen mee" in page  # the ladder explained
    response = client.post(
        url,
        form_data(
            punten[1],
            verse(programma).versie,
            soort_eigenaar="cluster",
            cluster=stadsbeheer.pk,
            bewonersgroep="",
            bedrag="1.500,50",
            financiering="wijkbudget",
        ),
    )
    initiatief = Initiatief.objects.get()
    assert response["Location"].endswith(f"/wijkprogramma/#initiatief-{initiatief.pk}")
    assert initiatief.bedrag == Decimal("1500.50")
    assert initiatief.cluster == stadsbeheer and initiatief.bewonersgroep == ""
    assert initiatief.agendapunt == punten[1]
    assert initiatief.toezegging == Toezegging.GEVRAAGD
    html = client.get(response["Location"]).content.decode()
    assert "Initiatief ‘Buurtschoonmaak’ is toegevoegd; Stadsbeheer wordt om een toezegging" in html
    assert "€ 1.500,50" in html
    # The edit form shows the amount in Dutch and the owner's kind chosen.
    edit = client.get(
        f"{base(werkgebied)}/wijkprogramma/initiatieven/{initiatief.pk}/bewerken/"
    ).content.decode()
    assert 'value="1.500,50"' in edit
    assert 'value="cluster" class="form-check-input" id="id_soort_eigenaar_0" checked' in edit or (
        'value="cluster"' in edit and "checked" in edit
    )


@pytest.mark.django_db
def test_changing_a_committed_initiative_asks_the_owner_again(
    client, alle_rollen, werkgebied, programma, punten, inhoud, wijkmanager
):
    a = inhoud["a"]
    initiatief_toezeggen(
        initiatief=a, user=alle_rollen["accounthouder"][0], expected_versie=a.versie
    )
    client.force_login(wijkmanager)
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/{a.pk}/bewerken/"
    assert "opnieuw om een toezegging gevraagd" in client.get(url).content.decode()
    response = client.post(
        url,
        form_data(
            punten[0],
            verse(programma).versie,
            titel="Grofvuilactie",
            soort_eigenaar="cluster",
            cluster=a.cluster_id,
            bewonersgroep="",
            eind="2027-12-15",
        ),
        follow=True,
    )
    assert "Stadsbeheer opnieuw om een toezegging gevraagd" in response.content.decode()
    assert fresh(a).toezegging == Toezegging.GEVRAAGD


BAD_INPUT = [
    # (changes to a valid post, field with the error, message)
    ({"eind": "2027-01-01"}, "eind", "Het einde ligt vóór de start."),
    (
        {"soort_eigenaar": "", "bewonersgroep": ""},
        "soort_eigenaar",
        "Kies de eigenaar: een cluster, een partner of een bewonersgroep.",
    ),
    ({"soort_eigenaar": "cluster"}, "cluster", "Kies het cluster dat eigenaar is."),
    ({"cluster": "STADSBEHEER"}, "cluster", "Een initiatief heeft één eigenaar."),
    ({"soort_eigenaar": "", "cluster": "STADSBEHEER"}, "soort_eigenaar", "Kies één eigenaar"),
    ({"soort_eigenaar": "hacker"}, "soort_eigenaar", "Selecteer een geldige keuze"),
    ({"bedrag": "-50", "financiering": "wijkbudget"}, "bedrag", "niet negatief"),
    ({"bedrag": "99999999999999999999"}, "bedrag", "Dat bedrag is te groot"),
    ({"bedrag": "1e400"}, "bedrag", "Vul een bedrag in euro's in"),
    ({"bedrag": "NaN"}, "bedrag", "Vul een bedrag in euro's in"),
    ({"bedrag": "12,345"}, "bedrag", "Hoogstens twee cijfers achter de komma"),
    ({"bedrag": "500", "financiering": "geen"}, "financiering", "Zeg waar het geld vandaan"),
    ({"titel": "x" * 201}, "titel", "Maximaal 200 tekens (nu 201)"),
    ({"beoogd_effect": "x" * 100_000}, "beoogd_effect", "Maximaal 5000 tekens"),
    ({"titel": "   "}, "titel", "Geef het initiatief een titel."),
    ({"start": "2027-02-30"}, "start", "Vul een geldige datum in"),
    ({"start": "9999-01-01", "eind": "9999-12-31"}, "start", "Kies een datum tussen"),
    ({"participatieniveau": "alles"}, "participatieniveau", "Selecteer een geldige keuze"),
    ({"agendapunt": "99999999999999999999"}, "agendapunt", "Kies een agendapunt van de"),
    (
        {"cluster": "-1", "soort_eigenaar": "cluster", "bewonersgroep": ""},
        "cluster",
        "uit de lijst",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "veld", "bericht"), BAD_INPUT)
def test_bad_input_gives_dutch_errors_next_to_the_field_and_saves_nothing(
    client, werkgebied, programma, punten, wijkmanager, stadsbeheer, changes, veld, bericht
):
    client.force_login(wijkmanager)
    changes = {k: (stadsbeheer.pk if v == "STADSBEHEER" else v) for k, v in changes.items()}
    data = form_data(punten[0], verse(programma).versie, **changes)
    response = client.post(f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/", data)
    assert response.status_code == 200
    assert veld in response.context["form"].errors, response.context["form"].errors
    assert bericht in " ".join(response.context["form"].errors[veld])
    html = response.content.decode()
    assert f'id="error_1_id_{veld}"' in html or f"id_{veld}_error" in html or bericht in html
    # Nothing entered is lost.
    assert "Bewoners van de Boezemstraat" in html or changes.get("bewonersgroep") == ""
    assert "De helft minder meldingen over afval." in html
    assert not Initiatief.objects.exists()


@pytest.mark.django_db
def test_agendapunt_of_another_cycle_is_refused(
    client, werkgebied, ander_werkgebied, make_cycle, programma, punten, wijkmanager
):
    ander = make_cycle(ander_werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    vreemd = Agendapunt.objects.filter(wijkagenda__cyclus=ander).first()
    client.force_login(wijkmanager)
    response = client.post(
        f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/",
        form_data(vreemd, verse(programma).versie),
    )
    assert response.status_code == 200
    assert "Kies een agendapunt van de wijkagenda van dit jaar." in response.content.decode()
    assert not Initiatief.objects.exists()


@pytest.mark.django_db
def test_huge_text_is_refused_without_a_crash(client, werkgebied, programma, punten, wijkmanager):
    """Ten million characters exceed what Django reads of a request at all: a 400, nothing
    saved (under that limit, the field says how long it may be: see BAD_INPUT)."""
    client.force_login(wijkmanager)
    response = client.post(
        f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/",
        form_data(punten[0], verse(programma).versie, beoogd_effect="x" * 10_000_000),
    )
    assert response.status_code == 400
    assert not Initiatief.objects.exists()


@pytest.mark.django_db
def test_stale_form_keeps_the_input_and_changes_nothing(
    client, werkgebied, programma, punten, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    oud = verse(programma).versie
    met_initiatief(programma, wijkmanager, agendapunt=punten[1], bewonersgroep="Ander")
    a = inhoud["a"]
    response = client.post(
        f"{base(werkgebied)}/wijkprogramma/initiatieven/{a.pk}/bewerken/",
        form_data(
            punten[0],
            oud,
            titel="Mijn versie",
            soort_eigenaar="cluster",
            cluster=a.cluster_id,
            bewonersgroep="",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in html
    assert "Mijn versie" in html
    assert fresh(a).titel == "Grofvuilactie"


@pytest.mark.django_db
def test_double_submit_adds_once_and_deletes_once(
    client, werkgebied, programma, punten, inhoud, wijkmanager
):
    client.force_login(wijkmanager)
    data = form_data(punten[1], verse(programma).versie)
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/"
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in response.content.decode()
    assert Initiatief.objects.filter(titel="Buurtschoonmaak").count() == 1

    p = inhoud["p"]
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/{p.pk}/verwijderen/"
    versie = {"versie": verse(programma).versie}
    assert client.get(url).status_code == 200
    assert client.post(url, versie)["Location"].endswith("/wijkprogramma/#initiatieven")
    response = client.post(url, versie, follow=True)
    assert "Dit initiatief bestaat niet meer." in response.content.decode()
    assert not Initiatief.objects.filter(pk=p.pk).exists()
    assert Initiatief.objects.count() == 2


@pytest.mark.django_db
def test_missing_or_absurd_versie_says_the_form_was_incomplete(
    client, werkgebied, programma, punten, wijkmanager
):
    client.force_login(wijkmanager)
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/nieuw/"
    for versie in ("", "abc", "99999999999999999999"):
        response = client.post(url, form_data(punten[0], versie))
        assert response.status_code == 200
        html = response.content.decode()
        assert "onvolledig verstuurd" in html or "Iemand anders heeft dit stuk" in html
    assert not Initiatief.objects.exists()


@pytest.mark.django_db
def test_forms_redirect_once_the_programme_is_adopted(
    client, alle_rollen, werkgebied, programma, inhoud, wijkmanager
):
    accounthouder = alle_rollen["accounthouder"][0]
    initiatief_toezeggen(
        initiatief=inhoud["a"], user=accounthouder, expected_versie=inhoud["a"].versie
    )
    initiatief_toezeggen(
        initiatief=inhoud["p"], user=wijkmanager, expected_versie=inhoud["p"].versie
    )
    services.product_transition(
        product=verse(programma),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    client.force_login(wijkmanager)
    b = f"{base(werkgebied)}/wijkprogramma/initiatieven"
    for url in (f"{b}/nieuw/", f"{b}/{inhoud['a'].pk}/bewerken/"):
        response = client.get(url, follow=True)
        assert "kan in deze fase of status niet worden gewijzigd" in response.content.decode()
    response = client.post(f"{b}/{inhoud['p'].pk}/verwijderen/", {"versie": 99})
    assert "kan in deze fase of status niet meer worden gewijzigd" in response.content.decode()
    assert Initiatief.objects.filter(pk=inhoud["p"].pk).exists()
    # The accounthouder can no longer withdraw: back to the programme with a message.
    client.force_login(accounthouder)
    response = client.get(f"{b}/{inhoud['a'].pk}/toezegging/", follow=True)
    assert "een toezegging kan nu niet meer worden gegeven" in response.content.decode()
    html = client.get(f"{base(werkgebied)}/wijkprogramma/").content.decode()
    assert "Initiatief toevoegen" not in html and "toezeggen of afwijzen" not in html


# ------------------------------------------------------------------ the owner's answer


@pytest.mark.django_db
def test_answer_page_flow(client, alle_rollen, werkgebied, punten, inhoud):
    accounthouder = alle_rollen["accounthouder"][0]
    client.force_login(accounthouder)
    a = inhoud["a"]
    url = f"{base(werkgebied)}/wijkprogramma/initiatieven/{a.pk}/toezegging/"
    page = client.get(url).content.decode()
    assert punten[0].titel in page and punten[0].probleem.split()[0] in page
    assert 'value="Fatima de Vries"' in page  # the trekker prefilled
    assert "Toezeggen" in page and "Afwijzen" in page

    # Decline without a reason: the error next to the field, nothing changes.
    response = client.post(url, {"actie": "afwijzen", "afwijzen-versie": 1, "afwijzen-reden": " "})
    assert "Zeg waarom: de opsteller moet er iets mee kunnen." in response.content.decode()
    # An e-mail address without an account: said next to the field, the input stays.
    response = client.post(
        url,
        {
            "actie": "toezeggen",
            "toezeggen-versie": 1,
            "toezeggen-trekker_naam": "Karel Kok",
            "toezeggen-trekker_email": "niemand@example.org",
        },
    )
    html = response.content.decode()
    assert "Er is geen account met dit e-mailadres" in html and "Karel Kok" in html
    # No trekker: refused.
    response = client.post(
        url, {"actie": "toezeggen", "toezeggen-versie": 1, "toezeggen-trekker_naam": ""}
    )
    assert "Noem de trekker" in response.content.decode()
    # An unknown action: nothing happens.
    response = client.post(url, {"actie": "alles", "toezeggen-versie": 1}, follow=True)
    assert "kon niet worden verwerkt" in response.content.decode()
    assert fresh(a).toezegging == Toezegging.GEVRAAGD

    trekker = UserFactory(email="karel@example.org")
    response = client.post(
        url,
        {
            "actie": "toezeggen",
            "toezeggen-versie": 1,
            "toezeggen-trekker_naam": "Karel Kok",
            "toezeggen-trekker_email": "KAREL@example.org",
        },
    )
    assert response["Location"] == "/mijn-werk/"
    a = fresh(a)
    assert a.toezegging == Toezegging.TOEGEZEGD
    assert a.trekker_naam == "Karel Kok" and a.trekker == trekker
    html = client.get("/mijn-werk/").content.decode()
    assert "U heeft ‘Grofvuilactie’ toegezegd, met Karel Kok als trekker." in html

    # Sent again (stale): nothing changes, the page says why.
    response = client.post(
        url, {"actie": "toezeggen", "toezeggen-versie": 1, "toezeggen-trekker_naam": "Ander"}
    )
    assert response.status_code == 200
    assert "gewijzigd nadat u de pagina opende" in response.content.decode()
    assert fresh(a).trekker_naam == "Karel Kok"
    # Committed: the page offers to withdraw, with a reason.
    page = client.get(url).content.decode()
    assert "Toezegging intrekken" in page and "toezeggen-trekker_naam" not in page
    response = client.post(
        url,
        {"actie": "afwijzen", "afwijzen-versie": a.versie, "afwijzen-reden": "x" * 3001},
    )
    assert "Maximaal 3000 tekens" in response.content.decode()
    assert fresh(a).toezegging == Toezegging.TOEGEZEGD


# ------------------------------------------------------------------ "Mijn werk"


@pytest.mark.django_db
def test_mijn_werk_lists_own_cluster_initiatives_only(client, alle_rollen, werkgebied, inhoud):
    for role, sees in [
        ("accounthouder", True),
        ("accounthouder ander cluster", False),
        ("accounthouder ander gebied", False),
        ("accounthouder verlopen", False),
        ("wijkmanager", False),
    ]:
        client.force_login(alle_rollen[role][0])
        html = client.get("/mijn-werk/").content.decode()
        assert ("Grofvuilactie" in html) == sees, role
        # Never the partner's initiative: the accounthouder does not answer for it.
        assert "Portiekgesprekken" not in html
        toezeggingen = client.get("/mijn-werk/toezeggingen/")
        assert toezeggingen.status_code == 200
        assert ("Grofvuilactie" in toezeggingen.content.decode()) == sees, role
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get("/mijn-werk/").content.decode()
    assert "1 initiatief wacht op uw toezegging" in html
    assert f"/wijkprogramma/initiatieven/{inhoud['a'].pk}/toezegging/" in html
    assert "/mijn-werk/toezeggingen/" in html
    client.logout()
    response = client.get("/mijn-werk/toezeggingen/")
    assert response["Location"].startswith("/inloggen/?next=")


@pytest.mark.django_db
def test_mijn_werk_forgets_answered_and_adopted(client, alle_rollen, werkgebied, inhoud):
    accounthouder = alle_rollen["accounthouder"][0]
    initiatief_toezeggen(
        initiatief=inhoud["a"], user=accounthouder, expected_versie=inhoud["a"].versie
    )
    client.force_login(accounthouder)
    html = client.get("/mijn-werk/").content.decode()
    assert "Grofvuilactie" not in html
    assert "Er wachten geen initiatieven op een toezegging van uw cluster." in html


# ------------------------------------------------------------------ query counts


def _vul(programma, user, n, stadsbeheer, punten):
    for i in range(n):
        met_initiatief(
            programma,
            user,
            cluster=stadsbeheer,
            agendapunt=punten[i % len(punten)],
            titel=f"Initiatief {i}",
            bijdragers="Buurtwerk",
        )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _clear_cache():
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_programme_page_and_mijn_werk_use_a_fixed_number_of_queries(
    client, werkgebied, make_cycle, stadsbeheer, django_assert_max_num_queries
):
    manager = user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied)
    klein = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    groot = make_cycle(werkgebied, jaar=2028, fase=Fase.PROGRAMMA)
    punten_klein = list(Agendapunt.objects.filter(wijkagenda__cyclus=klein))
    punten_groot = list(Agendapunt.objects.filter(wijkagenda__cyclus=groot))
    _vul(verse(klein.wijkprogramma), manager, 1, stadsbeheer, punten_klein)
    _vul(verse(groot.wijkprogramma), manager, 25, stadsbeheer, punten_groot)
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)
    for user in (manager, accounthouder, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        else:
            # The public reads a programme in consultation.
            Wijkprogramma.objects.filter(cyclus__in=[klein, groot]).update(
                status=Productstatus.CONSULTATIE
            )
        _clear_cache()
        small = _queries(client, f"{base(werkgebied)}/wijkprogramma/")
        _clear_cache()
        with django_assert_max_num_queries(small):
            response = client.get(f"{base(werkgebied, 2028)}/wijkprogramma/")
        assert "Initiatief 24" in response.content.decode()

    # Mijn werk and the full list with 1 and with 26 initiatives waiting.
    Initiatief.objects.filter(wijkprogramma__cyclus=groot).delete()
    client.force_login(accounthouder)
    _clear_cache()
    few = _queries(client, "/mijn-werk/")
    few_list = _queries(client, "/mijn-werk/toezeggingen/")
    # The programmes are in consultation now: their owners can still answer.
    Initiatief.objects.all().delete()
    _vul(verse(groot.wijkprogramma), manager, 26, stadsbeheer, punten_groot)
    _clear_cache()
    client.force_login(accounthouder)
    with django_assert_max_num_queries(few + 1):  # the count of the rest, once over the limit
        html = client.get("/mijn-werk/").content.decode()
    assert "26 initiatieven wachten op uw toezegging" in html
    assert "Hieronder de 10 oudste" in html
    for pagina in ("", "?pagina=2", "?pagina=999", "?pagina=abc"):
        with django_assert_max_num_queries(few_list + 1):
            response = client.get(f"/mijn-werk/toezeggingen/{pagina}")
        assert response.status_code == 200
    html = client.get("/mijn-werk/toezeggingen/?pagina=2").content.decode()
    assert "Pagina 2 van 2" in html and "Initiatief 25" in html


# ------------------------------------------------------------------ the snapshot


@pytest.mark.django_db
def test_snapshot_shows_the_structure_without_reasons(
    alle_rollen, programma, punten, inhoud, wijkmanager
):
    from publication.snapshot import render_snapshot

    initiatief_afwijzen(
        initiatief=inhoud["p"],
        user=wijkmanager,
        expected_versie=inhoud["p"].versie,
        reden="Geheime reden van de partner.",
    )
    Initiatief.objects.filter(pk=inhoud["a"].pk).update(
        bedrag=Decimal("2500"), financiering="wijkbudget"
    )
    html = render_snapshot(verse(programma), versie=1, gepubliceerd_op=timezone.now())
    assert f"Agendapunt 1: {punten[0].titel}" in html
    assert html.index("Grofvuilactie") < html.index(f"Agendapunt 2: {punten[1].titel}")
    assert "(geen initiatief voor dit agendapunt)" in html
    assert "Stadsbeheer (wacht op toezegging)" in html
    assert "Woonstad test (afgewezen)" in html
    assert "Geheime reden" not in html
    assert "2.500,00" in html and "Uit het wijkbudget" in html


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("tekst", "bedrag"),
    [
        ("", Decimal(0)),
        ("1500", Decimal("1500")),
        ("1.500", Decimal("1500")),
        ("1.500,50", Decimal("1500.50")),
        ("1500,5", Decimal("1500.5")),
        ("€ 1.500,-", Decimal("1500")),
        ("1500.50", Decimal("1500.50")),
        ("1.234.567,89", Decimal("1234567.89")),
        (" 0,99 ", Decimal("0.99")),
    ],
)
def test_euro_field_reads_dutch_amounts(tekst, bedrag):
    assert EuroField().clean(tekst) == bedrag


@pytest.mark.parametrize(
    "tekst", ["-1", "1,2,3", "12.34.5", "abc", "1e5", "Infinity", "1,999", "10000000000", "x" * 40]
)
def test_euro_field_refuses_nonsense(tekst):
    with pytest.raises(ValidationError):
        EuroField().clean(tekst)


def test_euro_field_follows_the_language():
    from django.utils import translation

    with translation.override("en"):
        assert EuroField().clean("1,500.50") == Decimal("1500.50")
        assert EuroField().prepare_value(Decimal("1500.5")) == "1,500.50"
    with translation.override("nl"):
        assert EuroField().prepare_value(Decimal("1500.5")) == "1.500,50"
