"""The write endpoints of /api/v1/: what a page's form does, for a system that holds a user's
API key. Each endpoint asks the same ``rules`` permission as the page, calls the same service
(which checks permission, phase and version again under a lock and writes the same audit
entry) and keeps the same stale-version rule: the client sends the initiative's version it
read in ``If-Match``; without it 428, with another 412, and then nothing changed. A success
answers with the new version in ``ETag``.

Status codes: 401 without (valid) key, 403 without the right, 404 for no such initiative, 400
(problem+json with the fields) for input the form would refuse, 409 for a step the state does
not allow (already committed, ...), 412/428 for the version."""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cycle import services_programma
from cycle.models import Initiatief, Knelpunt
from cycle.services import StaleStateError, TransitionError

from ..errors import PROBLEM_JSON, VersieVereist, VersieVerouderd
from . import schema_sleutel  # noqa: F401 - registers the key's security scheme
from . import serializers_schrijven as s
from .serializers import ProblemSerializer

# Primary keys are 64-bit: a larger number in the URL names no initiative (and must not reach
# the database as an out-of-range value).
MAX_PK = 2**63 - 1
_IF_MATCH = re.compile(r'\s*(?:"(\d{1,10})"|(\d{1,10}))\s*')

_RELATIES = (
    "wijkprogramma__cyclus__werkgebied__gebied",
    "wijkprogramma__cyclus__werkgebied__taakverdeling",
    "cluster",
    "partner",
    "trekker",
)


class Conflict(exceptions.APIException):
    """The step is not possible in the initiative's present state; nothing was changed."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Deze stap is nu niet mogelijk.")
    default_code = "conflict"


def _problem(description):
    return OpenApiResponse(response=ProblemSerializer, description=description)


IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=_(
        'De versie van het initiatief die u hebt gelezen, tussen aanhalingstekens: "7". '
        "Zonder deze kop antwoordt de API 428, met een verouderde versie 412 (en is er "
        "niets gewijzigd)."
    ),
)


def _fouten(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


class _InitiatiefSchrijven(GenericAPIView):
    """POST on one initiative (an ``actie``): permission, version, input, service."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    # For the schema (the type of ``pk``); the initiative is loaded by ``get_initiatief``.
    queryset = Initiatief.objects.all()
    filter_backends = []
    pagination_class = None
    # The rules permission the page asks, on the initiative.
    permissie = ""
    # Whether the client must send the version it read (``If-Match``).
    vereist_versie = True
    uit_status = status.HTTP_200_OK

    def check_permissions(self, request):
        # Count every call before deciding on it, also one refused for want of a key: an
        # address that floods the write endpoints gets 429, not an endless stream of 401s.
        self.check_throttles(request)
        self._gedrosseld = True
        super().check_permissions(request)

    def check_throttles(self, request):
        if not getattr(self, "_gedrosseld", False):
            super().check_throttles(request)

    def get_initiatief(self) -> Initiatief:
        pk = self.kwargs["pk"]
        initiatief = (
            Initiatief.objects.select_related(*_RELATIES).filter(pk=pk).first()
            if pk <= MAX_PK
            else None
        )
        if initiatief is None:
            raise exceptions.NotFound(_("Deze actie bestaat niet."))
        return initiatief

    def if_match(self) -> int:
        waarde = self.request.headers.get("If-Match", "").strip()
        if not waarde or waarde == "*":
            raise VersieVereist
        match = _IF_MATCH.fullmatch(waarde)
        if match is None:
            # A weak tag, a list or anything else matches no version of the initiative.
            raise VersieVerouderd
        return int(match.group(1) or match.group(2))

    def uitvoeren(self, initiatief, versie, data):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        initiatief = self.get_initiatief()
        if not request.user.has_perm(self.permissie, initiatief):
            raise exceptions.PermissionDenied
        versie = self.if_match() if self.vereist_versie else None
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            resultaat, nieuwe_versie, status_code = self.uitvoeren(initiatief, versie, serializer)
        except StaleStateError as exc:
            raise VersieVerouderd from exc
        except TransitionError as exc:
            raise Conflict(exc.message) from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(_fouten(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied from exc
        response = Response(resultaat, status=status_code)
        if nieuwe_versie is not None:
            response["ETag"] = f'"{nieuwe_versie}"'
        return response


FOUTEN = {
    (400, PROBLEM_JSON): _problem(_("Ongeldige invoer; errors noemt de velden.")),
    (401, PROBLEM_JSON): _problem(_("Geen of een ongeldige API-sleutel.")),
    (403, PROBLEM_JSON): _problem(_("Uw rollen staan dit niet toe (nu).")),
    (404, PROBLEM_JSON): _problem(_("Deze actie bestaat niet.")),
    (409, PROBLEM_JSON): _problem(_("Deze stap is in de huidige toestand niet mogelijk.")),
    (412, PROBLEM_JSON): _problem(_("De versie in If-Match is verouderd; er is niets gewijzigd.")),
    (415, PROBLEM_JSON): _problem(_("Stuur JSON (Content-Type: application/json).")),
    (428, PROBLEM_JSON): _problem(_("De kop If-Match ontbreekt.")),
    (429, PROBLEM_JSON): _problem(_("Te veel verzoeken; probeer het later opnieuw.")),
}


class VoortgangMeldenView(_InitiatiefSchrijven):
    """Report progress on an action, as on its page ``…/voortgang/``."""

    permissie = "cycle.report_initiatief"
    serializer_class = s.VoortgangInSerializer

    @extend_schema(
        operation_id="actie_voortgang_melden",
        summary=_("Voortgang van een actie melden"),
        description=_(
            "Voor de accounthouder van het cluster, de trekker en wie de cyclus leidt, in "
            "het uitvoeringsjaar. Optioneel met een nieuwe uitvoeringsstatus. Het antwoord "
            "heeft de nieuwe versie in de kop ETag."
        ),
        parameters=[IF_MATCH],
        request=s.VoortgangInSerializer,
        responses={201: s.VoortgangUitSerializer, **FOUTEN},
        tags=["acties (schrijven)"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def uitvoeren(self, initiatief, versie, serializer):
        update = services_programma.Update(
            initiatief=initiatief, expected_versie=versie, **serializer.update_velden()
        )
        voortgang = services_programma.voortgang_melden(user=self.request.user, update=update)
        # ``voortgang.initiatief`` is the locked row the service saved, with its new version.
        return (
            s.VoortgangUitSerializer(voortgang).data,
            voortgang.initiatief.versie,
            status.HTTP_201_CREATED,
        )


class _Toezegging(_InitiatiefSchrijven):
    permissie = "cycle.commit_initiatief"

    def antwoord(self, initiatief):
        return (
            s.ToezeggingUitSerializer(
                {
                    "id": initiatief.pk,
                    "toezegging": initiatief.toezegging,
                    "toezegging_reden": initiatief.toezegging_reden,
                    "trekker_naam": initiatief.trekker_naam,
                    "versie": initiatief.versie,
                }
            ).data,
            initiatief.versie,
            status.HTTP_200_OK,
        )


class ToezeggenView(_Toezegging):
    """The owner commits to an action, as on the page ``…/toezegging/``."""

    serializer_class = s.ToezeggenInSerializer

    @extend_schema(
        operation_id="actie_toezeggen",
        summary=_("Een actie toezeggen"),
        description=_(
            "Voor de accounthouder van het cluster van de actie (in het gebied van het "
            "werkgebied), zolang het wijkprogramma wordt opgesteld. Zonder trekker_naam "
            "blijft de trekker die de opsteller noemde."
        ),
        parameters=[IF_MATCH],
        request=s.ToezeggenInSerializer,
        responses={200: s.ToezeggingUitSerializer, **FOUTEN},
        tags=["acties (schrijven)"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def uitvoeren(self, initiatief, versie, serializer):
        data = serializer.validated_data
        gedaan = services_programma.initiatief_toezeggen(
            initiatief=initiatief,
            user=self.request.user,
            expected_versie=versie,
            trekker_naam=data.get("trekker_naam"),
            trekker_email=data.get("trekker_email") or "",
        )
        return self.antwoord(gedaan)


class AfwijzenView(_Toezegging):
    """The owner declines an action with a reason, as on the page ``…/toezegging/``."""

    serializer_class = s.AfwijzenInSerializer

    @extend_schema(
        operation_id="actie_afwijzen",
        summary=_("Een actie afwijzen"),
        description=_(
            "Voor de accounthouder van het cluster van de actie, zolang het wijkprogramma "
            "wordt opgesteld; met de reden die de opsteller leest."
        ),
        parameters=[IF_MATCH],
        request=s.AfwijzenInSerializer,
        responses={200: s.ToezeggingUitSerializer, **FOUTEN},
        tags=["acties (schrijven)"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def uitvoeren(self, initiatief, versie, serializer):
        gedaan = services_programma.initiatief_afwijzen(
            initiatief=initiatief,
            user=self.request.user,
            expected_versie=versie,
            reden=serializer.validated_data["reden"],
        )
        return self.antwoord(gedaan)


class KnelpuntMeldenView(_InitiatiefSchrijven):
    """Raise a knelpunt on an action, as on its page ``…/knelpunt/``. A knelpunt does not
    change the action itself (nor its version), so, like the form, it needs no If-Match; the
    same open knelpunt sent twice is raised once (200 with the existing one)."""

    permissie = "cycle.raise_knelpunt"
    vereist_versie = False
    serializer_class = s.KnelpuntInSerializer

    @extend_schema(
        operation_id="actie_knelpunt_melden",
        summary=_("Een knelpunt bij een actie melden"),
        description=_(
            "Voor wie bij het werkgebied betrokken is en de trekker, in het "
            "uitvoeringsjaar. Niet openbaar: de wijkmanager, de wijkraad en de "
            "accounthouders zien het."
        ),
        request=s.KnelpuntInSerializer,
        responses={
            201: s.KnelpuntUitSerializer,
            200: OpenApiResponse(
                s.KnelpuntUitSerializer, description=_("Dit knelpunt had u al gemeld.")
            ),
            **{k: v for k, v in FOUTEN.items() if k[0] not in (412, 428)},
        },
        tags=["acties (schrijven)"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def uitvoeren(self, initiatief, versie, serializer):
        user = self.request.user
        beschrijving = serializer.validated_data["beschrijving"]
        al = Knelpunt.objects.filter(
            initiatief=initiatief,
            gemeld_door=user,
            beschrijving=beschrijving,
            opgelost_op__isnull=True,
        ).first()
        if al is not None:
            return s.KnelpuntUitSerializer(al).data, None, status.HTTP_200_OK
        knelpunt = services_programma.knelpunt_melden(
            initiatief=initiatief, user=user, beschrijving=beschrijving
        )
        return s.KnelpuntUitSerializer(knelpunt).data, None, status.HTTP_201_CREATED
