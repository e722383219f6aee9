"""The API's documentation as a page of the portal, rendered on the server from the OpenAPI
document itself (the one ``/api/v1/schema/`` serves), so the two can never disagree.

Not Swagger UI or Redoc: both are third-party markup that axe-core finds serious faults in
(contrast, interactive elements inside interactive elements), and both build the page in the
browser from scripts. This page is plain HTML in the portal's layout: headings, tables with
headers, links between an operation and the objects it answers, usable by keyboard and screen
reader, in the visitor's language, without a script.

The document does not change while the code runs, so what the page needs from it is computed
once per language and process (``_documentatie``)."""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from api.errors import PROBLEM_JSON

METHODES = ("get", "post", "put", "patch", "delete")
REF = "#/components/schemas/"


def _naam(ref: str) -> str:
    return ref.removeprefix(REF)


def soort(schema: dict) -> dict:
    """What a value is, for a reader: ``{"tekst": ..., "ref": name or None}``, following one
    level of arrays, references, ``allOf`` and ``oneOf`` (drf-spectacular's shapes)."""
    if "$ref" in schema:
        return {"tekst": _naam(schema["$ref"]), "ref": _naam(schema["$ref"])}
    for combinatie in ("allOf", "oneOf", "anyOf"):
        if combinatie in schema:
            delen = [soort(deel) for deel in schema[combinatie]]
            echte = [deel for deel in delen if deel["tekst"] not in ("BlankEnum", "NullEnum")]
            if len(echte) == 1:
                return echte[0]
            return {"tekst": _(" of ").join(deel["tekst"] for deel in delen), "ref": None}
    if schema.get("type") == "array":
        binnen = soort(schema.get("items", {}))
        return {
            "tekst": _("lijst van %(soort)s") % {"soort": binnen["tekst"]},
            "ref": binnen["ref"],
        }
    tekst = schema.get("type", _("waarde"))
    if isinstance(tekst, list):
        tekst = _(" of ").join(tekst)
    if schema.get("format"):
        tekst = f"{tekst} ({schema['format']})"
    return {"tekst": tekst, "ref": None}


def _waarden(schema: dict) -> list:
    return [waarde for waarde in schema.get("enum", []) if waarde not in ("", None)]


def _eigenschappen(schema: dict) -> list[dict]:
    verplicht = set(schema.get("required", []))
    rijen = []
    for naam, eigenschap in schema.get("properties", {}).items():
        rijen.append(
            {
                "naam": naam,
                "soort": soort(eigenschap),
                "verplicht": naam in verplicht,
                "leeg_mag": bool(eigenschap.get("nullable")),
                "alleen_lezen": bool(eigenschap.get("readOnly")),
                "alleen_schrijven": bool(eigenschap.get("writeOnly")),
                "beschrijving": eigenschap.get("description", ""),
                "waarden": _waarden(eigenschap),
            }
        )
    return rijen


def _parameters(operatie: dict) -> list[dict]:
    return [
        {
            "naam": parameter["name"],
            "plaats": parameter["in"],
            "verplicht": bool(parameter.get("required")),
            "soort": soort(parameter.get("schema", {})),
            "beschrijving": parameter.get("description", ""),
            "waarden": _waarden(parameter.get("schema", {})),
        }
        for parameter in operatie.get("parameters", [])
    ]


def _inhoud(content: dict) -> list[dict]:
    return [
        {"media_type": media_type, "soort": soort(body.get("schema", {}))}
        for media_type, body in content.items()
    ]


def _antwoorden(operatie: dict) -> list[dict]:
    return [
        {
            "code": code,
            "beschrijving": antwoord.get("description", ""),
            "inhoud": _inhoud(antwoord.get("content", {})),
        }
        for code, antwoord in sorted(operatie.get("responses", {}).items())
    ]


def _operaties(document: dict) -> list[dict]:
    """The operations grouped by their first tag, in the order the document lists them."""
    groepen: dict[str, list] = {}
    for pad, methodes in document.get("paths", {}).items():
        for methode in METHODES:
            operatie = methodes.get(methode)
            if operatie is None:
                continue
            tag = (operatie.get("tags") or [_("overig")])[0]
            body = operatie.get("requestBody", {})
            groepen.setdefault(tag, []).append(
                {
                    "id": operatie.get("operationId") or f"{methode}-{pad}",
                    "methode": methode.upper(),
                    "pad": pad,
                    "samenvatting": operatie.get("summary", ""),
                    "beschrijving": operatie.get("description", ""),
                    "parameters": _parameters(operatie),
                    "body": _inhoud(body.get("content", {})),
                    "body_verplicht": bool(body.get("required")),
                    "antwoorden": _antwoorden(operatie),
                    "sleutel_nodig": not any(eis == {} for eis in operatie.get("security", [{}])),
                    # A list without path parameters opens as it is in the browsable API.
                    "te_openen": methode == "get" and "{" not in pad,
                }
            )
    return [
        {
            "tag": tag,
            "id": f"tag-{tag}".replace(" ", "-").replace("(", "").replace(")", ""),
            "operaties": operaties,
        }
        for tag, operaties in groepen.items()
    ]


# drf-spectacular describes a choice set as Markdown lines "* `value` - label".
KEUZE = re.compile(r"^\* `(?P<waarde>[^`]*)` - (?P<label>.*)$", re.M)


def _keuzes(schema: dict) -> list[tuple[str, str]]:
    labels = {m["waarde"]: m["label"] for m in KEUZE.finditer(schema.get("description", ""))}
    return [(waarde, labels.get(str(waarde), "")) for waarde in _waarden(schema)]


def _invoer(document: dict) -> set[str]:
    """The objects a client sends (request bodies): only there does "required" ask something
    of the reader; in an answer every field listed is there."""
    namen = set()
    for methodes in document.get("paths", {}).values():
        for operatie in methodes.values():
            for body in operatie.get("requestBody", {}).get("content", {}).values():
                ref = soort(body.get("schema", {}))["ref"]
                if ref:
                    namen.add(ref)
    return namen


def _objecten(document: dict) -> list[dict]:
    invoer = _invoer(document)
    objecten = []
    for naam, schema in document.get("components", {}).get("schemas", {}).items():
        if naam in ("BlankEnum", "NullEnum"):
            continue
        objecten.append(
            {
                "naam": naam,
                "invoer": naam in invoer,
                # A choice set's description is its values with their labels: shown as a table.
                "beschrijving": "" if "enum" in schema else schema.get("description", ""),
                "keuzes": _keuzes(schema),
                "eigenschappen": _eigenschappen(schema),
                "waarden": _waarden(schema),
                "soort": soort(schema) if "properties" not in schema else None,
            }
        )
    return objecten


@lru_cache(maxsize=4)
def document(taal: str) -> dict:
    """The OpenAPI document in ``taal`` (the active language; part of the key, as the texts
    are translated when generated). The same for every caller, and generating it takes half
    a second: once per language and process. Not to be changed by the caller."""
    with translation.override(taal):
        return SchemaGenerator().get_schema(request=None, public=True)


def taal() -> str:
    """The active language as one the portal speaks: ``?lang=`` on the schema may name any,
    and each name must not cost a document of its own (Django translates an unknown language
    as the default one)."""
    try:
        return translation.get_supported_language_variant(get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


class SchemaView(SpectacularAPIView):
    """``/api/v1/schema/``: drf-spectacular's view (YAML or JSON as the client asks, ``?lang=``),
    serving the kept document instead of generating it on every request."""

    def _get_schema_response(self, request):
        return Response(
            data=document(taal()),
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, None)}"'
            },
        )


@lru_cache(maxsize=4)
def _documentatie(taal: str) -> dict:
    document_ = document(taal)
    return {
        "info": document_.get("info", {}),
        "groepen": _operaties(document_),
        "objecten": _objecten(document_),
    }


class DocumentatieView(TemplateView):
    """``/api/v1/docs/``: the API described for people, from the OpenAPI document."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_documentatie(taal()))
        context["schema_url"] = reverse("api-v1:schema")
        context["problem_json"] = PROBLEM_JSON
        return context
