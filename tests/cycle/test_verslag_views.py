"""The twelve-month report's pages for every role: the report of a cycle, the forms to
record an initiative's end, carry it over and judge it, and the city-wide view."""

import pytest

from cycle.models import Afloop, Fase, Initiatief, Oordeel, Uitvoeringsstatus, Wijkprogramma
from people.models import Rol
from tests.people.factories import user_with_role

JAAR = 2026


@pytest.fixture
def programma(werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied, jaar=JAAR, fase=Fase.VERANTWOORDING, lopend=1)
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


@pytest.fixture
def lopend(programma):
    """The initiative still running when the year ended."""
    return programma.initiatieven.exclude(status=Uitvoeringsstatus.GEREALISEERD).get()


def url(programma, pad=""):
    return f"/werkgebieden/{programma.cyclus.werkgebied.slug}/{JAAR}/twaalfmaandenrapport/{pad}"


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("anoniem", 302),
        ("bewoner (geen rol)", 403),
        ("bewoner", 403),
        ("wijkmanager", 200),
        ("wijkmanager ander werkgebied", 403),
        ("accounthouder", 200),
        ("accounthouder ander gebied", 403),
        ("wijkraadslid", 200),
        ("wijkraadslid ander werkgebied", 403),
        ("raad", 200),
        ("beheerder", 200),
    ],
)
def test_the_report_before_the_programme_is_public(client, roles, programma, rol, verwacht):
    user, _ = roles[rol]
    response = as_user(client, user).get(url(programma))
    assert response.status_code == verwacht
    if verwacht == 302:
        assert "/inloggen/" in response["Location"] or "login" in response["Location"]
    if verwacht == 200:
        page = response.content.decode()
        assert "Twaalfmaandenrapport" in page
        assert "gerealiseerd" in page
        # Only who runs the cycle records the end; only the wijkraad judges.
        assert ("Afloop van ‘" in page) == (rol in ("wijkmanager", "beheerder"))
        assert ("Oordeel over ‘" in page) == (rol == "wijkraadslid")


@pytest.mark.django_db
def test_the_report_is_public_with_the_programme(client, programma, wijkmanager):
    from cycle import services

    services.product_transition(
        product=programma,
        user=wijkmanager,
        transition="publiceren",
        expected_status=programma.status,
        bevestigd=True,
    )
    response = client.get(url(programma))
    assert response.status_code == 200
    assert "Afloop van ‘" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("anoniem", 302),
        ("bewoner", 403),
        ("wijkmanager", 200),
        ("wijkmanager ander werkgebied", 403),
        ("accounthouder", 403),
        ("wijkraadslid", 403),
        ("beheerder", 200),
    ],
)
def test_who_records_the_end(client, roles, programma, lopend, rol, verwacht):
    user, _ = roles[rol]
    client = as_user(client, user)
    assert client.get(url(programma, f"{lopend.pk}/afloop/")).status_code == verwacht
    response = client.post(
        url(programma, f"{lopend.pk}/afloop/"),
        {"versie": lopend.versie, "afloop": Afloop.GESCHRAPT, "reden": "Niet meer nodig"},
    )
    assert response.status_code == (302 if verwacht == 200 else verwacht)
    assert Initiatief.objects.get(pk=lopend.pk).afloop == (
        Afloop.GESCHRAPT if verwacht == 200 else ""
    )


@pytest.mark.django_db
def test_bad_input_is_explained_next_to_the_field(client, programma, lopend, wijkmanager):
    client.force_login(wijkmanager)
    for data, veld, bericht in [
        ({"afloop": Afloop.GESCHRAPT, "reden": ""}, "reden", "Zeg waarom"),
        ({"afloop": Afloop.GEREALISEERD}, "afloop", "Alleen een initiatief"),
        ({"afloop": "weg"}, "afloop", "Selecteer een geldige keuze"),
        ({"afloop": Afloop.GESCHRAPT, "reden": "x" * 3001}, "reden", "Maximaal 3000 tekens"),
    ]:
        response = client.post(
            url(programma, f"{lopend.pk}/afloop/"), {"versie": lopend.versie, **data}
        )
        assert response.status_code == 200, data
        assert bericht in str(response.context["form"].errors.get(veld, "")), data
    # A stale page changes nothing and says so.
    response = client.post(
        url(programma, f"{lopend.pk}/afloop/"),
        {"versie": lopend.versie + 7, "afloop": Afloop.GESCHRAPT, "reden": "Weg"},
    )
    assert response.status_code == 200
    assert "gewijzigd nadat u de pagina opende" in response.content.decode()
    assert Initiatief.objects.get(pk=lopend.pk).afloop == ""
    # An initiative that is not of this cycle is not found here.
    assert client.get(url(programma, "999999/afloop/")).status_code == 404


@pytest.mark.django_db
def test_the_wijkraad_judges_in_the_browser(client, programma, lopend, werkgebied, wijkmanager):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    pad = url(programma, f"{lopend.pk}/oordeel/")
    assert as_user(client, wijkmanager).get(pad).status_code == 403
    client.force_login(lid)
    response = client.post(pad, {"versie": lopend.versie, "oordeel": ""})
    assert response.status_code == 200
    assert "Kies een oordeel" in response.content.decode()
    response = client.post(
        pad, {"versie": lopend.versie, "oordeel": Oordeel.DEELS, "toelichting": "Half af"}
    )
    assert response.status_code == 302
    assert Initiatief.objects.get(pk=lopend.pk).oordeel == Oordeel.DEELS


@pytest.mark.django_db
def test_carrying_over_in_one_step(client, programma, lopend, werkgebied, wijkmanager, make_cycle):
    client.force_login(wijkmanager)
    pad = url(programma, f"{lopend.pk}/doorschuiven/")
    make_cycle(werkgebied, jaar=JAAR + 1, fase=Fase.PROGRAMMA)
    response = client.get(pad)
    voorstel = response.context["form"].initial["agendapunt"]
    assert voorstel is not None
    response = client.post(pad, {"versie": lopend.versie, "agendapunt": voorstel.pk})
    assert response.status_code == 302
    assert Initiatief.objects.get(pk=lopend.pk).afloop == Afloop.DOORGESCHOVEN
    kopie = Initiatief.objects.get(doorgeschoven_van=lopend)
    assert kopie.wijkprogramma.cyclus.jaar == JAAR + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [("anoniem", 302), ("bewoner", 403), ("wijkmanager", 403), ("raad", 200), ("beheerder", 200)],
)
def test_the_city_view_is_for_the_council(
    client, roles, programma, rol, verwacht, django_assert_max_num_queries
):
    user, _ = roles[rol]
    client = as_user(client, user)
    client.get(f"/twaalfmaandenrapport/{JAAR}/")
    with django_assert_max_num_queries(8):
        response = client.get(f"/twaalfmaandenrapport/{JAAR}/")
    assert response.status_code == verwacht
    if verwacht == 200:
        assert programma.cyclus.werkgebied.naam in response.content.decode()


@pytest.mark.django_db
def test_carried_over_while_next_years_programme_is_adopted_then_taken_over(
    client, programma, lopend, werkgebied, wijkmanager, make_cycle, roles
):
    """Next year's programme is adopted already: carrying over only records it; the report
    says it waits; the drafter of the next programme being drafted takes it over in one step,
    with the agenda point of the same theme preselected and Dutch errors next to the field."""
    make_cycle(werkgebied, jaar=JAAR + 1, fase=Fase.UITVOERING)
    client.force_login(wijkmanager)
    pad = url(programma, f"{lopend.pk}/doorschuiven/")
    response = client.get(pad)
    page = response.content.decode()
    assert "Er wordt nu geen later wijkprogramma opgesteld" in page
    assert "agendapunt" not in response.context["form"].fields
    response = client.post(pad, {"versie": lopend.versie})
    assert response.status_code == 302
    assert Initiatief.objects.get(pk=lopend.pk).afloop == Afloop.DOORGESCHOVEN
    assert not Initiatief.objects.filter(doorgeschoven_van=lopend).exists()
    assert "wacht op het volgende wijkprogramma" in client.get(url(programma)).content.decode()

    later = make_cycle(werkgebied, jaar=JAAR + 2, fase=Fase.PROGRAMMA)
    nieuw = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=later)
    programma_pagina = client.get(nieuw.get_absolute_url()).content.decode()
    assert "Doorgeschoven uit eerdere jaren" in programma_pagina
    overnemen = (
        f"/werkgebieden/{werkgebied.slug}/{JAAR + 2}/wijkprogramma/doorgeschoven/"
        f"{lopend.pk}/overnemen/"
    )
    assert overnemen in programma_pagina

    # Every role but the drafter is refused; the anonymous visitor is sent to log in.
    for rol, verwacht in [
        ("anoniem", 302),
        ("bewoner", 403),
        ("wijkmanager ander werkgebied", 403),
        ("accounthouder", 403),
        ("wijkraadslid", 403),
        ("raad", 403),
    ]:
        client.logout()
        user, _ = roles[rol]
        response = as_user(client, user).get(overnemen)
        assert response.status_code == verwacht, rol
        response = as_user(client, user).post(overnemen, {"versie": nieuw.versie})
        assert response.status_code == verwacht, rol
    assert not Initiatief.objects.filter(doorgeschoven_van=lopend).exists()

    client.force_login(wijkmanager)
    response = client.get(overnemen)
    voorstel = response.context["form"].initial["agendapunt"]
    assert voorstel is not None and voorstel.wijkagenda.cyclus_id == later.pk
    # No choice: the message sits next to the field.
    response = client.post(overnemen, {"versie": nieuw.versie, "agendapunt": ""})
    assert response.status_code == 200
    assert "Kies het agendapunt" in response.content.decode()
    # A point of another cycle is not among the choices.
    vreemd_punt = programma.cyclus.wijkagenda.agendapunten.first()
    response = client.post(overnemen, {"versie": nieuw.versie, "agendapunt": vreemd_punt.pk})
    assert response.status_code == 200
    assert "Kies een agendapunt van de wijkagenda van het nieuwe programma" in (
        response.content.decode()
    )
    response = client.post(overnemen, {"versie": nieuw.versie, "agendapunt": voorstel.pk})
    assert response.status_code == 302
    kopie = Initiatief.objects.get(doorgeschoven_van=lopend)
    assert kopie.wijkprogramma_id == nieuw.pk
    # Taken over: the link is gone and the page is not found any more; a double submit
    # changes nothing.
    assert client.get(overnemen).status_code == 404
    nogmaals = client.post(overnemen, {"versie": nieuw.versie, "agendapunt": voorstel.pk})
    assert nogmaals.status_code == 404
    assert Initiatief.objects.filter(doorgeschoven_van=lopend).count() == 1
    assert f"doorgeschoven naar {JAAR + 2}" in client.get(url(programma)).content.decode()
