"""The wijk-MT's wijkraad delegation, meetings and besluitenlijst: the services (permission,
validation per field, version, audit), who may read and who may write (every role, the wrong
werkgebied, an expired role), the pages (errors next to the fields, the input kept, stale
edits), the decisions shown on the initiative and its knelpunt, and fixed query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle import selectors_wijkmt, services_wijkmt
from cycle.models import Besluit, Fase, Initiatief, Knelpunt, Overleg, WijkMTLid
from cycle.services import StaleStateError
from pagecache.services import bump
from people.models import Rol
from tests.people.factories import RoltoewijzingFactory, user_with_role

VANDAAG = datetime.date(2026, 5, 12)


@pytest.fixture
def uitvoering(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2026, fase=Fase.UITVOERING)


@pytest.fixture
def initiatief(uitvoering):
    return (
        Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering)
        .select_related("wijkprogramma__cyclus__werkgebied")
        .order_by("pk")
        .first()
    )


@pytest.fixture
def knelpunt(initiatief, wijkmanager):
    return Knelpunt.objects.create(
        initiatief=initiatief, beschrijving="De vergunning blijft liggen.", gemeld_door=wijkmanager
    )


@pytest.fixture
def overleg(werkgebied, wijkmanager):
    return services_wijkmt.overleg_toevoegen(
        werkgebied=werkgebied, user=wijkmanager, datum=VANDAAG, locatie="Wijkhuis"
    )


@pytest.fixture
def ander_initiatief(ander_werkgebied, make_cycle):
    cyclus = make_cycle(ander_werkgebied, jaar=2026, fase=Fase.UITVOERING)
    return Initiatief.objects.filter(wijkprogramma__cyclus=cyclus).order_by("pk").first()


def verlopen(rol, **scope):
    """A user whose role ended yesterday."""
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    return RoltoewijzingFactory(
        rol=rol,
        geldig_vanaf=gisteren - datetime.timedelta(days=365),
        geldig_tot=gisteren,
        **scope,
    ).user


# ------------------------------------------------------------------------ services


@pytest.mark.django_db
def test_delegation_only_active_wijkraadsleden_of_the_werkgebied(
    werkgebied, ander_werkgebied, wijkmanager
):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    tweede = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    elders = user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied)
    oud = verlopen(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    for fout in (elders, oud):
        with pytest.raises(ValidationError) as exc:
            services_wijkmt.delegatie_vastleggen(
                werkgebied=werkgebied, user=wijkmanager, leden=[lid, fout], expected_versie=0
            )
        assert "leden" in exc.value.message_dict
    assert not WijkMTLid.objects.exists()

    delegatie = services_wijkmt.delegatie_vastleggen(
        werkgebied=werkgebied, user=wijkmanager, leden=[lid], expected_versie=0
    )
    assert delegatie.versie == 1
    leden = selectors_wijkmt.leden(werkgebied)
    assert [r.user for r in leden["wijkraad"]] == [lid]
    assert [r.user for r in leden["wijkraad_overig"]] == [tweede]
    entry = AuditEntry.objects.get(action="cycle.wijkmt_delegatie")
    assert entry.actor == wijkmanager and entry.data["erbij"] == [lid.pk]

    # A page read before that change saves nothing.
    with pytest.raises(StaleStateError):
        services_wijkmt.delegatie_vastleggen(
            werkgebied=werkgebied, user=wijkmanager, leden=[tweede], expected_versie=0
        )
    services_wijkmt.delegatie_vastleggen(
        werkgebied=werkgebied, user=wijkmanager, leden=[tweede], expected_versie=1
    )
    assert [r.user for r in selectors_wijkmt.leden(werkgebied)["wijkraad"]] == [tweede]
    assert AuditEntry.objects.filter(action="cycle.wijkmt_delegatie").count() == 2

    # An ended role drops the member from the wijk-MT by itself.
    tweede.rollen.update(
        geldig_vanaf=datetime.date(2020, 1, 1), geldig_tot=datetime.date(2021, 1, 1)
    )
    assert selectors_wijkmt.leden(werkgebied)["wijkraad"] == []


@pytest.mark.django_db
def test_only_the_chair_writes(werkgebied, ander_werkgebied, overleg):
    for user in (
        user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied),
        user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied),
        verlopen(Rol.WIJKMANAGER, werkgebied=werkgebied),
    ):
        with pytest.raises(PermissionDenied):
            services_wijkmt.overleg_toevoegen(werkgebied=werkgebied, user=user, datum=VANDAAG)
        with pytest.raises(PermissionDenied):
            services_wijkmt.besluit_toevoegen(overleg=overleg, user=user, tekst="Doen.")
        with pytest.raises(PermissionDenied):
            services_wijkmt.delegatie_vastleggen(
                werkgebied=werkgebied, user=user, leden=[], expected_versie=0
            )
    assert Overleg.objects.count() == 1
    assert not Besluit.objects.exists()


@pytest.mark.django_db
def test_meeting_validated_versioned_and_audited(werkgebied, wijkmanager, beheerder):
    with pytest.raises(ValidationError) as exc:
        services_wijkmt.overleg_toevoegen(
            werkgebied=werkgebied, user=wijkmanager, datum=None, locatie="x" * 201
        )
    assert set(exc.value.message_dict) == {"datum", "locatie"}
    assert "200 tekens" in exc.value.message_dict["locatie"][0]

    overleg = services_wijkmt.overleg_toevoegen(
        werkgebied=werkgebied,
        user=wijkmanager,
        datum=VANDAAG,
        locatie="  Wijkhuis\n De Nieuwe Branding ",
        agenda="1. Knelpunten\r\n2. Rondvraag",
    )
    assert overleg.locatie == "Wijkhuis De Nieuwe Branding"
    assert overleg.agenda == "1. Knelpunten\n2. Rondvraag"
    assert AuditEntry.objects.filter(action="cycle.overleg_toegevoegd", actor=wijkmanager).exists()

    # Two people edit the same meeting: the second, read at version 1, saves nothing.
    services_wijkmt.overleg_wijzigen(
        overleg=overleg, user=beheerder, expected_versie=1, notities="Afgesproken: A."
    )
    with pytest.raises(StaleStateError):
        services_wijkmt.overleg_wijzigen(
            overleg=overleg, user=wijkmanager, expected_versie=1, notities="Afgesproken: B."
        )
    overleg.refresh_from_db()
    assert (overleg.notities, overleg.versie) == ("Afgesproken: A.", 2)
    entry = AuditEntry.objects.get(action="cycle.overleg_gewijzigd")
    assert entry.data["velden"] == ["notities"] and entry.actor == beheerder


@pytest.mark.django_db
def test_decision_links_only_within_the_werkgebied(
    overleg, wijkmanager, initiatief, knelpunt, ander_initiatief, uitvoering
):
    vreemd_knelpunt = Knelpunt.objects.create(initiatief=ander_initiatief, beschrijving="Elders.")
    with pytest.raises(ValidationError) as exc:
        services_wijkmt.besluit_toevoegen(
            overleg=overleg,
            user=wijkmanager,
            tekst="Doen.",
            initiatief=ander_initiatief,
            knelpunt=vreemd_knelpunt,
        )
    assert exc.value.message_dict["initiatief"] == ["Kies een initiatief van dit werkgebied."]
    assert exc.value.message_dict["knelpunt"] == ["Kies een knelpunt van dit werkgebied."]

    # A knelpunt named together with an initiative must be that initiative's.
    ander = (
        Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering)
        .exclude(pk=initiatief.pk)
        .first()
    )
    with pytest.raises(ValidationError) as exc:
        services_wijkmt.besluit_toevoegen(
            overleg=overleg, user=wijkmanager, tekst="Doen.", initiatief=ander, knelpunt=knelpunt
        )
    assert set(exc.value.message_dict) == {"knelpunt"}

    # Required text, an actiehouder from outside the wijk-MT, an absurd deadline.
    buitenstaander = user_with_role(Rol.BEWONER, werkgebied=overleg.werkgebied)
    with pytest.raises(ValidationError) as exc:
        services_wijkmt.besluit_toevoegen(
            overleg=overleg,
            user=wijkmanager,
            tekst="  ",
            actiehouder=buitenstaander,
            deadline=datetime.date(1850, 1, 1),
        )
    assert set(exc.value.message_dict) == {"tekst", "actiehouder", "deadline"}
    assert not Besluit.objects.exists()

    besluit = services_wijkmt.besluit_toevoegen(
        overleg=overleg,
        user=wijkmanager,
        tekst="Stadsbeheer belt de vergunningverlener.",
        actiehouder=wijkmanager,
        deadline=VANDAAG + datetime.timedelta(days=14),
        initiatief=initiatief,
        knelpunt=knelpunt,
    )
    entry = AuditEntry.objects.get(action="cycle.besluit_toegevoegd")
    assert entry.data == {
        "overleg": overleg.pk,
        "besluit": besluit.pk,
        "initiatief": initiatief.pk,
        "knelpunt": knelpunt.pk,
    }
    # Both ways: from the initiative and from the knelpunt.
    assert selectors_wijkmt.besluiten_bij_initiatief(initiatief) == [besluit]
    assert selectors_wijkmt.besluiten_per_knelpunt([knelpunt.pk]) == {knelpunt.pk: [besluit]}

    # Changed once; a stale page saves nothing; removed with its own version.
    services_wijkmt.besluit_wijzigen(
        besluit=besluit,
        user=wijkmanager,
        expected_versie=1,
        actiehouder=None,
        actiehouder_naam="Karin van Woonstad",
    )
    with pytest.raises(StaleStateError):
        services_wijkmt.besluit_wijzigen(
            besluit=besluit, user=wijkmanager, expected_versie=1, tekst="B"
        )
    besluit.refresh_from_db()
    assert (besluit.actiehouder_label, besluit.versie) == ("Karin van Woonstad", 2)
    with pytest.raises(StaleStateError):
        services_wijkmt.besluit_verwijderen(besluit=besluit, user=wijkmanager, expected_versie=1)
    services_wijkmt.besluit_verwijderen(besluit=besluit, user=wijkmanager, expected_versie=2)
    assert not Besluit.objects.exists()
    assert AuditEntry.objects.get(action="cycle.besluit_verwijderd").data["besluit"] == besluit.pk


# ------------------------------------------------------------------- the role matrix

LEZERS = {"wijkmanager", "wijkmanager via gebied", "accounthouder", "wijkraadslid", "beheerder"}
VOORZITTERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
ROLLEN = [
    "anoniem",
    "bewoner (geen rol)",
    "bewoner",
    "wijkmanager",
    "wijkmanager via gebied",
    "wijkmanager ander werkgebied",
    "wijkmanager ander gebied",
    "accounthouder",
    "accounthouder ander gebied",
    "wijkraadslid",
    "wijkraadslid ander werkgebied",
    "raad",
    "beheerder",
    "wijkmanager met verlopen rol",
    "wijkraadslid met verlopen rol",
]


@pytest.fixture
def alle_rollen(roles, werkgebied):
    return {
        **roles,
        "wijkmanager met verlopen rol": (verlopen(Rol.WIJKMANAGER, werkgebied=werkgebied), False),
        "wijkraadslid met verlopen rol": (verlopen(Rol.WIJKRAADSLID, werkgebied=werkgebied), False),
    }


def verwacht(rol, toegestaan):
    if rol == "anoniem":
        return 302
    return 200 if rol in toegestaan else 403


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLLEN)
def test_rules_for_every_role(alle_rollen, werkgebied, overleg, rol):
    user, _ = alle_rollen[rol]
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    assert user.has_perm("cycle.view_wijkmt", werkgebied) == (rol in LEZERS)
    assert user.has_perm("cycle.view_wijkmt", overleg) == (rol in LEZERS)
    assert user.has_perm("cycle.manage_wijkmt", werkgebied) == (rol in VOORZITTERS)
    assert user.has_perm("cycle.manage_wijkmt", overleg) == (rol in VOORZITTERS)


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLLEN)
def test_pages_for_every_role(client, alle_rollen, werkgebied, overleg, wijkmanager, rol):
    user, _ = alle_rollen[rol]
    besluit = services_wijkmt.besluit_toevoegen(overleg=overleg, user=wijkmanager, tekst="Doen.")
    if user is not None:
        client.force_login(user)
    basis = f"/werkgebieden/{werkgebied.slug}/wijk-mt"
    for url in (f"{basis}/overleggen/", f"{basis}/overleggen/{overleg.pk}/"):
        response = client.get(url)
        assert response.status_code == verwacht(rol, LEZERS), url
        if response.status_code == 302:
            assert response["Location"].startswith("/inloggen/")
    for url in (
        f"{basis}/delegatie/",
        f"{basis}/overleggen/nieuw/",
        f"{basis}/overleggen/{overleg.pk}/bewerken/",
        f"{basis}/overleggen/{overleg.pk}/besluiten/nieuw/",
        f"{basis}/overleggen/{overleg.pk}/besluiten/{besluit.pk}/bewerken/",
    ):
        assert client.get(url).status_code == verwacht(rol, VOORZITTERS), url
    # A POST is refused just the same, and changes nothing.
    response = client.post(f"{basis}/overleggen/nieuw/", {"versie": 0, "datum": "2026-06-01"})
    assert response.status_code == (302 if rol in VOORZITTERS | {"anoniem"} else 403)
    response = client.post(
        f"{basis}/overleggen/{overleg.pk}/besluiten/{besluit.pk}/verwijderen/", {"versie": 1}
    )
    assert Besluit.objects.filter(pk=besluit.pk).exists() == (rol not in VOORZITTERS)
    assert Overleg.objects.count() == (2 if rol in VOORZITTERS else 1)


@pytest.mark.django_db
def test_a_meeting_of_another_werkgebied_is_not_found(client, ander_werkgebied, overleg, beheerder):
    client.force_login(beheerder)
    response = client.get(f"/werkgebieden/{ander_werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/")
    assert response.status_code == 404


# ----------------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_meeting_form_keeps_input_and_shows_dutch_errors(client, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/nieuw/"
    response = client.post(url, {"versie": 0, "datum": "31-02-2026", "agenda": "Mijn agenda"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["datum"] == ["Vul een geldige datum in (dag-maand-jaar)."]
    page = response.content.decode()
    assert "Mijn agenda" in page and 'aria-invalid="true"' in page
    response = client.post(url, {"versie": 0, "datum": "2026-06-01", "agenda": "Mijn agenda"})
    overleg = Overleg.objects.get()
    assert (
        response["Location"] == f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/"
    )


@pytest.mark.django_db
def test_stale_meeting_edit_keeps_input_and_shows_the_current_state(
    client, werkgebied, overleg, beheerder, wijkmanager
):
    services_wijkmt.overleg_wijzigen(
        overleg=overleg, user=beheerder, expected_versie=1, notities="Versie van de beheerder."
    )
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/bewerken/"
    data = {"versie": 1, "datum": "2026-05-12", "notities": "Mijn versie."}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "gewijzigd nadat u de pagina opende" in page
    assert "Mijn versie." in page and "Versie van de beheerder." in page
    # Saving again, knowing it, works.
    assert response.context["form"].data["versie"] == "2"
    response = client.post(url, {**data, "versie": 2})
    assert response.status_code == 302
    overleg.refresh_from_db()
    assert overleg.notities == "Mijn versie."


@pytest.mark.django_db
def test_decision_form_and_both_ways_links(
    client, werkgebied, overleg, wijkmanager, initiatief, knelpunt, uitvoering
):
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/besluiten/nieuw/"
    # Chosen already from the query (the knelpunt's "on the besluitenlijst").
    response = client.get(url, {"knelpunt": knelpunt.pk})
    assert response.context["form"].initial["knelpunt"] == knelpunt.pk
    response = client.post(url, {"versie": 0, "tekst": "", "knelpunt": "999999"})
    form = response.context["form"]
    assert form.errors["tekst"] == ["Dit veld is verplicht."] or form.errors["tekst"]
    assert form.errors["knelpunt"] == ["Kies een knelpunt uit de lijst."]
    response = client.post(
        url,
        {
            "versie": 0,
            "tekst": "De wijkmanager belt de vergunningverlener.",
            "actiehouder": wijkmanager.pk,
            "deadline": "2026-06-01",
            "initiatief": initiatief.pk,
            "knelpunt": knelpunt.pk,
        },
    )
    besluit = Besluit.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#besluit-{besluit.pk}")
    detail = client.get(f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/")
    assert initiatief.titel in detail.content.decode()

    # On the initiative's page (section and knelpunt), with a link back to the meeting.
    pagina = client.get(
        f"/werkgebieden/{werkgebied.slug}/2026/wijkprogramma/initiatieven/{initiatief.pk}/"
    ).content.decode()
    assert "Besluiten van het wijk-MT" in pagina
    assert pagina.count("De wijkmanager belt de vergunningverlener.") == 2
    assert f"/wijk-mt/overleggen/{overleg.pk}/#besluit-{besluit.pk}" in pagina
    # On the cycle's list of knelpunten too.
    lijst = client.get(f"/werkgebieden/{werkgebied.slug}/2026/knelpunten/").content.decode()
    assert "De wijkmanager belt de vergunningverlener." in lijst

    # Not for the public.
    client.logout()
    publiek = client.get(
        f"/werkgebieden/{werkgebied.slug}/2026/wijkprogramma/initiatieven/{initiatief.pk}/"
    ).content.decode()
    assert "vergunningverlener" not in publiek


@pytest.mark.django_db
def test_delegation_page(client, werkgebied, wijkmanager):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    ander = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/wijk-mt/delegatie/"
    response = client.get(url)
    assert {u.pk for u in response.context["form"].fields["leden"].queryset} == {lid.pk, ander.pk}
    response = client.post(url, {"versie": 0, "leden": [lid.pk]})
    assert response.status_code == 302
    overzicht = client.get(f"/werkgebieden/{werkgebied.slug}/wijk-mt/")
    assert [r.user for r in overzicht.context["leden"]["wijkraad"]] == [lid]
    # A page read before that (version 0) saves nothing and says so.
    response = client.post(url, {"versie": 0, "leden": [ander.pk]})
    assert response.status_code == 200
    assert (
        "Iemand anders heeft de wijkraaddelegatie intussen gewijzigd" in response.content.decode()
    )
    assert [r.user for r in selectors_wijkmt.leden(werkgebied)["wijkraad"]] == [lid]
    # Someone who is not a wijkraadslid here is refused next to the field.
    buiten = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    response = client.post(url, {"versie": 1, "leden": [buiten.pk]})
    assert response.context["form"].errors["leden"] == ["Kies alleen wijkraadsleden uit de lijst."]


@pytest.mark.django_db
def test_meeting_list_paginated_in_a_fixed_number_of_queries(
    client, werkgebied, wijkmanager, initiatief, django_assert_max_num_queries
):
    def maak(n, begin):
        for i in range(n):
            overleg = Overleg.objects.create(
                werkgebied=werkgebied,
                datum=datetime.date(2016, 1, 1) + datetime.timedelta(begin + i),
            )
            Besluit.objects.bulk_create(
                [
                    Besluit(overleg=overleg, tekst=f"Besluit {j}", initiatief=initiatief)
                    for j in range(3)
                ]
            )
        # Created directly, so without the audit entry that bumps the public version under
        # which the page keeps its content per user: bump it as the services do.
        bump()

    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/"
    maak(3, 0)
    with django_assert_max_num_queries(9) as klein:
        client.get(url)
    maak(60, 100)
    with django_assert_max_num_queries(len(klein.captured_queries)):
        response = client.get(url)
    pagina = response.context["pagina"]
    assert pagina.paginator.count == 63 and len(pagina.object_list) == 20
    assert pagina.object_list[0].aantal_besluiten == 3
    response = client.get(url, {"pagina": 4})
    assert len(response.context["pagina"].object_list) == 3
    # Nonsense page numbers show a page, never an error.
    assert client.get(url, {"pagina": "x<"}).status_code == 200

    # The meeting's page and the overview as well.
    overleg = Overleg.objects.order_by("pk").first()
    with django_assert_max_num_queries(9):
        client.get(f"{url}{overleg.pk}/")
    with django_assert_max_num_queries(15):
        assert client.get(f"/werkgebieden/{werkgebied.slug}/wijk-mt/").status_code == 200
