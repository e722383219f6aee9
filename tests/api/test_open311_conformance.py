"""Every Open311 answer, in XML and in JSON, against the field lists of the GeoReport v2
specification (http://wiki.open311.org/GeoReport_v2 and /Service_Discovery), written out here
from the specification and not taken from the code: the content type, the XML declaration, the
root and child element names in order, no foreign elements, the values each field allows, and
JSON as the Spark mapping of the same XML (both formats say the same)."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from api.models import ApiSleutel, digest
from participation.models import Meldingstatus, Thema
from places.models import Wijk
from tests.participation.factories import MeldingFactory
from tests.people.factories import UserFactory

CONTENT_TYPE = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
DECLARATIE = b'<?xml version="1.0" encoding="UTF-8"?>'
W3 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")

# --- The specification's field lists --------------------------------------------------------
# (element name, item element name, fields of an item, lists nested in an item)
ENDPOINT = ["specification", "url", "changeset", "type", "formats"]
DISCOVERY = ["changeset", "contact", "key_service", "endpoints"]
SERVICE = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
VALUE = ["key", "name"]
REQUEST = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# POST Service Request: service_request_id or token (never both); the others "may not be
# returned", and this server returns them.
POST_REQUEST = ["service_request_id", "service_notice", "account_id"]
ERROR = ["code", "description"]

# Nested lists: element -> (item element, its fields or None for text items, its nested lists)
NESTED = {
    "endpoints": ("endpoint", ENDPOINT, {"formats": ("format", None, {})}),
    "attributes": ("attribute", ATTRIBUTE, {"values": ("value", VALUE, {})}),
}
BOOLEAN = {"metadata", "variable", "required"}
NIET_LEEG = {
    "service_code",
    "service_name",
    "service_request_id",
    "status",
    "requested_datetime",
    "code",
    "changeset",
    "contact",
    "key_service",
    "specification",
    "url",
    "type",
    "datatype",
    "key",
    "name",
}


def xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 (the portal's own answer)


def _xml_item(element, velden, genest) -> dict:
    assert [kind.tag for kind in element] == velden, element.tag
    uit = {}
    for kind in element:
        assert not kind.attrib
        if kind.tag in genest:
            item, item_velden, item_genest = genest[kind.tag]
            assert kind.text is None or not kind.text.strip()
            assert all(x.tag == item for x in kind), kind.tag
            if item_velden is None:
                uit[kind.tag] = [x.text for x in kind]
            else:
                uit[kind.tag] = [_xml_item(x, item_velden, item_genest) for x in kind]
        else:
            assert len(kind) == 0, kind.tag
            uit[kind.tag] = kind.text
    return uit


def _als_xml(waarde):
    """What a JSON value reads as in XML (the Spark convention)."""
    if waarde is None:
        return None
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    return str(waarde)


def _json_item(obj, velden, genest) -> dict:
    assert isinstance(obj, dict)
    assert list(obj) == velden
    uit = {}
    for naam, waarde in obj.items():
        if naam in genest:
            _item, item_velden, item_genest = genest[naam]
            assert isinstance(waarde, list), naam
            if item_velden is None:
                uit[naam] = [_als_xml(x) for x in waarde]
            else:
                uit[naam] = [_json_item(x, item_velden, item_genest) for x in waarde]
        else:
            assert not isinstance(waarde, list | dict), naam
            if naam in BOOLEAN:
                assert isinstance(waarde, bool), naam
            uit[naam] = _als_xml(waarde)
    return uit


def _waarden(item: dict) -> None:
    """The values the specification allows, per field (in the XML reading)."""
    for naam, waarde in item.items():
        if isinstance(waarde, list):
            for kind in waarde:
                if isinstance(kind, dict):
                    _waarden(kind)
            continue
        if naam in NIET_LEEG:
            assert waarde, naam
        if waarde is None:
            continue
        assert waarde == waarde.strip() or naam in {"description", "status_notes"}, naam
        if naam in BOOLEAN:
            assert waarde in {"true", "false"}, naam
        elif naam == "status":
            assert waarde in {"open", "closed"}
        elif naam.endswith("_datetime"):
            assert W3.fullmatch(waarde), (naam, waarde)
        elif naam == "lat":
            assert -90 <= float(waarde) <= 90
        elif naam == "long":
            assert -180 <= float(waarde) <= 180
        elif naam == "datatype":
            assert waarde in {
                "string",
                "number",
                "datetime",
                "text",
                "singlevaluelist",
                "multivaluelist",
            }
        elif naam == "order":
            assert int(waarde) >= 1


def conform(response_xml, response_json, wortel, item, velden, *, lijst=True) -> list[dict]:
    """Both answers conform and say the same; returns the items (XML reading)."""
    for fmt, response in (("xml", response_xml), ("json", response_json)):
        assert response["Content-Type"] == CONTENT_TYPE[fmt], (fmt, response.content)
    body = response_xml.content
    assert body.startswith(DECLARATIE + b"\n")
    body.decode("utf-8")
    root = xml(body)
    assert root.tag == wortel and not root.attrib
    if lijst:
        assert all(kind.tag == item for kind in root)
        uit_xml = [_xml_item(kind, velden, NESTED) for kind in root]
        data = json.loads(response_json.content)
        assert isinstance(data, list)
        uit_json = [_json_item(obj, velden, NESTED) for obj in data]
    else:
        uit_xml = [_xml_item(root, velden, NESTED)]
        uit_json = [_json_item(json.loads(response_json.content), velden, NESTED)]
    assert uit_xml == uit_json
    for rij in uit_xml:
        _waarden(rij)
    return uit_xml


def both(client, pad, **kwargs):
    method = kwargs.pop("method", "get")
    return (
        getattr(client, method)(f"/open311/v2/{pad}.xml", **kwargs),
        getattr(client, method)(f"/open311/v2/{pad}.json", **kwargs),
    )


@pytest.fixture
def wijk(rotterdam):
    return Wijk.objects.get(slug="afrikaanderwijk")


@pytest.fixture
def meldingen(wijk):
    """One of every status; some publishable with a place and a point; a duplicate; a text
    with markup, characters XML cannot carry and a character outside the BMP."""
    schoon = Thema.objects.get(slug="schoon")
    rijen = [
        MeldingFactory(
            wijk=wijk,
            thema=schoon,
            status=status,
            publiceerbaar=i % 2 == 0,
            plek="Putselaan & Hilledijk <hoek>",
            lengtegraad="4.501234",
            breedtegraad="51.895678",
        )
        for i, status in enumerate(Meldingstatus.values)
    ]
    rijen.append(MeldingFactory(wijk=wijk, thema=schoon, hoofdmelding=rijen[0]))
    rijen.append(
        MeldingFactory(
            wijk=wijk,
            thema=schoon,
            publiceerbaar=True,
            tekst='Kapot <b>"hek"</b> & \x01stuk\x1b ]]> 🚲\nTweede regel',
        )
    )
    return rijen


@pytest.mark.django_db
def test_discovery(client):
    [doc] = conform(*both(client, "discovery"), "discovery", None, DISCOVERY, lijst=False)
    [endpoint] = doc["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] in {"production", "test"}
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


@pytest.mark.django_db
def test_service_list(client):
    services = conform(*both(client, "services"), "services", "service", SERVICE)
    assert len(services) == Thema.objects.filter(actief=True).count() > 0
    for service in services:
        assert service["type"] in {"realtime", "batch", "blackbox"}


@pytest.mark.django_db
def test_service_definition(client):
    [definitie] = conform(
        *both(client, "services/schoon"),
        "service_definition",
        None,
        ["service_code", "attributes"],
        lijst=False,
    )
    assert definitie["service_code"] == "schoon"
    [attribuut] = definitie["attributes"]
    assert attribuut["datatype"] == "singlevaluelist" and attribuut["values"]
    # metadata true in the list: the definition has attributes.
    services = json.loads(client.get("/open311/v2/services.json").content)
    assert all(s["metadata"] is True for s in services)


@pytest.mark.django_db
def test_service_requests(client, meldingen):
    rijen = conform(*both(client, "requests"), "service_requests", "request", REQUEST)
    assert {r["service_request_id"] for r in rijen} == {m.code for m in meldingen}
    assert {r["status"] for r in rijen} == {"open", "closed"}
    gemarkeerd = next(r for r in rijen if r["service_request_id"] == meldingen[-1].code)
    # Markup and XML's own characters arrive as text; what XML cannot carry is left out.
    assert gemarkeerd["description"] == 'Kapot <b>"hek"</b> & stuk ]]> 🚲\nTweede regel'
    for fmt in ("json", "xml"):
        assert client.get(f"/open311/v2/requests.{fmt}?status=open").status_code == 200


@pytest.mark.django_db
def test_a_service_request(client, meldingen):
    for melding in meldingen:
        [rij] = conform(
            *both(client, f"requests/{melding.code}"), "service_requests", "request", REQUEST
        )
        assert rij["service_request_id"] == melding.code
        assert (rij["lat"] is not None) == (
            melding.publiceerbaar and melding.lengtegraad is not None
        )


@pytest.mark.django_db
def test_post_service_request(client, wijk):
    user = UserFactory()
    key = ApiSleutel.nieuwe_sleutel()
    ApiSleutel.objects.create(user=user, naam="test", prefix=key[:8], sleutel_hash=digest(key))
    data = {
        "api_key": key,
        "service_code": "schoon",
        "address_id": wijk.slug,
        "description": "Er ligt afval naast de container.",
    }
    antwoorden = both(client, "requests", method="post", data=data)
    assert [r.status_code for r in antwoorden] == [201, 201]
    for fmt, response in zip(("xml", "json"), antwoorden, strict=True):
        assert response["Content-Type"] == CONTENT_TYPE[fmt]
    root = xml(antwoorden[0].content)
    assert antwoorden[0].content.startswith(DECLARATIE)
    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert [kind.tag for kind in request] == POST_REQUEST
    assert request.find("token") is None
    [obj] = json.loads(antwoorden[1].content)
    assert list(obj) == POST_REQUEST and obj["account_id"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pad", "kwargs", "status"),
    [
        ("requests", {"data": {"status": "misschien"}}, 400),
        ("requests", {"data": {"start_date": "nooit"}}, 400),
        ("requests/AAAAA-AAAAA", {}, 404),
        ("services/atlantis", {}, 404),
        ("requests", {"method": "post", "data": {"service_code": "schoon"}}, 403),
        ("requests", {"method": "put"}, 405),
        ("services", {"method": "delete"}, 405),
    ],
)
def test_errors(client, pad, kwargs, status):
    antwoorden = both(client, pad, **kwargs)
    assert [r.status_code for r in antwoorden] == [status, status]
    fouten = conform(*antwoorden, "errors", "error", ERROR)
    assert fouten
    for fout in fouten:
        assert int(fout["code"]) == status
        assert fout["description"]


@pytest.mark.django_db
def test_an_unknown_format_answers_in_the_required_one(client):
    response = client.get("/open311/v2/requests.csv")
    assert response.status_code == 404
    assert response["Content-Type"] == CONTENT_TYPE["xml"]
    root = xml(response.content)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    assert [kind.tag for kind in root[0]] == ERROR
