"""The budget pages: permissions (anonymous, wrong role, wrong werkgebied, expired role),
bad input with Dutch messages next to the field and nothing booked, fixed query counts, the
CSV's stable format."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Boeking, Budget, Deelsoort
from budgets.services import betalen, reserveren
from budgets.views import CSV_KOLOMMEN
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.participation.factories import MeldingFactory
from tests.people.factories import user_with_role

from .factories import budget_met, saldi

D = Decimal
JAAR = 2027


def url(naam, werkgebied, *extra):
    return reverse(f"budgets:{naam}", args=[werkgebied.slug, JAAR, *extra])


@pytest.fixture
def delen(werkgebied, beheerder):
    return budget_met(werkgebied, beheerder, jaar=JAAR)


@pytest.fixture
def melding(werkgebied):
    return MeldingFactory(wijk=werkgebied.wijken.first())


def _veel_boekingen(deel, user, n):
    for i in range(n):
        r = reserveren(deel, "1", user=user, reden=f"Post {i}", omschrijving=f"Actie {i}")
        betalen(r, "1", user=user, reden="factuur")


# ------------------------------------------------------------------ the public page


@pytest.mark.django_db
def test_public_page_shows_totals_and_titles_without_names(
    client, werkgebied, beheerder, delen, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own queries, not the page cache's answer
    beheerder.first_name, beheerder.last_name = "Bea", "Beheer"
    beheerder.save()
    reserveren(
        delen[Deelsoort.PROGRAMMA], "1234,56", user=beheerder, reden="x", omschrijving="Bankjes"
    )
    reserveren(delen[Deelsoort.KNELPUNTEN], "50", user=beheerder, reden="Geheim", omschrijving="K")
    response = client.get(url("publiek", werkgebied))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bankjes: € 1.234,56" in html
    assert "€ 8.765,44" in html  # available of the programme part
    assert "Beheer" not in html and "Geheim" not in html
    with django_assert_max_num_queries(12) as weinig:
        client.get(url("publiek", werkgebied))
    _veel_boekingen(delen[Deelsoort.PROGRAMMA], beheerder, 30)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        client.get(url("publiek", werkgebied))


@pytest.mark.django_db
def test_public_page_without_budget_and_unknown_werkgebied(client, werkgebied):
    response = client.get(url("publiek", werkgebied))
    assert "geen wijkbudget vastgesteld" in response.content.decode()
    assert client.get("/werkgebieden/bestaat-niet/budget/2027/").status_code == 404
    assert client.get(f"/werkgebieden/{werkgebied.slug}/budget/1800/").status_code == 404


# ------------------------------------------------------------------ setting a budget


@pytest.mark.django_db
def test_only_a_beheerder_sets_a_budget(client, werkgebied, wijkmanager, beheerder):
    response = client.get(url("instellen", werkgebied))
    assert response.status_code == 302 and url("instellen", werkgebied) in response.url
    client.force_login(wijkmanager)
    assert client.get(url("instellen", werkgebied)).status_code == 403
    assert client.post(url("instellen", werkgebied), {"programma": "5"}).status_code == 403
    assert not Budget.objects.exists()
    client.force_login(beheerder)
    assert client.get(url("instellen", werkgebied)).status_code == 200
    response = client.post(
        url("instellen", werkgebied),
        {"programma": "25.000", "bewonersinitiatieven": "10000,00", "knelpunten": "2500.50"},
    )
    assert response.status_code == 302
    budget = Budget.objects.get()
    assert {d.soort: d.bedrag for d in budget.delen.all()} == {
        "programma": D("25000"),
        "bewonersinitiatieven": D("10000"),
        "knelpunten": D("2500.50"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bedrag", "fout"),
    [
        ("-100", "niet negatief"),
        ("12,345", "hoogstens twee cijfers"),
        ("twaalf", "zoals 1.234,56"),
        ("99999999999", "niet hoger zijn dan"),
    ],
)
def test_bad_budget_amounts_are_refused_next_to_the_field(
    client, werkgebied, beheerder, bedrag, fout
):
    client.force_login(beheerder)
    response = client.post(
        url("instellen", werkgebied),
        {"programma": bedrag, "bewonersinitiatieven": "1", "knelpunten": "1"},
    )
    assert response.status_code == 200
    assert fout in str(response.context["form"].errors["programma"])
    assert not Budget.objects.exists()


@pytest.mark.django_db
def test_a_stale_budget_form_changes_nothing(client, werkgebied, beheerder, delen):
    client.force_login(beheerder)
    data = {"programma": "1", "bewonersinitiatieven": "1", "knelpunten": "1", "versie": "1"}
    assert client.post(url("instellen", werkgebied), data).status_code == 302
    response = client.post(url("instellen", werkgebied), {**data, "programma": "2"})
    assert "gewijzigd nadat u de pagina opende" in response.content.decode()
    assert saldi(delen[Deelsoort.PROGRAMMA])[0] == D("1")


# ------------------------------------------------------------------ knelpuntenbudget


@pytest.mark.django_db
def test_knelpunten_page_permissions(client, werkgebied, ander_werkgebied, delen):
    today = timezone.localdate()
    assert client.get(url("knelpunten", werkgebied)).status_code == 302
    for user in (
        user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied),
        user_with_role(
            Rol.WIJKMANAGER,
            werkgebied=werkgebied,
            geldig_vanaf=today - datetime.timedelta(days=400),
            geldig_tot=today - datetime.timedelta(days=1),
        ),
        user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied),
        user_with_role(Rol.BEHEERDER),
    ):
        client.force_login(user)
        assert client.get(url("knelpunten", werkgebied)).status_code == 403
        assert (
            client.post(url("knelpunten", werkgebied), {"bedrag": "5", "reden": "x"}).status_code
            == 403
        )
    assert not Boeking.objects.exists()


@pytest.mark.django_db
def test_wijkmanager_books_a_knelpunt_in_two_steps(client, werkgebied, wijkmanager, delen, melding):
    client.force_login(wijkmanager)
    deel = delen[Deelsoort.KNELPUNTEN]
    assert client.get(url("knelpunten", werkgebied)).status_code == 200
    response = client.post(
        url("knelpunten", werkgebied),
        {"bedrag": "350", "reden": "Graffiti op de speeltuin", "melding": melding.pk},
    )
    assert response.status_code == 302
    reservering = Boeking.objects.get()
    assert reservering.melding == melding and reservering.door == wijkmanager
    response = client.post(
        url("knelpunt-betalen", werkgebied, reservering.pk),
        {"bedrag": "349,95", "reden": "Factuur schilder"},
    )
    assert response.status_code == 302
    assert saldi(deel) == (D("1000"), D("350"), D("349.95"))
    client.post(url("knelpunt-vrijgeven", werkgebied, reservering.pk), {"reden": "Rest terug"})
    assert saldi(deel) == (D("1000"), D("349.95"), D("349.95"))
    # A second payment: nothing is open any more.
    response = client.post(
        url("knelpunt-betalen", werkgebied, reservering.pk), {"bedrag": "1", "reden": "Nog eens"}
    )
    assert response.status_code == 302
    assert Boeking.objects.count() == 3
    page = client.get(response.url).content.decode()
    assert "Er is niets geboekt" in page and "al betaald of vrijgegeven" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "veld", "fout"),
    [
        ({"bedrag": "-5"}, "bedrag", "niet negatief"),
        ({"bedrag": "1,005"}, "bedrag", "hoogstens twee cijfers"),
        ({"bedrag": "abc"}, "bedrag", "zoals 1.234,56"),
        ({"bedrag": "1000,01"}, "bedrag", "nog € 1.000,00 beschikbaar"),
        ({"bedrag": "5", "melding": ""}, "__all__", "Kies het knelpunt of vul de melding"),
        ({"bedrag": "5", "melding": "999999"}, "melding", "geen melding met dit nummer"),
        ({"bedrag": "5", "reden": ""}, "reden", "Geef een reden"),
    ],
)
def test_bad_knelpunt_bookings_are_refused(
    client, werkgebied, wijkmanager, delen, melding, data, veld, fout
):
    client.force_login(wijkmanager)
    post = {"reden": "Kapotte lamp", "melding": melding.pk, **data}
    response = client.post(url("knelpunten", werkgebied), post)
    assert response.status_code == 200
    assert fout in str(response.context["form"].errors[veld])
    assert not Boeking.objects.exists()


@pytest.mark.django_db
def test_a_melding_of_another_werkgebied_cannot_be_named(
    client, werkgebied, ander_werkgebied, wijkmanager, delen
):
    from tests.places.factories import WijkFactory

    vreemd = MeldingFactory(wijk=WijkFactory(werkgebied=ander_werkgebied))
    client.force_login(wijkmanager)
    response = client.post(
        url("knelpunten", werkgebied), {"bedrag": "5", "reden": "x", "melding": vreemd.pk}
    )
    assert "geen melding met dit nummer" in str(response.context["form"].errors["melding"])


@pytest.mark.django_db
def test_paying_or_releasing_needs_a_reservation_of_this_werkgebied(
    client, werkgebied, ander_werkgebied, wijkmanager, beheerder, delen
):
    ander = budget_met(ander_werkgebied, beheerder, jaar=JAAR)[Deelsoort.KNELPUNTEN]
    vreemd = reserveren(ander, "10", user=beheerder, reden="x")
    client.force_login(wijkmanager)
    response = client.post(
        url("knelpunt-betalen", werkgebied, vreemd.pk), {"bedrag": "1", "reden": "x"}
    )
    assert response.status_code == 404
    assert client.get(url("knelpunt-betalen", werkgebied, vreemd.pk)).status_code == 405
    assert Boeking.objects.count() == 1


# ------------------------------------------------------------------ the ledger and CSV


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_ledger_permission_matrix(client, roles, werkgebied, delen, rol):
    user, _runs = roles[rol]
    mag = rol in {
        "wijkmanager",
        "wijkmanager via gebied",
        "accounthouder",
        "wijkraadslid",
        "beheerder",
    }
    if user is not None:
        client.force_login(user)
    for naam in ("grootboek", "export"):
        response = client.get(url(naam, werkgebied))
        if user is None:
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if mag else 403), (rol, naam)


@pytest.mark.django_db
def test_ledger_is_paginated_with_fixed_queries(
    client, werkgebied, wijkmanager, beheerder, delen, django_assert_max_num_queries
):
    client.force_login(wijkmanager)
    _veel_boekingen(delen[Deelsoort.KNELPUNTEN], beheerder, 2)
    with django_assert_max_num_queries(12) as weinig:
        assert client.get(url("grootboek", werkgebied)).status_code == 200
    _veel_boekingen(delen[Deelsoort.KNELPUNTEN], beheerder, 60)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        response = client.get(url("grootboek", werkgebied) + "?pagina=2")
    assert len(response.context["boekingen"].object_list) == 50
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        response = client.get(url("export", werkgebied))
        assert response.content.startswith(b"boeking_id,")


@pytest.mark.django_db
def test_csv_export_has_the_documented_columns(client, werkgebied, wijkmanager, beheerder, delen):
    r = reserveren(
        delen[Deelsoort.PROGRAMMA],
        "1.234,5",
        user=beheerder,
        reden="=HYPERLINK(1)",
        omschrijving="Lamp",
    )
    betalen(r, "0,5", user=beheerder, reden="Factuur 7")
    client.force_login(wijkmanager)
    response = client.get(url("export", werkgebied))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"grootboek-{werkgebied.slug}-{JAAR}.csv" in response["Content-Disposition"]
    rijen = list(csv.reader(io.StringIO(response.content.decode())))
    assert (
        tuple(rijen[0])
        == CSV_KOLOMMEN
        == (
            "boeking_id",
            "datum",
            "werkgebied",
            "jaar",
            "deel",
            "soort",
            "bedrag",
            "mutatie_gereserveerd",
            "mutatie_betaald",
            "reservering_id",
            "gecorrigeerd_id",
            "bron",
            "bron_id",
            "omschrijving",
            "reden",
        )
    )
    eerste = dict(zip(rijen[0], rijen[1], strict=True))
    assert eerste["bedrag"] == "1234.50" and eerste["soort"] == "reservering"
    assert eerste["werkgebied"] == werkgebied.slug and eerste["jaar"] == str(JAAR)
    assert eerste["reden"] == "'=HYPERLINK(1)"
    tweede = dict(zip(rijen[0], rijen[2], strict=True))
    assert tweede["mutatie_betaald"] == "0.50" and tweede["reservering_id"] == str(r.pk)


@pytest.mark.django_db
def test_knelpunten_page_is_paginated_with_fixed_queries(
    client, werkgebied, wijkmanager, delen, django_assert_max_num_queries
):
    client.force_login(wijkmanager)
    deel = delen[Deelsoort.KNELPUNTEN]
    reserveren(deel, "1", user=wijkmanager, reden="a")
    with django_assert_max_num_queries(20) as weinig:
        assert client.get(url("knelpunten", werkgebied)).status_code == 200
    _veel_boekingen(deel, wijkmanager, 45)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        response = client.get(url("knelpunten", werkgebied) + "?pagina=2")
    assert len(response.context["open_reserveringen"]) == 20


# ------------------------------------------------------------------ corrections


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_correction_page_permission_matrix(client, roles, werkgebied, beheerder, delen, rol):
    user, _runs = roles[rol]
    r = reserveren(delen[Deelsoort.PROGRAMMA], "100", user=beheerder, reden="x")
    if user is not None:
        client.force_login(user)
    get = client.get(url("corrigeren", werkgebied, r.pk))
    post = client.post(url("corrigeren", werkgebied, r.pk), {"reden": "Dubbel geboekt"})
    if user is None:
        assert get.status_code == post.status_code == 302
    elif rol == "beheerder":
        assert get.status_code == 200 and post.status_code == 302
    else:
        assert get.status_code == post.status_code == 403, rol
    assert Boeking.objects.count() == (2 if rol == "beheerder" else 1)


@pytest.mark.django_db
def test_a_booking_is_corrected_once_with_a_reason_and_the_ledger_shows_it(
    client, werkgebied, ander_werkgebied, beheerder, delen, django_assert_max_num_queries
):
    deel = delen[Deelsoort.PROGRAMMA]
    r = reserveren(deel, "100", user=beheerder, reden="Bankjes", omschrijving="Bankjes")
    client.force_login(beheerder)
    page = client.get(url("grootboek", werkgebied)).content.decode()
    assert url("corrigeren", werkgebied, r.pk) in page

    leeg = client.post(url("corrigeren", werkgebied, r.pk), {"reden": "  "})
    assert leeg.status_code == 200
    assert leeg.context["form"].errors["reden"] == ["Geef een reden."]
    assert Boeking.objects.count() == 1

    response = client.post(url("corrigeren", werkgebied, r.pk), {"reden": "Dubbel geboekt"})
    assert response.status_code == 302
    tegen = Boeking.objects.get(gecorrigeerd=r)
    assert tegen.delta_gereserveerd == -r.delta_gereserveerd and tegen.reden == "Dubbel geboekt"
    deel.refresh_from_db()
    assert deel.gereserveerd == 0

    # A second correction (a stale page, a double submit) books nothing and says why.
    again = client.post(url("corrigeren", werkgebied, r.pk), {"reden": "Nog eens"})
    assert again.status_code == 200
    assert "Deze boeking is al gecorrigeerd." in again.content.decode()
    assert Boeking.objects.count() == 2
    page = client.get(url("grootboek", werkgebied)).content.decode()
    assert url("corrigeren", werkgebied, r.pk) not in page
    assert url("corrigeren", werkgebied, tegen.pk) not in page

    # Another werkgebied's URL does not reach this booking.
    elders = reverse("budgets:corrigeren", args=[ander_werkgebied.slug, JAAR, r.pk])
    assert client.post(elders, {"reden": "x"}).status_code == 404

    # The beheerder's ledger page costs no more with more rows (both paginated).
    _veel_boekingen(delen[Deelsoort.KNELPUNTEN], beheerder, 30)
    with django_assert_max_num_queries(14) as weinig:
        client.get(url("grootboek", werkgebied))
    _veel_boekingen(delen[Deelsoort.KNELPUNTEN], beheerder, 60)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        client.get(url("grootboek", werkgebied))


@pytest.mark.django_db
def test_budget_pages_are_kept_and_show_a_new_booking_at_once(
    client, werkgebied, wijkmanager, beheerder, delen
):
    publiek, grootboek, export = (url(n, werkgebied) for n in ("publiek", "grootboek", "export"))
    assert client.get(publiek)["X-Paginacache"] == "miss"
    assert client.get(publiek)["X-Paginacache"] == "hit"
    client.force_login(wijkmanager)
    for pad in (grootboek, export):
        assert client.get(pad)["X-Gebruikerscache"] == "miss"
    kept = client.get(export)
    assert kept["X-Gebruikerscache"] == "hit"
    # A kept download keeps its file name and content.
    assert f"grootboek-{werkgebied.slug}-{JAAR}.csv" in kept["Content-Disposition"]
    assert kept.content.startswith(b"boeking_id,")
    # A booking is audited: the version moves and every page shows it on the next request.
    reserveren(
        delen[Deelsoort.PROGRAMMA], "75", user=beheerder, reden="x", omschrijving="Plantenbakken"
    )
    assert "Plantenbakken" in client.get(grootboek).content.decode()
    assert b"Plantenbakken" in client.get(export).content
    client.logout()
    assert "Plantenbakken" in client.get(publiek).content.decode()
