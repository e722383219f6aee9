"""Error bodies as RFC 9457 problem details (``application/problem+json``), in the language of
the request, for every error the API answers: validation (with the fields), authentication,
permission, not found, throttling, stale versions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


class VersieVerouderd(exceptions.APIException):
    """The ``If-Match`` names another version than the object has now: nothing was changed."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Iemand anders heeft dit intussen gewijzigd. Haal de nieuwste versie op en probeer het "
        "opnieuw; er is niets gewijzigd."
    )
    default_code = "versie_verouderd"


class VersieVereist(exceptions.APIException):
    """A change without ``If-Match``: the API does not guess which version the client read."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Stuur de versie die u hebt gelezen mee in de kop If-Match.")
    default_code = "versie_vereist"


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    body = {
        "type": "about:blank",
        "title": str(response.status_text),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = str(_("De invoer is niet geldig."))
        body["code"] = "ongeldig"
        body["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        if isinstance(exc, exceptions.ParseError):
            # DRF's message carries the JSON decoder's English text (the API parses JSON
            # alone); the reader gets one sentence in the request's language instead.
            detail = _("De inhoud van het verzoek is geen geldige JSON.")
        body["detail"] = str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, str):
            body["code"] = codes
    response.data = body
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", "") == "json":
        response.content_type = PROBLEM_JSON
    return response
