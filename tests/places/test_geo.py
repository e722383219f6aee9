"""Where a point lies (buurt, wijken) and the map of the melding form, on the real data."""

import json
import math
import re
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from shapely.geometry import shape

from places.geo import BUURTEN_PATH, Buurt, buurt_bij_punt, buurt_namen, kaart_svg, wijken_bij_punt
from places.models import Wijk

SVG_NS = "{http://www.w3.org/2000/svg}"
KAART_BUDGET = 60_000  # bytes


def _binnen(naam: str) -> tuple[float, float]:
    """A point that certainly lies inside the buurt called ``naam`` (lon, lat)."""
    features = json.loads(BUURTEN_PATH.read_text(encoding="utf-8"))["features"]
    (feature,) = [f for f in features if f["properties"]["name"] == naam]
    punt = shape(feature["geometry"]).representative_point()
    return punt.x, punt.y


def _svg(**kwargs) -> ElementTree.Element:
    return ElementTree.fromstring(str(kaart_svg(**kwargs)))  # noqa: S314 - our own output


def _paden(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return svg.findall(f".//{SVG_NS}path")


def test_buurt_namen_has_every_buurt_of_the_file():
    namen = buurt_namen()
    assert len(namen) == 92
    assert namen["BU05991086"] == "Afrikaanderwijk"
    assert namen["BU05992194"] == "Waalhaven"


@pytest.mark.django_db
def test_point_in_afrikaanderwijk_maps_to_that_wijk(rotterdam):
    wijk = Wijk.objects.get(slug="afrikaanderwijk")
    lon, lat = _binnen("Afrikaanderwijk")
    assert buurt_bij_punt(lon, lat) == Buurt(code="BU05991086", naam="Afrikaanderwijk")
    assert wijk.cbs_buurtcodes == ["BU05991086"]
    assert wijken_bij_punt(lon, lat) == [wijk]


@pytest.mark.django_db
def test_a_well_known_address_lies_in_its_wijk(rotterdam):
    # Rotterdam Centraal station's forecourt (Stationsplein), in CS-kwartier.
    assert [w.slug for w in wijken_bij_punt(4.4686, 51.9236)] == ["cs-kwartier"]


@pytest.mark.django_db
def test_groot_ijsselmonde_is_one_buurt_of_two_wijken(rotterdam):
    lon, lat = _binnen("Groot-IJsselmonde")
    assert buurt_bij_punt(lon, lat).code == "BU05991289"
    assert {w.slug for w in wijken_bij_punt(lon, lat)} == {
        "groot-ijsselmonde-noord",
        "groot-ijsselmonde-zuid",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("naam", ["Waalhaven", "Maasvlakte", "Rivium"])
def test_harbour_and_industry_buurten_belong_to_no_wijk(rotterdam, naam):
    lon, lat = _binnen(naam)
    assert buurt_bij_punt(lon, lat).naam == naam
    assert wijken_bij_punt(lon, lat) == []


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (3.5, 52.2),  # North Sea
        (4.9041, 52.3676),  # Amsterdam, Dam
        (0.0, 0.0),
    ],
)
def test_points_outside_rotterdam_have_no_buurt_and_no_wijk(db, lon, lat):
    assert buurt_bij_punt(lon, lat) is None
    assert wijken_bij_punt(lon, lat) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (math.nan, 51.9),
        (4.48, math.nan),
        (math.inf, 51.9),
        (4.48, -math.inf),
        (1e308, 1e308),
        (10**400, 51.9),  # too big for a float at all
        (184.48, 51.9),
        (4.48, 91.9),
        (4.48 - 360, 51.9),
        (None, 51.9),
        ("vier", "51.9"),
        ("", ""),
    ],
)
def test_hostile_coordinates_give_nothing_and_never_raise(lon, lat, django_assert_num_queries):
    assert buurt_bij_punt(lon, lat) is None
    with django_assert_num_queries(0):  # rejected before the database is asked
        assert wijken_bij_punt(lon, lat) == []


@pytest.mark.django_db
def test_the_mapping_is_read_from_the_database(rotterdam):
    lon, lat = _binnen("Afrikaanderwijk")
    Wijk.objects.filter(slug="afrikaanderwijk").update(cbs_buurtcodes=[])
    assert buurt_bij_punt(lon, lat).code == "BU05991086"
    assert wijken_bij_punt(lon, lat) == []


@pytest.mark.django_db
def test_map_has_one_path_per_wijk_buurt_and_stays_small(rotterdam):
    svg_text = str(kaart_svg())
    svg = _svg()
    paden = _paden(svg)
    assert len(paden) == 79
    assert len({p.get("data-buurt") for p in paden}) == 79
    assert "BU05992194" not in svg_text  # Waalhaven belongs to no wijk
    assert len(svg_text.encode()) < KAART_BUDGET
    assert "<script" not in svg_text.lower()
    assert "style=" not in svg_text
    assert "tabindex" not in svg_text
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG_NS}title").text == "Kaart van de wijken van Rotterdam"
    assert "lijst met wijken" in svg.find(f"{SVG_NS}desc").text
    assert svg.find(f".//{SVG_NS}circle") is None
    assert not [p for p in paden if "kaart-buurt-gemarkeerd" in p.get("class")]
    for pad in paden:
        assert pad.get("class") == "kaart-buurt"
        assert re.fullmatch(r"(M[-\d. ]+L[-\d. ]+Z)+", pad.get("d"))
        assert pad.find(f"{SVG_NS}title").text == buurt_namen()[pad.get("data-buurt")]


@pytest.mark.django_db
def test_map_carries_the_wijk_ids_of_each_buurt(rotterdam):
    ids = {w.slug: w.pk for w in Wijk.objects.all()}
    paden = {p.get("data-buurt"): p for p in _paden(_svg())}
    assert paden["BU05991086"].get("data-wijken") == str(ids["afrikaanderwijk"])
    assert set(paden["BU05991289"].get("data-wijken").split(",")) == {
        str(ids["groot-ijsselmonde-noord"]),
        str(ids["groot-ijsselmonde-zuid"]),
    }


@pytest.mark.django_db
def test_map_marks_the_wijk_and_draws_the_point(rotterdam):
    wijk = Wijk.objects.get(slug="afrikaanderwijk")
    lon, lat = _binnen("Afrikaanderwijk")
    svg = _svg(gemarkeerde_wijk_id=wijk.pk, punt=(lon, lat))
    gemarkeerd = [p for p in _paden(svg) if "kaart-buurt-gemarkeerd" in p.get("class").split()]
    assert [p.get("data-buurt") for p in gemarkeerd] == ["BU05991086"]
    (cirkel,) = svg.findall(f".//{SVG_NS}circle")
    assert cirkel.get("class") == "kaart-punt"
    # What kaart.js does with a click: invert the projection from the data attributes.
    schaal, cos = float(svg.get("data-schaal")), float(svg.get("data-cos"))
    terug_lon = float(svg.get("data-min-lengtegraad")) + float(cirkel.get("cx")) / (schaal * cos)
    terug_lat = float(svg.get("data-max-breedtegraad")) - float(cirkel.get("cy")) / schaal
    assert terug_lon == pytest.approx(lon, abs=1e-4)
    assert terug_lat == pytest.approx(lat, abs=1e-4)
    assert wijken_bij_punt(terug_lon, terug_lat) == [wijk]


@pytest.mark.django_db
def test_map_marks_both_wijken_of_groot_ijsselmonde_on_one_buurt(rotterdam):
    for slug in ["groot-ijsselmonde-noord", "groot-ijsselmonde-zuid"]:
        svg = _svg(gemarkeerde_wijk_id=Wijk.objects.get(slug=slug).pk)
        gemarkeerd = [p.get("data-buurt") for p in _paden(svg) if "gemarkeerd" in p.get("class")]
        assert gemarkeerd == ["BU05991289"]


@pytest.mark.django_db
@pytest.mark.parametrize("punt", [(math.nan, 51.9), (4.9041, 52.3676), (1e308, 0.0)])
def test_map_leaves_off_a_point_it_cannot_draw(rotterdam, punt):
    assert "kaart-punt" not in kaart_svg(punt=punt)


@pytest.mark.django_db
def test_map_costs_one_query_and_follows_a_changed_mapping(rotterdam, django_assert_num_queries):
    kaart_svg()
    with django_assert_num_queries(1):
        kaart_svg()
    Wijk.objects.filter(slug="afrikaanderwijk").update(cbs_buurtcodes=[])
    paden = _paden(_svg())
    assert len(paden) == 78
    assert "BU05991086" not in {p.get("data-buurt") for p in paden}


@pytest.mark.django_db
def test_map_without_wijken_is_an_empty_but_valid_svg():
    svg = _svg(punt=(4.48, 51.92))
    assert _paden(svg) == []
    assert svg.find(f".//{SVG_NS}circle").get("class") == "kaart-punt"


@pytest.mark.django_db
def test_template_tag_renders_the_figure_with_translatable_texts(rotterdam):
    wijk = Wijk.objects.get(slug="afrikaanderwijk")
    lon, lat = _binnen("Afrikaanderwijk")
    html = Template("{% load kaart %}{% melding_kaart wijk lon lat %}").render(
        Context({"wijk": str(wijk.pk), "lon": f"{lon:.6f}", "lat": f"{lat:.6f}"})
    )
    assert html.count('<figure class="kaart"') == 1
    assert "kaart-buurt-gemarkeerd" in html
    assert 'class="kaart-punt"' in html
    assert '<p class="kaart-status" aria-live="polite"></p>' in html
    assert re.search(r'<button type="button" class="[^"]*kaart-wissen[^"]*">Plek wissen<', html)
    assert "Klik op de kaart om de plek aan te wijzen (optioneel)." in html
    assert 'data-tekst-gekozen="Plek gekozen in buurt {buurt}."' in html
    for naam in ["gekozen-wijk", "twee-wijken", "buiten", "gewist"]:
        assert re.search(rf'data-tekst-{naam}="[^"]+"', html)
    assert "<script" not in html
    assert "style=" not in html
    assert not re.search(r"\son\w+=", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("wijk", "lon", "lat"), [(None, None, None), ("", "", ""), ("x", "abc", "nan"), (0, "1e999", 5)]
)
def test_template_tag_accepts_whatever_an_unbound_or_bad_form_holds(rotterdam, wijk, lon, lat):
    html = Template("{% load kaart %}{% melding_kaart wijk lon lat %}").render(
        Context({"wijk": wijk, "lon": lon, "lat": lat})
    )
    assert html.count("<path ") == 79
    assert "kaart-buurt-gemarkeerd" not in html
    assert "kaart-punt" not in html
