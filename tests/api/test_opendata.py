"""Open data (``/open-data/``): every set's columns and content against the database, valid
GeoJSON in lon/lat within Rotterdam, no personal data, only published actions, a fixed number
of queries whatever the number of rows, exact invalidation, 404 for what does not exist, and
CORS."""

import csv
import datetime
import gzip
import io
import json
from collections import Counter

import pytest
import shapely
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from shapely.geometry import shape

from api.opendata import datasets
from cycle import services
from cycle.models import Fase, Initiatief, Productstatus, Wijkprogramma
from cycle.selectors_verslag import effectieve_afloop
from participation.models import OPEN_STATUSSEN, Melding, Thema
from participation.services import NieuweMelding, melding_create
from places.models import Werkgebied, Wijk, WijkprofielScore
from places.selectors import werkgebied_kerncijfers
from tests.participation.factories import MeldingFactory

# Rotterdam from Hoek van Holland and the Maasvlakte's edge to Nesselande and Pernis.
LON = (3.9, 4.7)
LAT = (51.8, 52.1)


def _rows(response) -> tuple[list[str], list[dict]]:
    body = response.content.decode("utf-8")
    assert not body.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(body, newline=""))
    rows = list(reader)
    return reader.fieldnames, rows


def _moment(jaar, maand=6, dag=1, uur=12, minuut=0):
    return timezone.make_aware(datetime.datetime(jaar, maand, dag, uur, minuut))


def _clear_cache():
    from django.conf import settings

    caches[settings.PAGE_CACHE_ALIAS].clear()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def published(rotterdam, make_cycle):
    """Oude Noorden 2025 closed (its programme published); Kralingen 2025 in execution with
    its programme adopted but not published (as the demo leaves a running cycle)."""
    gepubliceerd = make_cycle(Werkgebied.objects.get(slug="oude-noorden"), 2025, Fase.AFGEROND)
    vastgesteld = make_cycle(Werkgebied.objects.get(slug="kralingen"), 2025, Fase.UITVOERING)
    return gepubliceerd, vastgesteld


# --- the page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_describes_every_set_and_links_its_years(client, rotterdam):
    MeldingFactory(wijk=Wijk.objects.get(slug="rubroek"), ingediend_op=_moment(2024))
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in datasets.DATASETS.values():
        assert escape(str(dataset.titel)) in html
        for veld in dataset.velden:
            assert f"<code>{veld.naam}</code>" in html
    for jaar in WijkprofielScore.objects.values_list("jaar", flat=True).distinct():
        assert f'href="/open-data/wijken/{jaar}.geojson"' in html
        assert f'href="/open-data/werkgebieden/{jaar}.csv"' in html
    assert 'href="/open-data/meldingen/2024.csv"' in html
    # No published programme yet: no file of actions, and the page says so.
    assert "/open-data/acties/" not in html
    assert "creativecommons.org/publicdomain/zero/1.0" in html
    assert "CC BY 4.0" in html


@pytest.mark.django_db
def test_the_footer_of_every_page_links_the_open_data(client, rotterdam):
    assert 'href="/open-data/"' in client.get("/").content.decode()


# --- werkgebieden and wijken ----------------------------------------------------------------


@pytest.mark.django_db
def test_wijken_csv_holds_every_wijk_with_its_figures_of_the_year(client, rotterdam):
    response = client.get("/open-data/wijken/2024.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="wijkaanpak-rotterdam-wijken-2024.csv"'
    )
    kop, rows = _rows(response)
    assert kop == datasets.WIJKEN.veldnamen
    assert len(rows) == Wijk.objects.count() == 71
    per_slug = {row["wijk_slug"]: row for row in rows}
    for score in WijkprofielScore.objects.filter(jaar=2024).select_related("wijk__werkgebied"):
        row = per_slug[score.wijk.slug]
        assert row["jaar"] == "2024"
        assert int(row["sociale_index"]) == score.sociale_index
        assert int(row["fysieke_index"]) == score.fysieke_index
        assert int(row["veiligheidsindex"]) == score.veiligheidsindex
        assert int(row["inwoners"]) == score.wijk.inwoners
        assert row["cbs_buurtcodes"].split("|") == score.wijk.cbs_buurtcodes
        assert row["werkgebied_slug"] == (
            score.wijk.werkgebied.slug if score.wijk.werkgebied else ""
        )
    # CS-kwartier has no wijkraad: an empty werkgebied, not "None".
    assert per_slug["cs-kwartier"]["werkgebied_slug"] == ""
    assert per_slug["rubroek"]["url"].endswith("/wijken/rubroek/")


@pytest.mark.django_db
def test_werkgebieden_csv_rolls_up_as_the_werkgebied_page_does(client, rotterdam):
    jaar = max(WijkprofielScore.objects.values_list("jaar", flat=True))
    kop, rows = _rows(client.get(f"/open-data/werkgebieden/{jaar}.csv"))
    assert kop == datasets.WERKGEBIEDEN.veldnamen
    assert len(rows) == Werkgebied.objects.count() == 39
    per_slug = {row["werkgebied_slug"]: row for row in rows}
    for werkgebied in Werkgebied.objects.prefetch_related("wijken__wijkprofiel"):
        wijken = sorted(werkgebied.wijken.all(), key=lambda w: (w.naam, w.pk))
        # The latest year is what the werkgebied's own page shows.
        kern = werkgebied_kerncijfers(wijken)
        row = per_slug[werkgebied.slug]
        assert int(row["sociale_index"]) == kern.sociale_index
        assert int(row["fysieke_index"]) == kern.fysieke_index
        assert int(row["veiligheidsindex"]) == kern.veiligheidsindex
        assert int(row["inwoners"]) == kern.inwoners
        assert row["wijken"].split("|") == [w.slug for w in wijken]
        assert int(row["aantal_wijken"]) == len(wijken)
        assert row["wijkraad"] == werkgebied.wijkraad.naam


def _posities(geometrie):
    for veelhoek in geometrie["coordinates"]:
        for ring in veelhoek:
            yield from ring


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", ["wijken", "werkgebieden"])
def test_geojson_is_an_rfc7946_feature_collection_in_lon_lat(client, rotterdam, dataset):
    response = client.get(f"/open-data/{dataset}/2022.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].endswith(f'-{dataset}-2022.geojson"')
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946 §4: WGS84 only, no crs member
    features = data["features"]
    csv_rows = _rows(client.get(f"/open-data/{dataset}/2022.csv"))[1]
    assert len(features) == len(csv_rows)
    veldnamen = datasets.DATASETS[dataset].veldnamen
    for feature, row in zip(features, csv_rows, strict=True):
        assert feature["type"] == "Feature"
        assert list(feature["properties"]) == veldnamen
        assert feature["id"] == row[veldnamen[1]]
        assert {k: "" if v is None else str(v) for k, v in feature["properties"].items()} == row
        geometrie = feature["geometry"]
        assert geometrie["type"] == "MultiPolygon"
        for lon, lat in _posities(geometrie):
            assert LON[0] < lon < LON[1] and LAT[0] < lat < LAT[1], (lon, lat)
        vorm = shape(geometrie)
        assert vorm.is_valid and not vorm.is_empty
        for veelhoek in geometrie["coordinates"]:
            buiten, *gaten = (shapely.LinearRing(ring) for ring in veelhoek)
            assert veelhoek[0][0] == veelhoek[0][-1]
            assert buiten.is_ccw  # RFC 7946 §3.1.6: exterior counterclockwise
            assert all(not gat.is_ccw for gat in gaten)


@pytest.mark.django_db
def test_a_werkgebied_is_the_union_of_its_wijken(client, rotterdam):
    wijken = {
        f["id"]: shape(f["geometry"])
        for f in json.loads(client.get("/open-data/wijken/2024.geojson").content)["features"]
    }
    werkgebieden = {
        f["id"]: (shape(f["geometry"]), f["properties"]["wijken"].split("|"))
        for f in json.loads(client.get("/open-data/werkgebieden/2024.geojson").content)["features"]
    }
    vorm, slugs = werkgebieden["crooswijk"]
    assert set(slugs) == {"oud-crooswijk", "nieuw-crooswijk", "rubroek"}
    samen = shapely.union_all([wijken[slug] for slug in slugs])
    # Equal up to the 10⁻⁶ degree grid both were snapped to.
    assert vorm.symmetric_difference(samen).area < 1e-3 * vorm.area


# --- acties -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_actions_come_from_published_programmes_only(client, published):
    gepubliceerd, vastgesteld = published
    status = dict(
        Wijkprogramma.objects.filter(cyclus__in=published).values_list("cyclus", "status")
    )
    assert status == {
        gepubliceerd.pk: Productstatus.GEPUBLICEERD,
        vastgesteld.pk: Productstatus.VASTGESTELD,
    }
    response = client.get("/open-data/acties/2025.csv")
    assert response.status_code == 200
    kop, rows = _rows(response)
    assert kop == datasets.ACTIES.veldnamen
    expected = Initiatief.objects.filter(wijkprogramma__cyclus=gepubliceerd).select_related(
        "cluster", "partner", "agendapunt"
    )
    assert len(expected) > 0
    assert sorted(int(r["initiatief_id"]) for r in rows) == sorted(i.pk for i in expected)
    assert {r["werkgebied_slug"] for r in rows} == {"oude-noorden"}
    # The end state the twelve-month report counts, from its own expression.
    eindstanden = dict(expected.annotate(e=effectieve_afloop()).values_list("pk", "e"))
    anoniem = AnonymousUser()
    for initiatief in expected:
        # Every row is one the public initiative page shows.
        assert anoniem.has_perm("cycle.view_product", initiatief.wijkprogramma)
        row = next(r for r in rows if int(r["initiatief_id"]) == initiatief.pk)
        assert row["titel"] == initiatief.titel
        assert row["status"] == initiatief.status
        assert row["bedrag"] == f"{initiatief.bedrag:.2f}"
        assert row["start"] == initiatief.start.isoformat()
        assert row["percentage"] == str(initiatief.percentage)
        assert row["agendapunt"] == initiatief.agendapunt.titel
        assert row["afloop"] == initiatief.afloop
        assert row["eindstand"] == eindstanden[initiatief.pk]
        if initiatief.cluster_id:
            assert (row["eigenaar_soort"], row["eigenaar"]) == ("cluster", initiatief.cluster.naam)
        elif initiatief.partner_id:
            assert (row["eigenaar_soort"], row["eigenaar"]) == ("partner", initiatief.partner.naam)
        else:
            # A residents' group's name is free text (it may be a person's): left out.
            assert (row["eigenaar_soort"], row["eigenaar"]) == ("bewonersgroep", "")
    # The adopted, unpublished programme of Kralingen is not there.
    verborgen = set(
        Initiatief.objects.filter(wijkprogramma__cyclus=vastgesteld).values_list("pk", flat=True)
    )
    assert verborgen
    assert not verborgen & {int(r["initiatief_id"]) for r in rows}
    # Only the year with a published programme has a file.
    assert client.get("/open-data/acties/2026.csv").status_code == 404


@pytest.mark.django_db
def test_an_action_without_recorded_afloop_has_the_end_state_the_report_counts(client, published):
    gepubliceerd, _vastgesteld = published
    initiatieven = list(Initiatief.objects.filter(wijkprogramma__cyclus=gepubliceerd)[:2])
    assert len(initiatieven) == 2
    Initiatief.objects.filter(pk=initiatieven[0].pk).update(afloop="", status="gerealiseerd")
    Initiatief.objects.filter(pk=initiatieven[1].pk).update(
        afloop="doorgeschoven", status="gestopt", stopreden="Geen locatie gevonden."
    )
    caches[settings.PAGE_CACHE_ALIAS].clear()
    _kop, rows = _rows(client.get("/open-data/acties/2025.csv"))
    per_id = {int(r["initiatief_id"]): r for r in rows}
    assert (per_id[initiatieven[0].pk]["afloop"], per_id[initiatieven[0].pk]["eindstand"]) == (
        "",
        "gerealiseerd",
    )
    # A recorded afloop wins over the status, as in the report.
    assert per_id[initiatieven[1].pk]["eindstand"] == "doorgeschoven"


@pytest.mark.django_db
def test_a_programme_reopened_for_correction_leaves_the_actions_until_published_again(
    client, published, beheerder
):
    gepubliceerd, _ = published
    assert client.get("/open-data/acties/2025.csv").status_code == 200
    programma = Wijkprogramma.objects.get(cyclus=gepubliceerd)
    programma = services.product_transition(
        product=programma,
        user=beheerder,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden="Een bedrag klopte niet.",
    )
    # The public sees only the published version now, not the live rows: no file.
    assert not AnonymousUser().has_perm("cycle.view_product", programma)
    assert client.get("/open-data/acties/2025.csv").status_code == 404


# --- meldingen ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_meldingen_counts_per_theme_and_buurt_equal_the_database(client, rotterdam):
    schoon, heel = Thema.objects.get(slug="schoon"), Thema.objects.get(slug="heel")
    # Afrikaanderwijk is one CBS buurt; Kralingen-Oost/Kralingse Bos is two.
    een = Wijk.objects.get(slug="afrikaanderwijk")
    twee = Wijk.objects.get(slug="kralingen-oostkralingse-bos")
    MeldingFactory.create_batch(3, wijk=een, thema=schoon, ingediend_op=_moment(2025))
    MeldingFactory(wijk=een, thema=heel, ingediend_op=_moment(2025), status="afgehandeld")
    MeldingFactory(wijk=twee, thema=schoon, ingediend_op=_moment(2025))
    MeldingFactory(
        wijk=twee, thema=schoon, buurtcode=twee.cbs_buurtcodes[1], ingediend_op=_moment(2025)
    )
    # New Year's Eve late in Rotterdam is still 2025; the next morning is 2026.
    MeldingFactory(wijk=een, thema=heel, ingediend_op=_moment(2025, 12, 31, 23, 30))
    MeldingFactory(wijk=een, thema=heel, ingediend_op=_moment(2026, 1, 1, 0, 30))

    response = client.get("/open-data/meldingen/2025.csv")
    kop, rows = _rows(response)
    assert kop == datasets.MELDINGEN.veldnamen
    per_thema = Counter()
    for row in rows:
        per_thema[row["thema_slug"]] += int(row["aantal"])
    in_2025 = Melding.objects.filter(ingediend_op__year=2025)
    assert dict(per_thema) == {
        thema.slug: in_2025.filter(thema=thema).count() for thema in (schoon, heel)
    }
    assert sum(int(r["aantal"]) for r in rows) == in_2025.count() == 7
    assert sum(int(r["aantal_open"]) for r in rows) == (
        in_2025.filter(status__in=OPEN_STATUSSEN).count()
    )
    cellen = {(r["thema_slug"], r["wijk_slug"], r["buurtcode"]): r for r in rows}
    # Without a point, a wijk of one buurt gives its buurt; a wijk of two gives none.
    assert cellen[("schoon", "afrikaanderwijk", een.cbs_buurtcodes[0])]["aantal"] == "3"
    assert cellen[("heel", "afrikaanderwijk", een.cbs_buurtcodes[0])]["aantal"] == "2"
    assert cellen[("heel", "afrikaanderwijk", een.cbs_buurtcodes[0])]["aantal_open"] == "1"
    assert cellen[("schoon", "kralingen-oostkralingse-bos", "")]["buurt"] == ""
    tweede = cellen[("schoon", "kralingen-oostkralingse-bos", twee.cbs_buurtcodes[1])]
    assert tweede["aantal"] == "1" and tweede["buurt"]
    assert len(rows) == 4
    # The other year has its own file.
    _, rows_2026 = _rows(client.get("/open-data/meldingen/2026.csv"))
    assert [(r["thema_slug"], r["aantal"]) for r in rows_2026] == [("heel", "1")]


@pytest.mark.django_db
def test_no_personal_data_in_any_file(client, published):
    rubroek = Wijk.objects.get(slug="rubroek")
    melding = MeldingFactory(
        wijk=rubroek,
        ingediend_op=_moment(2025),
        tekst="Bij Jan Jansen op nummer 12 staat de container open.",
        email="jan.jansen@example.nl",
        plek="Boezemweg 12",
        lengtegraad="4.489111",
        breedtegraad="51.925111",
        publiceerbaar=True,
    )
    trekkers = set(
        Initiatief.objects.exclude(trekker_naam="").values_list("trekker_naam", flat=True)
    )
    assert trekkers
    bodies = {}
    for dataset, jaren in datasets.jaren().items():
        for formaat in datasets.DATASETS[dataset].formaten:
            for jaar in jaren:
                response = client.get(f"/open-data/{dataset}/{jaar}.{formaat}")
                assert response.status_code == 200
                bodies[formaat] = bodies.get(formaat, "") + response.content.decode()
    alles = "\n".join(bodies.values())
    assert "@" not in alles
    for geheim in (melding.tekst, "Jan Jansen", melding.plek, melding.code):
        assert geheim not in alles
    # The point of a melding is nowhere (the GeoJSON holds only the places' boundaries).
    assert "4.489111" not in bodies["csv"] and "51.925111" not in bodies["csv"]
    for naam in trekkers:
        assert naam not in alles


# --- queries, caching, errors -------------------------------------------------------------


@pytest.mark.django_db
def test_meldingen_cost_the_same_queries_for_one_row_or_many(client, rotterdam):
    wijken = list(Wijk.objects.order_by("slug")[:20])
    themas = list(Thema.objects.all())
    MeldingFactory(wijk=wijken[0], thema=themas[0], ingediend_op=_moment(2025))
    url = "/open-data/meldingen/2025.csv"
    een = _queries(client, url)
    _clear_cache()
    for i, wijk in enumerate(wijken):
        MeldingFactory(wijk=wijk, thema=themas[i % len(themas)], ingediend_op=_moment(2025))
    _clear_cache()
    veel = _queries(client, url)
    assert len(_rows(client.get(url))[1]) > 10
    assert een == veel <= 7
    # Kept: a second download reads only the public version.
    assert _queries(client, url) == 1


@pytest.mark.django_db
def test_actions_cost_the_same_queries_for_one_programme_or_two(client, published, make_cycle):
    url = "/open-data/acties/2025.csv"
    een = _queries(client, url)
    n = len(_rows(client.get(url))[1])
    make_cycle(Werkgebied.objects.get(slug="feijenoord"), 2025, Fase.AFGEROND)
    _clear_cache()
    twee = _queries(client, url)
    assert len(_rows(client.get(url))[1]) > n
    assert een == twee <= 6
    assert _queries(client, url) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "max_cold"),
    [
        ("/open-data/wijken/2024.geojson", 6),
        ("/open-data/werkgebieden/2024.geojson", 7),
        ("/open-data/wijken/2024.csv", 6),
        ("/open-data/werkgebieden/2024.csv", 7),
        ("/open-data/", 5),
    ],
)
def test_places_and_the_page_cost_a_fixed_handful_then_one(client, rotterdam, url, max_cold):
    assert _queries(client, url) <= max_cold
    # The page comes from the public page cache, a file from the memoised body: one query.
    assert _queries(client, url) == 1


@pytest.mark.django_db
def test_a_download_follows_every_new_melding_at_once(client, rotterdam):
    url = f"/open-data/meldingen/{timezone.localdate().year}.csv"
    wijk = Wijk.objects.get(slug="rubroek")
    thema = Thema.objects.get(slug="schoon")
    melding_create(gegevens=NieuweMelding(tekst="Afval.", thema=thema, wijk=wijk))
    assert sum(int(r["aantal"]) for r in _rows(client.get(url))[1]) == 1
    melding_create(gegevens=NieuweMelding(tekst="Nog meer afval.", thema=thema, wijk=wijk))
    # No timeout: the melding bumped the public version, so the kept file is not served.
    assert sum(int(r["aantal"]) for r in _rows(client.get(url))[1]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/open-data/wijken/1999.csv",  # no Wijkprofiel that year
        "/open-data/wijken/2024.xlsx",  # no such format
        "/open-data/wijken/2024.json",
        "/open-data/meldingen/2024.geojson",  # a format this set does not have
        "/open-data/acties/2025.csv",  # no published programme
        "/open-data/meldingen/2025.csv",  # no meldingen that year
        "/open-data/bestaat-niet/2024.csv",
        "/open-data/wijken/99999999999999999999999999.csv",
        "/open-data/wijken/0.csv",
        "/open-data/wijken/-2024.csv",
        "/open-data/wijken/2024.CSV",
        "/open-data/wijken/twintig.csv",
        "/open-data/wijken/2024",
        "/open-data/wijken/",
    ],
)
def test_what_does_not_exist_is_404(client, rotterdam, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_only_reading_methods(client, rotterdam):
    assert client.head("/open-data/wijken/2024.csv").status_code == 200
    assert client.post("/open-data/wijken/2024.csv").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/open-data/", "/open-data/wijken/2024.csv"])
def test_cors_lets_other_sites_read(client, rotterdam, url):
    response = client.get(url, HTTP_ORIGIN="https://onderzoek.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        url,
        HTTP_ORIGIN="https://onderzoek.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_a_client_that_accepts_gzip_gets_the_same_file_compressed(client, rotterdam):
    url = "/open-data/wijken/2024.geojson"
    gewoon = client.get(url)
    assert "Content-Encoding" not in gewoon
    assert "Accept-Encoding" in gewoon["Vary"]
    with CaptureQueriesContext(connection) as queries:
        klein = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert len(queries) == 1
    assert klein["Content-Encoding"] == "gzip"
    assert len(klein.content) < len(gewoon.content) / 2
    assert gzip.decompress(klein.content) == gewoon.content


@pytest.mark.django_db
def test_a_signed_in_visitor_gets_the_same_file(client, rotterdam, beheerder):
    anoniem = client.get("/open-data/werkgebieden/2024.csv").content
    client.force_login(beheerder)
    assert client.get("/open-data/werkgebieden/2024.csv").content == anoniem
