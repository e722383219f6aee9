"""The OpenAPI description of the errors every endpoint can answer: each is a problem+json body
(``api.errors``), so a client (and schemathesis) can check them against the document."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from .errors import PROBLEM_JSON

FOUTEN = {
    "400": _("Een filter of parameter is niet geldig; ``errors`` noemt het veld."),
    "401": _("De API-sleutel is niet geldig of ingetrokken."),
    "404": _("Niet gevonden (of een ongeldige cursor)."),
    "429": _("Te veel verzoeken; probeer het later opnieuw (zie Retry-After)."),
}


class ProblemSchema(AutoSchema):
    """AutoSchema that adds the problem+json error responses to every operation."""

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
