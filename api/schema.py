"""The OpenAPI description of the errors every endpoint can answer: each is a problem+json body
(``api.errors``), so a client (and schemathesis) can check them against the document."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override

from .errors import PROBLEM_JSON

FOUTEN = {
    "400": _("Een filter of parameter is niet geldig; ``errors`` noemt het veld."),
    "401": _("De API-sleutel is niet geldig of ingetrokken."),
    "404": _("Niet gevonden (of een ongeldige cursor)."),
    "429": _("Te veel verzoeken; probeer het later opnieuw (zie Retry-After)."),
}


class PortaalSchema(AutoSchema):
    """The document speaks the reader's language. drf-spectacular would describe an operation
    and an object with the view's and the serializer's docstring, which is English and written
    for the portal's developers; here an operation's description is the view's ``beschrijving``
    (translated) or an ``extend_schema(description=...)``, and an object's only an
    ``extend_schema_serializer(description=...)``."""

    def get_description(self):
        beschrijving = getattr(self.view, "beschrijving", "")
        return str(beschrijving) if beschrijving else ""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if not get_override(serializer, "description"):
            schema.pop("description", None)
        return schema


class ProblemSchema(PortaalSchema):
    """Adds the problem+json error responses to every operation."""

    def _get_response_bodies(self, direction="response"):
        from .v1.serializers import ProblemSerializer

        responses = super()._get_response_bodies(direction=direction)
        ref = self.resolve_serializer(ProblemSerializer, direction).ref
        for code, omschrijving in FOUTEN.items():
            responses.setdefault(
                code,
                {"content": {PROBLEM_JSON: {"schema": ref}}, "description": str(omschrijving)},
            )
        return responses


class ApiSleutelScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` in the OpenAPI description."""

    target_class = "api.authentication.ApiSleutelAuthentication"
    name = "ApiSleutel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("Een persoonlijke API-sleutel: ``Authorization: Token <sleutel>``.")
            ),
        }
