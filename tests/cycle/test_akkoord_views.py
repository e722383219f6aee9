"""The wijkakkoord's pages: who may open which (anonymous to the login page, others 403), the
drafter's forms with Dutch messages next to the field and the input kept, a stale form, the
steps, the opgave and doel fields on the agendapunt and initiative forms, and the akkoord
page's queries staying fixed as its opgaven and the cycles' contributions grow."""

import datetime

import pytest

from cycle import services_akkoord as s
from cycle.models import Agendapunt, Akkoordstatus, Fase, Initiatief, Wijkakkoord
from people.models import Rol
from tests.people.factories import user_with_role

from .test_akkoord import DATUM, compleet, vastgesteld, vers

RUNS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
INVOLVED = RUNS | {"wijkraadslid", "accounthouder"}


@pytest.fixture
def wijkraadslid(werkgebied):
    return user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)


def base(akkoord) -> str:
    return f"/werkgebieden/{akkoord.werkgebied.slug}/wijkakkoord/{akkoord.startjaar}/"


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


def login(client, roles, role):
    user = roles[role][0]
    client.logout()
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize(
    "role",
    [
        "anoniem",
        "bewoner",
        "wijkmanager",
        "wijkmanager via gebied",
        "wijkmanager ander werkgebied",
        "accounthouder",
        "accounthouder ander gebied",
        "wijkraadslid",
        "wijkraadslid ander werkgebied",
        "raad",
        "beheerder",
    ],
)
def test_page_matrix(client, roles, werkgebied, beheerder, role):
    akkoord = compleet(werkgebied, beheerder)
    opgave = akkoord.opgaven.get()
    user = login(client, roles, role)
    anoniem = user is None
    # A concept: those involved read it; the drafter's pages for who runs the cycle.
    expect(client.get(base(akkoord)), allowed=role in INVOLVED, anonymous=anoniem)
    for pad in ("bewerken/", "opgaven/nieuw/", f"opgaven/{opgave.pk}/bewerken/"):
        expect(client.get(base(akkoord) + pad), allowed=role in RUNS, anonymous=anoniem)
    expect(
        client.post(
            base(akkoord) + "stap/", {"stap": "naar_advies", "status": "concept", "versie": 99}
        ),
        allowed=role in RUNS,
        anonymous=anoniem,
    )
    # Out for advice: the wijkraadslid of the werkgebied records it.
    akkoord = s.wijkakkoord_transition(
        akkoord=vers(akkoord), user=beheerder, transition="naar_advies", expected_status="concept"
    )
    expect(client.get(base(akkoord) + "advies/"), allowed=role == "wijkraadslid", anonymous=anoniem)
    expect(client.get(base(akkoord) + "vaststellen/"), allowed=role in RUNS, anonymous=anoniem)
    # Published: everyone reads it.
    akkoord = s.advies_vastleggen(
        akkoord=akkoord,
        user=user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied),
        expected_versie=akkoord.versie,
        advies="Goed",
        advies_van="Wijkraad",
        advies_op=DATUM,
    )
    akkoord = s.wijkakkoord_transition(
        akkoord=akkoord,
        user=beheerder,
        transition="vaststellen",
        expected_status="advies",
        vastgesteld_op=DATUM,
        vastgesteld_door="raad",
        besluitreferentie="R1",
    )
    s.wijkakkoord_transition(
        akkoord=akkoord, user=beheerder, transition="publiceren", expected_status="vastgesteld"
    )
    response = client.get(base(akkoord))
    assert response.status_code == 200
    assert "Goed" in response.content.decode()
    expect(client.get(base(akkoord) + "bewerken/"), allowed=role in RUNS, anonymous=anoniem)


def test_werkgebied_page_lists_it_and_offers_a_new_one(client, werkgebied, wijkmanager, beheerder):
    akkoord = compleet(werkgebied, beheerder)
    url = f"/werkgebieden/{werkgebied.slug}/"
    html = client.get(url).content.decode()
    assert akkoord.titel not in html  # a concept: not for the public
    client.force_login(wijkmanager)
    html = client.get(url).content.decode()
    assert akkoord.get_absolute_url() in html
    assert f"/werkgebieden/{werkgebied.slug}/wijkakkoord/nieuw/" in html


def test_start_form_refuses_an_overlap_in_dutch_next_to_the_field(client, werkgebied, wijkmanager):
    s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=2026)
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/wijkakkoord/nieuw/",
        {"startjaar": "2028", "titel": "Mijn titel"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "loopt al in deze jaren" in form.errors["startjaar"][0]
    assert 'value="Mijn titel"' in response.content.decode()
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/wijkakkoord/nieuw/", {"startjaar": "2030", "titel": ""}
    )
    assert response.status_code == 302
    assert Wijkakkoord.objects.filter(startjaar=2030, eindjaar=2033).exists()


def test_opgave_form_errors_in_dutch_and_input_kept(client, werkgebied, wijkmanager):
    akkoord = s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=2026)
    client.force_login(wijkmanager)
    url = base(akkoord) + "opgaven/nieuw/"
    response = client.post(url, {"versie": 1, "titel": "Schone straten", "beschrijving": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["beschrijving"] == [
        "Beschrijf de opgave: wat moet er in de wijk gebeuren, en waarom?"
    ]
    assert 'value="Schone straten"' in response.content.decode()
    response = client.post(url, {"versie": 1, "titel": "x" * 201, "beschrijving": "b"})
    assert "Maximaal 200 tekens (nu 201)." in response.context["form"].errors["titel"]
    assert not akkoord.opgaven.exists()


def test_a_stale_form_keeps_the_input_and_says_so(client, werkgebied, wijkmanager):
    akkoord = s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=2026)
    s.wijkakkoord_wijzigen(
        akkoord=akkoord, user=wijkmanager, expected_versie=1, titel="Ander", wijkvisie="Visie"
    )
    client.force_login(wijkmanager)
    response = client.post(
        base(akkoord) + "opgaven/nieuw/",
        {"versie": 1, "titel": "Mijn opgave", "beschrijving": "Mijn tekst"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "intussen gewijzigd" in html
    assert "Mijn tekst" in html
    assert not akkoord.opgaven.exists()


def test_steps_from_the_page(client, werkgebied, wijkmanager, wijkraadslid):
    akkoord = compleet(werkgebied, wijkmanager)
    client.force_login(wijkmanager)
    html = client.get(base(akkoord)).content.decode()
    assert "Voor advies aan de wijkraad voorleggen" in html
    response = client.post(
        base(akkoord) + "stap/",
        {"stap": "naar_advies", "status": "concept", "versie": akkoord.versie},
    )
    assert response.status_code == 302
    akkoord = vers(akkoord)
    assert akkoord.status == Akkoordstatus.ADVIES
    # The wijkraadslid records advice; a date in the future is refused in Dutch.
    client.force_login(wijkraadslid)
    morgen = datetime.date.today() + datetime.timedelta(days=2)
    data = {"versie": akkoord.versie, "advies": "Positief advies", "advies_van": "Wijkraad"}
    response = client.post(base(akkoord) + "advies/", {**data, "advies_op": morgen.isoformat()})
    assert response.context["form"].errors["advies_op"] == [
        "Het advies kan niet in de toekomst gegeven zijn."
    ]
    assert "Positief advies" in response.content.decode()
    response = client.post(base(akkoord) + "advies/", {**data, "advies_op": DATUM.isoformat()})
    assert response.status_code == 302
    akkoord = vers(akkoord)
    assert akkoord.advies_vastgelegd_door == wijkraadslid
    # The wijkmanager adopts (a missing reference next to its field) and publishes.
    client.force_login(wijkmanager)
    url = base(akkoord) + "vaststellen/"
    besluit = {
        "versie": akkoord.versie,
        "vastgesteld_op": DATUM.isoformat(),
        "vastgesteld_door": "raad",
    }
    response = client.post(url, {**besluit, "besluitreferentie": ""})
    assert response.context["form"].errors["besluitreferentie"] == [
        "Vul de referentie van het besluit in."
    ]
    response = client.post(url, {**besluit, "besluitreferentie": "RIS 9"})
    assert response.status_code == 302
    akkoord = vers(akkoord)
    client.post(
        base(akkoord) + "stap/",
        {"stap": "publiceren", "status": "vastgesteld", "versie": akkoord.versie},
    )
    assert vers(akkoord).status == Akkoordstatus.GEPUBLICEERD
    client.logout()
    html = client.get(base(akkoord)).content.decode()
    assert "RIS 9" in html and "Positief advies" in html


def test_agendapunt_form_offers_the_akkoord_only_where_one_applies(
    client, werkgebied, wijkmanager, wijkraadslid, make_cycle
):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    url = f"/werkgebieden/{werkgebied.slug}/2027/wijkagenda/punten/nieuw/"
    client.force_login(wijkmanager)
    response = client.get(url)
    assert response.status_code == 200
    assert "wijkopgave" not in response.context["form"].fields
    akkoord = vastgesteld(werkgebied, wijkmanager, wijkraadslid, titels=("Schoon", "Spelen"))
    schoon, spelen = akkoord.opgaven.order_by("volgorde")
    form = client.get(url).context["form"]
    assert list(form.fields["wijkopgave"].queryset) == [schoon, spelen]
    data = {
        "versie": cyclus.wijkagenda.__class__.objects.get(cyclus=cyclus).versie,
        "titel": "Afval",
        "probleem": "Vuil",
        "onderbouwing": "Cijfers",
        "collectief": "on",
        "wijkopgave": schoon.pk,
        "doel": spelen.doelen.get().pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["doel"] == [
        "Dit doel hoort bij een andere opgave. Kies een doel van de opgave."
    ]
    response = client.post(url, {**data, "doel": schoon.doelen.get().pk})
    assert response.status_code == 302
    assert Agendapunt.objects.get(titel="Afval").wijkopgave == schoon


def _bijdragen(werkgebied, akkoord, user, jaren):
    """Per year a cycle in execution whose agendapunten and initiatives refer to the akkoord."""
    opgaven = list(akkoord.opgaven.order_by("volgorde"))
    for jaar in jaren:
        from cycle.demo import demo_cycle

        demo_cycle(werkgebied=werkgebied, jaar=jaar, doel=Fase.UITVOERING, user=user)
        for i, punt in enumerate(Agendapunt.objects.filter(wijkagenda__cyclus__jaar=jaar)):
            opgave = opgaven[i % len(opgaven)]
            Agendapunt.objects.filter(pk=punt.pk).update(wijkopgave=opgave)
            Initiatief.objects.filter(agendapunt=punt).update(
                wijkopgave=opgave, doel=opgave.doelen.first()
            )


@pytest.mark.parametrize("anoniem", [True, False])
def test_akkoord_page_queries_stay_fixed(
    client, werkgebied, wijkmanager, wijkraadslid, beheerder, django_assert_max_num_queries, anoniem
):
    klein = vastgesteld(werkgebied, wijkmanager, wijkraadslid, titels=("Schoon",))
    groot = vastgesteld(
        werkgebied, wijkmanager, wijkraadslid, startjaar=2030, titels=("A", "B", "C", "D")
    )
    for akkoord in (klein, groot):
        s.wijkakkoord_transition(
            akkoord=vers(akkoord),
            user=wijkmanager,
            transition="publiceren",
            expected_status="vastgesteld",
        )
    _bijdragen(werkgebied, klein, beheerder, [2026])
    _bijdragen(werkgebied, groot, beheerder, [2030, 2031])
    if not anoniem:
        client.force_login(wijkmanager)
    client.get(f"/werkgebieden/{werkgebied.slug}/")  # the session and roles, read once
    counts = []
    for akkoord in (klein, groot):
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(base(akkoord))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    html = response.content.decode()
    assert "Cyclus 2031" in html
    # The programme is adopted, not published: its initiatives for those involved only.
    assert ("Schoonmaakacties" in html) == (not anoniem)
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[1]):
        client.get(base(groot) + "?opnieuw=1")


@pytest.mark.django_db
def test_agenda_programme_and_initiative_pages_name_the_opgave_and_doel(
    client, werkgebied, wijkmanager, wijkraadslid, beheerder
):
    """An agendapunt and an initiative show the opgave and doel they serve, linked to the
    akkoord page once it is public."""
    akkoord = vastgesteld(werkgebied, wijkmanager, wijkraadslid, titels=("Schoon", "Groen"))
    _bijdragen(werkgebied, akkoord, beheerder, [2026])
    punt = Agendapunt.objects.filter(wijkopgave__isnull=False).select_related("wijkopgave")[0]
    initiatief = Initiatief.objects.filter(doel__isnull=False).select_related(
        "doel", "wijkprogramma__cyclus"
    )[0]
    cyclus = initiatief.wijkprogramma.cyclus
    client.force_login(wijkmanager)
    agenda = client.get(f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/wijkagenda/")
    html = agenda.content.decode()
    assert punt.wijkopgave.titel in html
    # Adopted, not published yet: named, not linked.
    assert f"#opgave-{punt.wijkopgave.pk}" not in html
    s.wijkakkoord_transition(
        akkoord=vers(akkoord),
        user=wijkmanager,
        transition="publiceren",
        expected_status="vastgesteld",
    )
    html = client.get(f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/wijkagenda/").content.decode()
    assert f"{base(akkoord)}#opgave-{punt.wijkopgave.pk}" in html
    programma = client.get(f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/wijkprogramma/")
    assert f"#doel-{initiatief.doel.pk}" in programma.content.decode()
    detail = client.get(
        f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/wijkprogramma/initiatieven/{initiatief.pk}/"
    )
    assert detail.status_code == 200
    assert initiatief.doel.titel in detail.content.decode()


@pytest.mark.django_db
def test_mijn_werk_lists_the_akkoorden_being_prepared(
    client, werkgebied, ander_werkgebied, wijkmanager, wijkraadslid
):
    akkoord = compleet(werkgebied, wijkmanager, 2030)
    titel = f"Wijkakkoord {werkgebied.naam} 2030–2033"
    client.force_login(wijkmanager)
    assert titel in client.get("/mijn-werk/").content.decode()
    # The wijkraad sees it once it is asked for advice; another werkgebied's never.
    client.force_login(wijkraadslid)
    assert titel not in client.get("/mijn-werk/").content.decode()
    s.wijkakkoord_transition(
        akkoord=akkoord, user=wijkmanager, transition="naar_advies", expected_status="concept"
    )
    html = client.get("/mijn-werk/").content.decode()
    assert titel in html
    assert "wacht op het advies van de wijkraad" in html
    client.force_login(user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied))
    assert titel not in client.get("/mijn-werk/").content.decode()
