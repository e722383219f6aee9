"""The wijkbarometer: inhabitant-weighted series of every year, the wijkfoto, the chart layout
and the accessible SVG + table it renders, on the wijk and werkgebied pages."""

import itertools
import re
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.test import Client

from places.barometer import (
    GEBIED,
    INDICES,
    ONDERWERP,
    STAD,
    STIJLEN,
    barometer_werkgebied,
    barometer_wijk,
    grafiek,
    reekstabel,
    wijkfoto,
)
from places.models import Werkgebied, Wijk, WijkprofielScore
from places.selectors import werkgebied_kerncijfers
from tests.places.factories import (
    GebiedFactory,
    WerkgebiedFactory,
    WijkFactory,
    WijkprofielScoreFactory,
)

SVG = "{http://www.w3.org/2000/svg}"


def score(wijk, jaar, sociaal, fysiek=100, veilig=100):
    return WijkprofielScoreFactory(
        wijk=wijk, jaar=jaar, sociale_index=sociaal, fysieke_index=fysiek, veiligheidsindex=veilig
    )


@pytest.fixture
def stad(db):
    """Two gebieden. Noord: werkgebied Oost (wijken A, 1 000 inhabitants, and B, 3 000) and
    werkgebied West (wijk C, 4 000). Zuid: wijk D (2 000), measured in 2016 only."""
    noord, zuid = GebiedFactory(naam="Noord"), GebiedFactory(naam="Zuid")
    oost = WerkgebiedFactory(naam="Oost", slug="oost", gebied=noord)
    west = WerkgebiedFactory(naam="West", slug="west", gebied=noord)
    zuidwerk = WerkgebiedFactory(naam="Zuidwerk", slug="zuidwerk", gebied=zuid)
    a = WijkFactory(naam="A", slug="a", werkgebied=oost, inwoners=1000)
    b = WijkFactory(naam="B", slug="b", werkgebied=oost, inwoners=3000)
    c = WijkFactory(naam="C", slug="c", werkgebied=west, inwoners=4000)
    d = WijkFactory(naam="D", slug="d", werkgebied=zuidwerk, inwoners=2000)
    score(a, 2014, 80, 90, 60)
    score(b, 2014, 120, 110, 100)
    score(a, 2016, 84, 94, 64)
    score(b, 2016, 100, 110, 104)
    score(c, 2014, 100)
    score(c, 2016, 90)
    score(d, 2016, 150)
    return {"oost": oost, "west": west, "a": a, "b": b, "c": c, "d": d}


def series(barometer, veld):
    index = next(i for i in barometer.indices if i.veld == veld)
    return {r.rol: r.waarden for r in index.reeksen}


@pytest.mark.django_db
def test_werkgebied_gebied_and_city_are_weighted_by_inhabitants_every_year(stad):
    barometer = barometer_werkgebied(Werkgebied.objects.select_related("gebied").get(slug="oost"))
    assert barometer.jaren == (2014, 2016)
    sociaal = series(barometer, "sociale_index")
    # Oost: (80*1000 + 120*3000) / 4000 = 110; 2016: (84*1000 + 100*3000) / 4000 = 96.
    assert sociaal[ONDERWERP] == (110, 96)
    # Noord: A, B and C. 2014: (80 + 360 + 400) / 8 = 105; 2016: (84 + 300 + 360) / 8 = 93.
    assert sociaal[GEBIED] == (105, 93)
    # The city: D (2000) joins in 2016 only: (84 + 300 + 360 + 300) / 10 = 104.4 -> 104.
    assert sociaal[STAD] == (105, 104)
    veilig = series(barometer, "veiligheidsindex")
    assert veilig[ONDERWERP] == (90, 94)  # (60*1 + 100*3) / 4, (64*1 + 104*3) / 4
    assert barometer.naam == "Werkgebied Oost"
    assert barometer.gebied == "Noord"
    assert barometer.gewogen is True


@pytest.mark.django_db
def test_a_wijk_is_its_own_series_and_a_year_without_measurement_is_a_gap(stad):
    d = Wijk.objects.select_related("gebied").get(slug="d")
    barometer = barometer_wijk(d)
    sociaal = series(barometer, "sociale_index")
    assert sociaal[ONDERWERP] == (None, 150)
    assert sociaal[GEBIED] == (None, 150)
    assert barometer.gewogen is False
    assert barometer.sleutel == "barometer-wijk-d"


@pytest.mark.django_db
def test_wijken_sharing_cbs_buurten_share_one_inhabitant_count(db):
    gebied = GebiedFactory()
    werkgebied = WerkgebiedFactory(gebied=gebied)
    noord = WijkFactory(werkgebied=werkgebied, inwoners=6000, cbs_buurtcodes=["BU1"])
    zuid = WijkFactory(werkgebied=werkgebied, inwoners=6000, cbs_buurtcodes=["BU1"])
    apart = WijkFactory(werkgebied=werkgebied, inwoners=6000, cbs_buurtcodes=["BU2"])
    score(noord, 2020, 90)
    score(zuid, 2020, 90)
    score(apart, 2020, 120)
    barometer = barometer_werkgebied(Werkgebied.objects.select_related("gebied").get())
    # Noord and Zuid weigh 3000 each, Apart 6000: (270 + 270 + 720) / 12 = 105 (not 100).
    assert series(barometer, "sociale_index")[ONDERWERP] == (105,)


@pytest.mark.django_db
def test_latest_year_equals_the_kerncijfers_of_every_real_werkgebied(rotterdam):
    werkgebieden = Werkgebied.objects.select_related("gebied").prefetch_related(
        "wijken__wijkprofiel"
    )
    assert len(werkgebieden) == 39
    for werkgebied in werkgebieden:
        kerncijfers = werkgebied_kerncijfers(list(werkgebied.wijken.all()))
        barometer = barometer_werkgebied(werkgebied)
        laatste = barometer.jaren.index(kerncijfers.jaar)
        for veld in INDICES:
            assert series(barometer, veld)[ONDERWERP][laatste] == getattr(kerncijfers, veld), (
                werkgebied,
                veld,
            )


@pytest.mark.django_db
def test_wijkfoto_latest_measurement_up_to_a_year_with_trend_and_comparisons(stad):
    foto = wijkfoto(stad["oost"], tot_jaar=2017)
    assert [s.veld for s in foto] == list(INDICES)
    sociaal = foto[0]
    assert (sociaal.jaar, sociaal.waarde) == (2016, 96)
    assert (sociaal.vorig_jaar, sociaal.vorige_waarde, sociaal.trend) == (2014, 110, -14)
    assert (sociaal.gebied_waarde, sociaal.verschil_gebied) == (93, 3)
    assert (sociaal.stad_waarde, sociaal.verschil_stad) == (104, -8)
    assert sociaal.label == "Sociale index"

    eerder = wijkfoto(stad["oost"], tot_jaar=2015)[0]
    assert (eerder.jaar, eerder.waarde, eerder.vorig_jaar, eerder.trend) == (2014, 110, None, None)
    assert eerder.verschil_gebied == 5

    niets = wijkfoto(stad["oost"], tot_jaar=2013)[0]
    assert (niets.jaar, niets.waarde, niets.gebied_waarde, niets.verschil_stad) == (None,) * 4


@pytest.mark.django_db
def test_a_fixed_number_of_queries_whatever_the_data(stad, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    werkgebied = Werkgebied.objects.select_related("gebied").get(slug="oost")
    with django_assert_num_queries(2):
        barometer_werkgebied(werkgebied)
    for _ in range(20):
        wijk = WijkFactory(werkgebied=werkgebied)
        for jaar in (2014, 2016, 2018):
            score(wijk, jaar, 99)
    with django_assert_num_queries(2):
        barometer = barometer_werkgebied(werkgebied)
    with django_assert_num_queries(2):
        wijkfoto(werkgebied, 2020)
    # A page showing both reads the series once.
    with django_assert_num_queries(2):
        tabel = reekstabel()
        assert barometer_werkgebied(werkgebied, tabel=tabel) == barometer
        assert wijkfoto(werkgebied, 2020, tabel=tabel) == wijkfoto(werkgebied, 2020, tabel=tabel)
    assert barometer.jaren == (2014, 2016, 2018)


@pytest.mark.django_db
def test_the_series_are_kept_under_the_public_version(stad, django_assert_num_queries):
    from pagecache.services import read_only_request

    wijk = Wijk.objects.select_related("gebied").get(slug="a")

    def lees():
        # Each call as its own page view (only a read-only request keeps anything).
        with read_only_request():
            return barometer_wijk(wijk)

    lees()
    with django_assert_num_queries(1):  # the public version only
        lees()
    WijkprofielScore.objects.filter(wijk=wijk, jaar=2016).update(sociale_index=55)
    # A direct update bumps nothing: the figures stay those of the version...
    assert series(lees(), "sociale_index")[ONDERWERP] == (80, 84)
    # ...until a change that does (every save of a place, an import) shows the new ones.
    score_2016 = WijkprofielScore.objects.get(wijk=wijk, jaar=2016)
    score_2016.save()
    assert series(lees(), "sociale_index")[ONDERWERP] == (80, 55)
    assert reekstabel().wijk[wijk.pk]["sociale_index"] == (80, 55)
    # Outside a read-only request (a POST, a task) nothing is kept: always the figures now.
    WijkprofielScore.objects.filter(wijk=wijk, jaar=2016).update(sociale_index=57)
    assert series(barometer_wijk(wijk), "sociale_index")[ONDERWERP] == (80, 57)


# --- The chart ------------------------------------------------------------------------------


def test_layout_scale_includes_100_and_breaks_lines_at_gaps():
    layout = grafiek(
        (2014, 2016, 2018, 2020),
        [
            (ONDERWERP, "Wijk", (60, None, 70, 72)),
            (GEBIED, "Gebied", (80, 82, 84, 86)),
            (STAD, "Rotterdam", (100, 101, 102, 103)),
        ],
    )
    waarden = [w for _y, w, _r in layout.schaal]
    assert waarden[0] <= 60 and waarden[-1] >= 103
    assert [w for _y, w, referentie in layout.schaal if referentie] == [100]
    ys = [y for y, _w, _r in layout.schaal]
    assert ys == sorted(ys, reverse=True)  # higher values higher up
    assert all(layout.y_boven <= y <= layout.y_onder for y in ys)
    wijk, gebied, _stad = layout.lijnen
    # 2016 is missing: the first point stands alone (a marker, no line), then 2018-2020.
    assert len(wijk.delen) == 1 and len(wijk.delen[0].split()) == 2
    assert len(wijk.markers) == 3
    assert len(gebied.delen) == 1 and len(gebied.delen[0].split()) == 4
    assert [x for x, _j in layout.jaren] == sorted(x for x, _j in layout.jaren)
    assert layout.x0 < layout.jaren[0][0] < layout.jaren[-1][0] < layout.x1


def test_one_year_is_drawn_as_markers_in_the_middle():
    layout = grafiek(
        (2026,), [(ONDERWERP, "Wijk", (90,)), (GEBIED, "G", (95,)), (STAD, "R", (100,))]
    )
    assert layout.jaren == [((layout.x0 + layout.x1) / 2, 2026)]
    assert all(lijn.delen == [] and len(lijn.markers) == 1 for lijn in layout.lijnen)


def test_many_years_are_labelled_alternately_ending_with_the_latest():
    jaren = tuple(range(2000, 2026))
    layout = grafiek(jaren, [(ONDERWERP, "Wijk", tuple(range(26))), (STAD, "R", (100,) * 26)])
    gelabeld = [jaar for _x, jaar in layout.jaren]
    assert gelabeld[-1] == 2025
    assert 1 < len(gelabeld) < 26
    xs = [x for x, _j in layout.jaren]
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 44
    assert len(layout.lijnen[0].markers) == 26  # every year is still drawn


def _luminance(kleur: str) -> float:
    def kanaal(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (kanaal(kleur[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_series_differ_by_more_than_colour_and_each_colour_contrasts_3_to_1():
    stijlen = list(STIJLEN.values())
    assert len({s.streep for s in stijlen}) == 3
    assert len({s.marker for s in stijlen}) == 3
    for stijl in stijlen:
        contrast = 1.05 / (_luminance(stijl.kleur) + 0.05)
        assert contrast >= 3, stijl


def _svgs(html: str) -> list[Element]:
    """The barometer's charts, each parsed as a standalone XML document."""
    return [
        ElementTree.fromstring(s) for s in re.findall(r"<svg\b[^>]*barometer-.*?</svg>", html, re.S)
    ]


def _tables(html: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header and data cells)."""
    tables = []
    for table in re.findall(r"<table\b.*?</table>", html, re.S):
        tables.append(
            [
                [
                    re.sub(r"<[^>]+>", "", cel).strip()
                    for cel in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", rij, re.S)
                ]
                for rij in re.findall(r"<tr>(.*?)</tr>", table, re.S)
            ]
        )
    return tables


@pytest.mark.django_db
def test_the_include_renders_valid_accessible_svg_with_a_data_table(stad):
    barometer = barometer_werkgebied(Werkgebied.objects.select_related("gebied").get(slug="oost"))
    html = render_to_string("places/_barometer.html", {"barometer": barometer, "kopniveau": 4})
    assert "<script" not in html and "style=" not in html and "<style" not in html
    svgs = _svgs(html)
    assert len(svgs) == 3
    for svg, index in zip(svgs, barometer.indices, strict=True):
        assert svg.get("role") == "img"
        titel, uitleg = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{titel.get('id')} {uitleg.get('id')}"
        assert titel.text == f"{index.label}: Werkgebied Oost, 2014–2016"
        assert "Werkgebied Oost" in uitleg.text and "gebied Noord" in uitleg.text
        assert "In 2016:" in uitleg.text
        assert len(svg.findall(f".//{SVG}polyline")) == 3
        # Every id on the page is unique.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "<h4" in html

    tables = _tables(html)
    assert len(tables) == 3
    kop, *rijen = tables[0]
    assert kop == ["Jaar", "Werkgebied Oost", "Gebied Noord", "Rotterdam"]
    assert rijen == [["2014", "110", "105", "105"], ["2016", "96", "93", "104"]]


@pytest.mark.django_db
def test_a_gap_shows_as_a_dash_in_the_table(stad):
    html = render_to_string(
        "places/_barometer.html",
        {"barometer": barometer_wijk(Wijk.objects.select_related("gebied").get(slug="d"))},
    )
    assert _tables(html)[0][1] == ["2014", "–", "–", "105"]
    for svg in _svgs(html):
        assert svg.find(f"{SVG}title").text.startswith(("Sociale", "Fysieke", "Veiligheids"))


@pytest.mark.django_db
def test_no_figures_no_chart(db):
    wijk = WijkFactory()
    barometer = barometer_wijk(Wijk.objects.select_related("gebied").get(pk=wijk.pk))
    assert barometer.leeg
    html = render_to_string("places/_barometer.html", {"barometer": barometer})
    assert "<svg" not in html
    assert "Er zijn nog geen cijfers uit het Wijkprofiel." in html


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "naam"),
    [("/wijken/rubroek/", "Rubroek"), ("/werkgebieden/crooswijk/", "Werkgebied Crooswijk")],
)
def test_wijk_and_werkgebied_pages_show_the_barometer(
    rotterdam, settings, url, naam, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_max_num_queries(9):
        response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="barometer-kop"' in html
    svgs = _svgs(html)
    assert len(svgs) == 3
    assert svgs[0].find(f"{SVG}title").text == f"Sociale index: {naam}, 2014–2026"
    tabel = next(t for t in _tables(html) if t[0][:2] == ["Jaar", naam])
    assert [rij[0] for rij in tabel[1:]] == [str(j) for j in range(2014, 2027, 2)]
    assert tabel[0][2] == "Gebied Kralingen-Crooswijk"


@pytest.mark.django_db
def test_pages_use_as_many_queries_with_more_wijken_and_years(
    rotterdam, settings, django_assert_max_num_queries
):
    """The barometer adds the same queries whatever the size of the city."""
    settings.PAGE_CACHE_SECONDS = 0
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/wijken/rubroek/", "/werkgebieden/crooswijk/"]
    before = [count(url) for url in urls]
    werkgebied = Werkgebied.objects.get(slug="crooswijk")
    for _ in range(10):
        wijk = WijkFactory(werkgebied=werkgebied, gebied=werkgebied.gebied)
        for jaar in (2028, 2030):
            score(wijk, jaar, 101)
    assert [count(url) for url in urls] == before


@pytest.mark.django_db
def test_the_public_page_shows_new_figures_after_a_change(rotterdam, settings):
    assert settings.PAGE_CACHE_SECONDS
    client = Client()
    first = client.get("/wijken/rubroek/")
    assert client.get("/wijken/rubroek/")["X-Paginacache"] == "hit"
    assert ">412<" not in first.content.decode()
    latest = WijkprofielScore.objects.filter(wijk__slug="rubroek").order_by("-jaar").first()
    latest.sociale_index = 412
    latest.save()  # places changes bump the public version (PlacesConfig.ready)
    response = client.get("/wijken/rubroek/")
    assert response["X-Paginacache"] == "miss"
    assert ">412<" in response.content.decode()
