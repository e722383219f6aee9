"""The API key in the OpenAPI document: ``Authorization: Token <key>`` as an apiKey scheme, so
the documentation says how to send a key (drf-spectacular cannot derive it from the class)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiSleutelScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiSleutelAuthentication"
    name = "apiSleutel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "Een API-sleutel van de pagina API-sleutels, als ‘Token <sleutel>’. De sleutel "
                "mag wat zijn gebruiker met zijn rollen op dat moment mag, niet meer."
            ),
        }
