"""What Open311 answers look like: the element names of GeoReport v2, one Python value rendered
as XML (the required format) or JSON (the specification's Spark convention: a repeated child
element becomes an array), and the error bodies.

XML is built with ``xml.etree.ElementTree``: UTF-8, the declaration the specification asks
for, no namespace, and never a character that XML 1.0 cannot carry (a control character in a
stored text is left out, in both formats, so both say the same)."""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.http import HttpResponse

SPECIFICATIE = "http://wiki.open311.org/GeoReport_v2"
# The content types of the specification's "Format Support".
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
XML_DECLARATIE = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# The children of each element, in the specification's order.
DISCOVERY_VELDEN = ("changeset", "contact", "key_service", "endpoints")
ENDPOINT_VELDEN = ("specification", "url", "changeset", "type", "formats")
SERVICE_VELDEN = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
DEFINITIE_VELDEN = ("service_code", "attributes")
ATTRIBUUT_VELDEN = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
)
WAARDE_VELDEN = ("key", "name")
REQUEST_VELDEN = (
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
)
POST_VELDEN = ("service_request_id", "service_notice", "account_id")
FOUT_VELDEN = ("code", "description")

_NIET_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Lijst:
    """Repeated child elements named ``tag`` (an array in JSON)."""

    tag: str
    items: list


def schoon(tekst: str) -> str:
    return _NIET_IN_XML.sub("", tekst)


def _json(waarde):
    if isinstance(waarde, Lijst):
        return [_json(item) for item in waarde.items]
    if isinstance(waarde, dict):
        return {naam: _json(kind) for naam, kind in waarde.items()}
    if isinstance(waarde, str):
        return schoon(waarde)
    return waarde


def _xml(element: ET.Element, waarde) -> None:
    if isinstance(waarde, Lijst):
        for item in waarde.items:
            _xml(ET.SubElement(element, waarde.tag), item)
    elif isinstance(waarde, dict):
        for naam, kind in waarde.items():
            _xml(ET.SubElement(element, naam), kind)
    elif isinstance(waarde, bool):
        element.text = "true" if waarde else "false"
    elif waarde is not None:
        # None stays an empty element, as in the specification's examples.
        element.text = schoon(str(waarde))


def inhoud(formaat: str, wortel: str, waarde) -> bytes:
    """The body: ``waarde`` under the root element ``wortel`` (XML), or as JSON."""
    if formaat == "json":
        return json.dumps(_json(waarde), ensure_ascii=False, separators=(",", ":")).encode()
    element = ET.Element(wortel)
    _xml(element, waarde)
    return XML_DECLARATIE + ET.tostring(element, encoding="unicode").encode()


def antwoord(formaat: str, body: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type=CONTENT_TYPES[formaat], status=status)


def fouten(formaat: str, status: int, *beschrijvingen) -> HttpResponse:
    """An error answer: the specification's list of ``{code, description}``."""
    formaat = formaat if formaat in CONTENT_TYPES else "xml"
    items = [{"code": status, "description": str(tekst)} for tekst in beschrijvingen]
    return antwoord(formaat, inhoud(formaat, "errors", Lijst("error", items)), status=status)
