"""Bad input gets a clear Dutch message next to the field; nothing entered is lost."""

import pytest

from audit.models import AuditEntry
from cycle.models import Fase, Werkcyclus


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def planning_data(cyclus, **changes):
    data = {
        f"{fase}_{deel}": getattr(cyclus, f"{fase}_{deel}").isoformat()
        for fase in ["analyse", "agenda", "programma", "uitvoering", "verantwoording"]
        for deel in ["begin", "eind"]
    }
    data["versie"] = cyclus.versie
    data.update(changes)
    return data


@pytest.mark.django_db
def test_planning_end_before_begin(client, cyclus, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    before = AuditEntry.objects.count()
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/planning/",
        planning_data(cyclus, agenda_begin="2026-10-01", agenda_eind="2026-09-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "agenda_eind": ["Het einde ligt vóór het begin van deze fase."]
    }
    html = response.content.decode()
    assert 'id="error_1_id_agenda_eind"' in html
    assert 'value="2026-10-01"' in html  # what the user typed is still there
    assert AuditEntry.objects.count() == before
    assert Werkcyclus.objects.get(pk=cyclus.pk).agenda_eind == cyclus.agenda_eind


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "31-02-2026", "morgen", "2026-13-01"])
def test_planning_invalid_dates(client, cyclus, werkgebied, wijkmanager, value):
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/planning/",
        planning_data(cyclus, analyse_begin=value),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["analyse_begin"]
    assert errors in (["Vul een datum in."], ["Vul een geldige datum in (dag-maand-jaar)."])


@pytest.mark.django_db
def test_planning_saved_and_audited(client, cyclus, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/planning/",
        planning_data(cyclus, analyse_eind="2026-09-30"),
    )
    assert response.status_code == 302
    assert Werkcyclus.objects.get(pk=cyclus.pk).analyse_eind.isoformat() == "2026-09-30"
    entry = AuditEntry.objects.filter(action="cycle.planned").get()
    assert entry.data == {"analyse_eind": {"van": "2026-09-15", "naar": "2026-09-30"}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("jaar", "message"),
    [
        ("", "Vul het programmajaar in."),
        ("twintig", "Vul een jaartal in, bijvoorbeeld 2027."),
        ("1800", "Het programmajaar moet 2000 of later zijn."),
        ("99999", "Het programmajaar moet 2100 of eerder zijn."),
        ("2027", "Er bestaat al een cyclus voor 2027 in dit werkgebied."),
    ],
)
def test_new_cycle_bad_year(client, cyclus, werkgebied, wijkmanager, jaar, message):
    client.force_login(wijkmanager)
    response = client.post(f"/werkgebieden/{werkgebied.slug}/nieuwe-cyclus/", {"jaar": jaar})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Werkcyclus.objects.filter(werkgebied=werkgebied).count() == 1


@pytest.mark.django_db
def test_new_cycle_created_with_products_and_delft_calendar(client, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(f"/werkgebieden/{werkgebied.slug}/nieuwe-cyclus/", {"jaar": "2028"})
    assert response.status_code == 302
    assert response["Location"] == f"/werkgebieden/{werkgebied.slug}/2028/"
    cyclus = Werkcyclus.objects.get(werkgebied=werkgebied, jaar=2028)
    assert cyclus.fase == Fase.ANALYSE
    assert [p.titel for p in cyclus.producten()] == [
        "Wijkanalyse Crooswijk 2028",
        "Wijkagenda Crooswijk 2028",
        "Wijkprogramma Crooswijk 2028",
        "Wijkverslag Crooswijk 2028",
    ]
    assert cyclus.programma_eind.isoformat() == "2027-12-15"
    assert cyclus.uitvoering_begin.isoformat() == "2028-01-01"
    assert AuditEntry.objects.filter(action="cycle.created").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"overgang": "x" * 500, "verwacht": "analyse"},
        {"overgang": "naar_agenda"},
        {"overgang": "naar_agenda", "verwacht": "onzin"},
        {"overgang": "__init__", "verwacht": "analyse"},
        {"overgang": "save", "verwacht": "analyse"},
    ],
)
def test_garbage_steps_never_500(client, cyclus, werkgebied, wijkmanager, data):
    client.force_login(wijkmanager)
    for url in [
        f"/werkgebieden/{werkgebied.slug}/2027/stap/",
        f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/stap/",
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.ANALYSE


@pytest.mark.django_db
def test_home_unknown_wijk_message(client, werkgebied):
    response = client.get("/", {"wijk": "atlantis"})
    assert response.status_code == 200
    assert "Deze wijk kennen we niet. Kies een wijk uit de lijst." in response.content.decode()
    response = client.get("/", {"wijk": "rubroek"})
    assert response.status_code == 302
    assert response["Location"] == "/wijken/rubroek/"


@pytest.mark.django_db
def test_closed_cycle_planning_is_fixed(client, werkgebied, make_cycle, wijkmanager):
    cyclus = make_cycle(werkgebied, jaar=2025, fase=Fase.AFGEROND)
    client.force_login(wijkmanager)
    page = client.get(f"/werkgebieden/{werkgebied.slug}/2025/")
    assert "Planning wijzigen" not in page.content.decode()
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2025/planning/",
        planning_data(cyclus, analyse_eind="2024-09-30"),
    )
    assert response.status_code == 200
    assert "De planning van een afgeronde cyclus ligt vast." in response.content.decode()
    assert Werkcyclus.objects.get(pk=cyclus.pk).analyse_eind == cyclus.analyse_eind


@pytest.mark.django_db
def test_hostile_urls_and_parameters_never_500(client, cyclus, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    slug = werkgebied.slug
    for url, status in [
        (f"/werkgebieden/{slug}/99999999999999/", 404),
        (f"/werkgebieden/{slug}/99999999999999/wijkanalyse/", 404),
        (f"/werkgebieden/{slug}/2027/?pagina=abc", 200),
        (f"/werkgebieden/{slug}/?pagina=-1", 200),
        ("/wijken/?pagina=99999999999999999999", 200),
        ("/?wijk=%00", 200),
        ("/mijn-werk/?wm=x&wr=-5", 200),
    ]:
        assert client.get(url).status_code == status, url


@pytest.mark.django_db
@pytest.mark.parametrize("versie", ["", "abc", "-1", "99999999999999999999"])
def test_tampered_version_field(client, cyclus, werkgebied, wijkmanager, versie):
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/bewerken/",
        {"titel": "Nieuw", "wijkbeschrijving": "Tekst", "versie": versie},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tekst" in html
    assert "Laad de pagina opnieuw" in html or "Iemand anders heeft dit stuk" in html
    assert Werkcyclus.objects.get(pk=cyclus.pk).wijkanalyse.titel != "Nieuw"


@pytest.mark.django_db
def test_home_ignores_unrelated_parameters(client, werkgebied):
    response = client.get("/", {"utm_source": "nieuwsbrief"})
    assert response.status_code == 200
    assert "Kies een wijk uit de lijst." not in response.content.decode()
    response = client.get("/", {"wijk": ""})
    assert "Kies een wijk uit de lijst." in response.content.decode()
