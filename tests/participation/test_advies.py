"""The wijkraad's advice: asked, given (or unasked), answered; bad input; stale pages; the
public pages, the product panel and snapshot, "Mijn werk"; the permission matrix of every page
for every role (wrong werkgebied, expired role); fixed query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import Fase
from cycle.services import StaleStateError, TransitionError
from participation import services_advies
from participation.models import Advies, Adviesstatus
from people.models import Rol
from tests.people.factories import user_with_role

from .test_plan import ROLES

RUNS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
LEDEN = {"wijkraadslid"}


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)


@pytest.fixture
def lid(werkgebied):
    return user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)


def _today():
    return timezone.localdate()


def vragen(cyclus, user, onderwerp="wijkagenda", termijn=None):
    return services_advies.advies_vragen(
        werkgebied=cyclus.werkgebied,
        user=user,
        onderwerp=onderwerp,
        cyclus=cyclus,
        vraag="Wat vindt de wijkraad van de volgorde?",
        termijn=termijn or _today() + datetime.timedelta(days=14),
    )


def geven(advies, lid, tekst="De wijkraad adviseert de schoolroutes eerst."):
    return services_advies.advies_geven(
        advies=advies,
        user=lid,
        expected_versie=advies.versie,
        tekst=tekst,
        besluitdatum=_today() - datetime.timedelta(days=1),
    )


def beantwoorden(advies, user, van="college"):
    return services_advies.advies_beantwoorden(
        advies=advies,
        user=user,
        expected_versie=advies.versie,
        antwoord="Het college neemt het advies over.",
        antwoord_van=van,
    )


# ------------------------------------------------------------------------------ services


@pytest.mark.django_db
def test_asked_given_answered(cyclus, wijkmanager, lid):
    advies = vragen(cyclus, wijkmanager)
    assert advies.status == Adviesstatus.GEVRAAGD and advies.werkgebied == cyclus.werkgebied
    advies = geven(advies, lid)
    assert advies.status == Adviesstatus.GEGEVEN and advies.gegeven_door == lid
    advies = beantwoorden(advies, wijkmanager)
    assert advies.status == Adviesstatus.BEANTWOORD and advies.antwoord_van == "college"
    assert advies.versie == 3
    assert list(
        AuditEntry.objects.filter(action__startswith="participation.advies")
        .order_by("pk")
        .values_list("action", "actor_rol")
    ) == [
        ("participation.advies_gevraagd", "wijkmanager"),
        ("participation.advies_gegeven", "wijkraadslid"),
        ("participation.advies_beantwoord", "wijkmanager"),
    ]


@pytest.mark.django_db
def test_unasked_advice_starts_given(cyclus, lid, wijkmanager):
    advies = services_advies.advies_ongevraagd(
        werkgebied=cyclus.werkgebied,
        user=lid,
        onderwerp="participatieplan",
        cyclus=cyclus,
        advies="Betrek de jongeren.",
        besluitdatum=_today(),
    )
    assert advies.status == Adviesstatus.GEGEVEN and advies.ongevraagd
    with pytest.raises(TransitionError):
        geven(advies, lid)
    assert beantwoorden(advies, wijkmanager, van="wijkmanager").status == "beantwoord"


@pytest.mark.django_db
def test_wrong_people_and_wrong_states(cyclus, wijkmanager, lid, ander_werkgebied):
    with pytest.raises(PermissionDenied):
        vragen(cyclus, lid)
    with pytest.raises(PermissionDenied):
        vragen(cyclus, user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied))
    advies = vragen(cyclus, wijkmanager)
    with pytest.raises(PermissionDenied):
        geven(advies, wijkmanager)
    with pytest.raises(PermissionDenied):
        geven(advies, user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied))
    with pytest.raises(TransitionError):
        beantwoorden(advies, wijkmanager)  # not given yet
    advies = geven(advies, lid)
    with pytest.raises(PermissionDenied):
        beantwoorden(advies, lid)
    assert Advies.objects.get().status == Adviesstatus.GEGEVEN


@pytest.mark.django_db
def test_a_stale_page_changes_nothing(cyclus, wijkmanager, lid):
    advies = vragen(cyclus, wijkmanager)
    geven(advies, lid)
    with pytest.raises(StaleStateError) as exc:
        geven(advies, lid, tekst="Tweede keer")  # the version the first page read
    assert "Iemand anders heeft dit advies intussen gewijzigd" in exc.value.message
    assert Advies.objects.get().advies.startswith("De wijkraad adviseert")


@pytest.mark.django_db
def test_bad_input_per_field(cyclus, wijkmanager, lid, ander_werkgebied, make_cycle):
    elders = make_cycle(ander_werkgebied, jaar=2027, fase=Fase.ANALYSE)
    gevallen = [
        (dict(onderwerp="wijkverslag"), "onderwerp"),
        (dict(cyclus=elders), "cyclus"),
        (dict(cyclus=None), "cyclus"),
        (dict(onderwerp="wijkakkoord", cyclus=None), "wijkakkoord"),
        (dict(termijn=_today() - datetime.timedelta(days=1)), "termijn"),
        (dict(termijn=_today() + datetime.timedelta(days=400)), "termijn"),
        (dict(termijn="morgen"), "termijn"),
        (dict(vraag="   "), "vraag"),
        (dict(vraag="x" * 5001), "vraag"),
    ]
    for extra, veld in gevallen:
        kwargs = dict(
            werkgebied=cyclus.werkgebied,
            user=wijkmanager,
            onderwerp="wijkagenda",
            cyclus=cyclus,
            vraag="Vraag",
            termijn=_today(),
        )
        kwargs.update(extra)
        with pytest.raises(ValidationError) as exc:
            services_advies.advies_vragen(**kwargs)
        assert veld in exc.value.message_dict, extra
    advies = vragen(cyclus, wijkmanager)
    for tekst, datum, veld in [
        ("", _today(), "advies"),
        ("Advies", _today() + datetime.timedelta(days=1), "besluitdatum"),
        ("Advies", None, "besluitdatum"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services_advies.advies_geven(
                advies=advies, user=lid, expected_versie=1, tekst=tekst, besluitdatum=datum
            )
        assert veld in exc.value.message_dict
    advies = geven(advies, lid)
    with pytest.raises(ValidationError) as exc:
        services_advies.advies_beantwoorden(
            advies=advies, user=wijkmanager, expected_versie=2, antwoord="", antwoord_van="raad"
        )
    assert set(exc.value.message_dict) == {"antwoord", "antwoord_van"}


# ------------------------------------------------------------------------------ pages


@pytest.mark.django_db
def test_the_journey_through_the_pages(client, cyclus, wijkmanager, lid):
    slug = cyclus.werkgebied.slug
    client.force_login(wijkmanager)
    nieuw = f"/werkgebieden/{slug}/adviezen/nieuw/"
    html = client.get(f"{nieuw}?onderwerp=wijkagenda&jaar=2027").content.decode()
    assert "Advies vragen aan de wijkraad" in html
    # Bad input: Dutch errors next to the fields, input kept.
    response = client.post(
        nieuw,
        {"onderwerp": "wijkagenda", "cyclus": "", "vraag": "Mijn vraag", "termijn": "gisteren"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies het programmajaar." in html and "Vul een geldige datum in" in html
    assert "Mijn vraag" in html
    termijn = (_today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        nieuw,
        {"onderwerp": "wijkagenda", "cyclus": cyclus.pk, "vraag": "Mijn vraag", "termijn": termijn},
    )
    advies = Advies.objects.get()
    assert response.status_code == 302 and response["Location"] == advies.get_absolute_url()

    client.force_login(lid)
    assert "Gevraagd advies van de wijkraad" in client.get("/mijn-werk/").content.decode()
    geven_url = f"/werkgebieden/{slug}/adviezen/{advies.pk}/geven/"
    response = client.post(geven_url, {"versie": "1", "advies": "", "besluitdatum": "2999-01-01"})
    html = response.content.decode()
    assert "Schrijf het advies van de wijkraad op." in html
    assert "Het besluit van de wijkraad kan niet in de toekomst liggen." in html
    gisteren = (_today() - datetime.timedelta(days=1)).isoformat()
    data = {"versie": "1", "advies": "Ons advies", "besluitdatum": gisteren}
    assert client.post(geven_url, data).status_code == 302
    # The same page posted again: the stale-page message, nothing lost.
    response = client.post(geven_url, {**data, "advies": "Nog eens"})
    assert "Iemand anders heeft dit advies intussen gewijzigd" in response.content.decode()
    assert "Nog eens" in response.content.decode()

    client.force_login(wijkmanager)
    assert "op antwoord wachten" in client.get("/mijn-werk/").content.decode()
    antwoord_url = f"/werkgebieden/{slug}/adviezen/{advies.pk}/beantwoorden/"
    response = client.post(antwoord_url, {"versie": "2", "antwoord": "", "antwoord_van": "x"})
    assert "Schrijf het antwoord op." in response.content.decode()
    data = {"versie": "2", "antwoord": "Overgenomen", "antwoord_van": "wijkmanager"}
    assert client.post(antwoord_url, data).status_code == 302
    # A step that is no longer possible: a message on the advice's page.
    response = client.get(antwoord_url, follow=True)
    assert "kan nu niet beantwoord worden" in response.content.decode()

    client.logout()
    werkgebied_html = client.get(f"/werkgebieden/{slug}/").content.decode()
    assert f'href="/werkgebieden/{slug}/adviezen/"' in werkgebied_html
    for url in (f"/werkgebieden/{slug}/adviezen/", advies.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Ons advies" in html and "Overgenomen" in html
        assert "Antwoord van de wijkmanager" in html


@pytest.mark.django_db
def test_advice_on_the_product_page_and_in_its_snapshot(client, cyclus, wijkmanager, lid):
    from publication.snapshot import render_snapshot

    advies = geven(vragen(cyclus, wijkmanager), lid)
    beantwoorden(advies, wijkmanager)
    agenda = cyclus.wijkagenda
    html = client.get(agenda.get_absolute_url()).content.decode()
    assert 'id="adviezen-product-kop"' in html and "schoolroutes eerst" in html
    snapshot = render_snapshot(agenda, versie=1, gepubliceerd_op=timezone.now())
    assert 'id="adviezen"' in snapshot
    assert "schoolroutes eerst" in snapshot and "Het college neemt het advies over." in snapshot
    assert 'href="#adviezen"' in snapshot
    # The programme has no advice: no section.
    assert 'id="adviezen"' not in render_snapshot(
        cyclus.wijkprogramma, versie=1, gepubliceerd_op=timezone.now()
    )


@pytest.mark.django_db
def test_mijn_werk_flags_overdue_advice_and_hides_other_werkgebieden(
    client, cyclus, wijkmanager, lid, ander_werkgebied, make_cycle
):
    te_laat = vragen(cyclus, wijkmanager)
    Advies.objects.filter(pk=te_laat.pk).update(termijn=_today() - datetime.timedelta(days=3))
    elders = make_cycle(ander_werkgebied, jaar=2027, fase=Fase.ANALYSE)
    vragen(elders, user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied), "participatieplan")
    client.force_login(lid)
    html = client.get("/mijn-werk/").content.decode()
    assert "termijn verstreken" in html
    assert "Feijenoord" not in html.split('id="advies-gevraagd-kop"', 1)[1].split("</section>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("rol", list(ROLES))
def test_permission_matrix_of_the_advice_pages(client, cyclus, ander_werkgebied, rol):
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=cyclus.werkgebied)
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=cyclus.werkgebied)
    gevraagd = vragen(cyclus, manager)
    gegeven = geven(vragen(cyclus, manager, "wijkprogramma"), lid)
    user = ROLES[rol](cyclus.werkgebied, ander_werkgebied)
    if user.is_authenticated:
        client.force_login(user)
    base = f"/werkgebieden/{cyclus.werkgebied.slug}/adviezen/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{gevraagd.pk}/").status_code == 200
    gisteren = (_today() - datetime.timedelta(days=1)).isoformat()
    pages = [
        ("nieuw", f"{base}nieuw/", RUNS | LEDEN, {}),
        (
            "geven",
            f"{base}{gevraagd.pk}/geven/",
            LEDEN,
            {"versie": "1", "advies": "Advies", "besluitdatum": gisteren},
        ),
        (
            "beantwoorden",
            f"{base}{gegeven.pk}/beantwoorden/",
            RUNS,
            {"versie": "2", "antwoord": "Antwoord", "antwoord_van": "wijkmanager"},
        ),
    ]
    for naam, url, mogen, data in pages:
        for response in (client.get(url), client.post(url, data)):
            if rol == "anoniem":
                assert response.status_code == 302 and "next=" in response["Location"], naam
            elif rol in mogen:
                assert response.status_code in (200, 302), (naam, response.status_code)
            else:
                assert response.status_code == 403, (rol, naam, response.status_code)
    statussen = dict(Advies.objects.values_list("pk", "status"))
    assert (statussen[gevraagd.pk] == "gegeven") == (rol in LEDEN)
    assert (statussen[gegeven.pk] == "beantwoord") == (rol in RUNS)


@pytest.mark.django_db
def test_a_missing_advice_or_werkgebied_is_404(client, cyclus, wijkmanager, ander_werkgebied):
    advies = vragen(cyclus, wijkmanager)
    assert (
        client.get(f"/werkgebieden/{ander_werkgebied.slug}/adviezen/{advies.pk}/").status_code
        == 404
    )
    assert client.get("/werkgebieden/bestaat-niet/adviezen/").status_code == 404
    assert client.get(f"/werkgebieden/{cyclus.werkgebied.slug}/adviezen/99999/").status_code == 404


@pytest.mark.django_db
def test_list_and_mijn_werk_use_a_fixed_number_of_queries(client, cyclus, wijkmanager, lid):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def maak(n):
        for _ in range(n):
            geven(vragen(cyclus, wijkmanager), lid)
            vragen(cyclus, wijkmanager, "participatieplan")

    def tel(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as koud:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200
        return len(koud), len(warm)

    lijst = f"/werkgebieden/{cyclus.werkgebied.slug}/adviezen/"
    paginas = [(wijkmanager, lijst), (lid, "/mijn-werk/"), (wijkmanager, "/mijn-werk/")]
    maak(2)
    weinig = [tel(user, url) for user, url in paginas]
    maak(30)  # more than a page of the list, more than "Mijn werk" shows
    veel = [tel(user, url) for user, url in paginas]
    assert veel == weinig
    assert all(koud <= 20 for koud, _warm in veel), veel


@pytest.mark.django_db
def test_the_wijkakkoord_page_shows_the_formal_advice_on_it(client, werkgebied, wijkmanager, lid):
    from cycle import services_akkoord

    akkoord = services_akkoord.wijkakkoord_aanmaken(
        werkgebied=werkgebied, user=wijkmanager, startjaar=2026
    )
    client.force_login(wijkmanager)
    url = akkoord.get_absolute_url()
    assert "Advies van de wijkraad" not in client.get(url).content.decode()
    services_advies.advies_ongevraagd(
        werkgebied=werkgebied,
        user=lid,
        onderwerp="wijkakkoord",
        wijkakkoord=akkoord,
        advies="Neem de schoolroutes op als opgave.",
        besluitdatum=_today() - datetime.timedelta(days=2),
    )
    html = client.get(url).content.decode()
    assert "Advies van de wijkraad" in html
    assert "Neem de schoolroutes op als opgave." in html
