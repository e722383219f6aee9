"""The read-only endpoints of /api/v1/: the public face of the portal as data.

What an endpoint lists is what the portal's public pages show, for every caller: the same
selectors and querysets as those pages, and for what depends on a product's state the same
``rules`` permission the page asks, asked for an anonymous visitor. A concept is therefore in
no answer, whoever calls: the API is for open data and for other systems; those involved read
concepts in the portal itself. Where a database filter narrows a list before it is paginated
(the product states the public may read), the permission is asked again for every row of the
page, and a row it refuses is left out: the filter only saves work, the rule decides.

Every list is cursor-paginated in a fixed number of queries whatever its length. Because an
answer is the same for every caller, a JSON answer is kept whole under the public version (as
the public pages are, see ``pagecache``): every change it could show is audited and so bumps
that version; a repeat costs no query beyond the version and the caller's key."""

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from api.pagination import Cursor
from api.schema import ProblemSchema
from api.throttling import TeVeelVerzoeken
from budgets import selectors as budget_selectors
from budgets.models import Budget
from cycle import selectors as cycle_selectors
from cycle.models import (
    OPENBARE_STATUSSEN,
    Agendapunt,
    Initiatief,
    Voortgang,
    Werkcyclus,
    Wijkagenda,
    Wijkprogramma,
)
from cycle.selectors_verslag import effectieve_afloop, tellingen_per_cyclus
from pagecache.services import keep_response, kept_response, kept_response_key, reading_only
from participation import selectors as participation_selectors
from participation import selectors_bijeenkomsten
from participation.models import Melding
from places.models import Gebied, Werkgebied, Wijk, WijkprofielScore
from publication.models import Publicatie

from . import filters, serializers
from .serializers import PUBLIEK


def cursor_op(*ordering: str) -> type[Cursor]:
    """The API's cursor pagination in the given order (a unique last field keeps it total)."""
    return type("Cursor", (Cursor,), {"ordering": ordering})


class LeesViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: list and (where there is one) detail. ``publiek_perm`` names the
    permission an anonymous visitor must hold on ``publiek_object(row)`` for the row to be
    shown, as its page asks it; None where every row of the queryset is public."""

    schema = ProblemSchema()
    publiek_perm: str | None = None
    # The heading of the browsable API's page.
    titel = ""
    # What the endpoint gives, for its readers (the OpenAPI document, the browsable API's
    # page): the docstring is English, for the portal's developers.
    beschrijving = ""

    def get_view_name(self):
        return str(self.titel) or super().get_view_name()

    def get_view_description(self, html=False):
        return escape(self.beschrijving) if html else str(self.beschrijving)

    def publiek_object(self, obj):
        return obj

    def zichtbaar(self, obj) -> bool:
        if self.publiek_perm is None:
            return True
        return PUBLIEK.has_perm(self.publiek_perm, self.publiek_object(obj))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        return [obj for obj in page if self.zichtbaar(obj)]

    def get_object(self):
        # Django's own message names the model and is not translated: the API's is the same
        # for everything that is not there, or not public.
        try:
            obj = super().get_object()
        except Http404:
            raise NotFound from None
        if not self.zichtbaar(obj):
            raise NotFound
        return obj

    def rijen_context(self, rows: list) -> dict:
        """What the serializer needs beyond the rows themselves, read for all the rows of a
        page (or the one of a detail) at once, so a page costs the same whatever its length."""
        return {}

    def get_serializer(self, *args, **kwargs):
        rows = args[0] if args else kwargs.get("instance")
        rows = rows if isinstance(rows, list) else [rows] if rows is not None else []
        kwargs["context"] = {**self.get_serializer_context(), **self.rijen_context(rows)}
        return self.get_serializer_class()(*args, **kwargs)

    def throttled(self, request, wait):
        raise TeVeelVerzoeken(wait)

    # ------------------------------------------------ kept answers (the same for every caller)

    def _bewaarsleutel(self, request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            # The browsable API's page names the signed-in user and holds forms.
            or getattr(renderer, "format", None) != "json"
            or len(request.get_full_path()) > 500
        ):
            return None
        return kept_response_key("api", request, renderer.media_type)

    def _bewaard(self, handler, request, *args, **kwargs):
        self._bewaar_onder = self._bewaarsleutel(request)
        if self._bewaar_onder is not None:
            hit = kept_response(self._bewaar_onder)
            if hit is not None:
                self._bewaar_onder = None
                return hit
        return handler(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return self._bewaard(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._bewaard(super().retrieve, request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "_bewaar_onder", None)
        if key is not None and response.status_code == 200 and reading_only():
            response.render()
            keep_response(key, response)
        return response


SLUG = {"lookup_field": "slug", "lookup_value_regex": "[-a-zA-Z0-9_]+"}


# ----------------------------------------------------------------------------- places


@extend_schema_view(
    list=extend_schema(summary=_("Gebieden"), tags=["plaatsen"]),
    retrieve=extend_schema(summary=_("Eén gebied"), tags=["plaatsen"]),
)
class GebiedViewSet(LeesViewSet):
    """The 14 gebieden of Rotterdam."""

    titel = _("Gebieden")
    beschrijving = _("De 14 gebieden van Rotterdam.")

    queryset = Gebied.objects.all()
    serializer_class = serializers.GebiedSerializer
    pagination_class = cursor_op("slug")
    lookup_field = SLUG["lookup_field"]
    lookup_value_regex = SLUG["lookup_value_regex"]


@extend_schema_view(
    list=extend_schema(summary=_("Werkgebieden met hun kerncijfers"), tags=["plaatsen"]),
    retrieve=extend_schema(summary=_("Eén werkgebied"), tags=["plaatsen"]),
)
class WerkgebiedViewSet(LeesViewSet):
    """The werkgebieden (the area of one wijkraad), each with its wijken and the latest
    Wijkprofiel rolled up over them, as the werkgebied's page shows it."""

    titel = _("Werkgebieden")
    beschrijving = _(
        "De werkgebieden (het gebied van één wijkraad), elk met zijn wijken en het laatste "
        "Wijkprofiel over die wijken samen, zoals de pagina van het werkgebied het toont."
    )

    queryset = Werkgebied.objects.select_related("gebied", "wijkraad").prefetch_related(
        Prefetch(
            "wijken",
            queryset=Wijk.objects.order_by("naam").prefetch_related("wijkprofiel"),
        )
    )
    serializer_class = serializers.WerkgebiedSerializer
    filterset_class = filters.WerkgebiedFilter
    pagination_class = cursor_op("slug")
    lookup_field = SLUG["lookup_field"]
    lookup_value_regex = SLUG["lookup_value_regex"]


@extend_schema_view(
    list=extend_schema(summary=_("Wijken met hun Wijkprofiel"), tags=["plaatsen"]),
    retrieve=extend_schema(summary=_("Eén wijk"), tags=["plaatsen"]),
)
class WijkViewSet(LeesViewSet):
    """The wijken, each with its inhabitants and its Wijkprofiel indices per year."""

    titel = _("Wijken")
    beschrijving = _(
        "De wijken, elk met het aantal inwoners en de indexen van het Wijkprofiel per jaar."
    )

    queryset = Wijk.objects.select_related("gebied", "werkgebied").prefetch_related(
        Prefetch("wijkprofiel", queryset=WijkprofielScore.objects.order_by("jaar"))
    )
    serializer_class = serializers.WijkSerializer
    filterset_class = filters.WijkFilter
    pagination_class = cursor_op("slug")
    lookup_field = SLUG["lookup_field"]
    lookup_value_regex = SLUG["lookup_value_regex"]


# ------------------------------------------------------------------------------ cycle


@extend_schema_view(
    list=extend_schema(summary=_("Werkcycli met fase en planning"), tags=["cyclus"]),
    retrieve=extend_schema(summary=_("Eén werkcyclus"), tags=["cyclus"]),
)
class CyclusViewSet(LeesViewSet):
    """Every werkcyclus with its phase, its planned and actual dates per phase, and its
    products as the cycle's page lists them (a title only once the public may read it)."""

    titel = _("Werkcycli")
    beschrijving = _(
        "Elke werkcyclus met zijn fase, de geplande en werkelijke data per fase en zijn "
        "producten zoals de pagina van de cyclus ze noemt (een titel pas als het publiek "
        "hem mag lezen)."
    )

    serializer_class = serializers.CyclusSerializer
    filterset_class = filters.CyclusFilter
    pagination_class = cursor_op("pk")

    def get_queryset(self):
        return cycle_selectors.cycli()


@extend_schema_view(
    list=extend_schema(summary=_("Gepubliceerde versies van de producten"), tags=["cyclus"]),
    retrieve=extend_schema(summary=_("Eén gepubliceerde versie"), tags=["cyclus"]),
)
class PublicatieViewSet(LeesViewSet):
    """Every published version of every product (all are public, as the archive shows
    them): its frozen text, its PDF with checksum once made, and what replaced it."""

    titel = _("Publicaties")
    beschrijving = _(
        "Elke gepubliceerde versie van elk product (alle zijn openbaar, zoals het archief "
        "ze toont): de vastgelegde tekst, de pdf met controlegetal zodra die gemaakt is, en "
        "wat de versie verving."
    )

    serializer_class = serializers.PublicatieSerializer
    filterset_class = filters.PublicatieFilter
    pagination_class = cursor_op("-pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PublicatieDetailSerializer
        return serializers.PublicatieSerializer

    def get_queryset(self):
        return (
            Publicatie.objects.met_opvolger().select_related("werkgebied").defer("html", "pdf_fout")
        )


def _zonder_teksten(prefix: str, model) -> list[str]:
    """The long sections of a product, left in the database when only its state is read."""
    return [f"{prefix}__{sectie}" for sectie in model.SECTIES]


@extend_schema_view(
    list=extend_schema(summary=_("Agendapunten van openbare wijkagenda's"), tags=["cyclus"]),
    retrieve=extend_schema(summary=_("Eén agendapunt"), tags=["cyclus"]),
)
class AgendapuntViewSet(LeesViewSet):
    """The points of every wijkagenda the public may read (in consultation or published)."""

    titel = _("Agendapunten")
    beschrijving = _(
        "De punten van elke wijkagenda die het publiek mag lezen (in consultatie of gepubliceerd)."
    )

    serializer_class = serializers.AgendapuntSerializer
    filterset_class = filters.AgendapuntFilter
    pagination_class = cursor_op("pk")
    publiek_perm = "cycle.view_product"

    def publiek_object(self, obj):
        return obj.wijkagenda

    def get_queryset(self):
        return (
            Agendapunt.objects.filter(wijkagenda__status__in=OPENBARE_STATUSSEN)
            .select_related("wijkagenda__cyclus__werkgebied", "thema")
            .defer(*_zonder_teksten("wijkagenda", Wijkagenda))
            .prefetch_related(
                Prefetch("wijken", queryset=Wijk.objects.only("slug", "naam").order_by("naam"))
            )
        )


def _laatste_voortgang(veld: str) -> Subquery:
    # Newest first, as the initiative's page lists its progress (selectors_uitvoering).
    return Subquery(
        Voortgang.objects.filter(initiatief=OuterRef("pk"))
        .order_by("-datum", "-pk")
        .values(veld)[:1]
    )


@extend_schema_view(
    list=extend_schema(summary=_("Acties (initiatieven) met status en voortgang"), tags=["cyclus"]),
    retrieve=extend_schema(summary=_("Eén actie"), tags=["cyclus"]),
)
class ActieViewSet(LeesViewSet):
    """The initiatives of every wijkprogramma the public may read, with their owner, trekker,
    planning and money, and, once the programme is executed, their status and latest
    progress (as the programme's page shows them). Why an owner declined is not public."""

    titel = _("Acties")
    beschrijving = _(
        "De acties van elk wijkprogramma dat het publiek mag lezen, met eigenaar, trekker, "
        "planning en geld en, zodra het programma wordt uitgevoerd, hun status en laatste "
        "voortgang (zoals de pagina van het programma ze toont). Waarom een eigenaar afwees "
        "is niet openbaar. Het veld versie is wat de kop If-Match bij schrijven vraagt."
    )

    serializer_class = serializers.ActieSerializer
    filterset_class = filters.ActieFilter
    pagination_class = cursor_op("pk")
    publiek_perm = "cycle.view_product"

    def publiek_object(self, obj):
        return obj.wijkprogramma

    def get_queryset(self):
        return (
            Initiatief.objects.filter(wijkprogramma__status__in=OPENBARE_STATUSSEN)
            .select_related("wijkprogramma__cyclus__werkgebied", "cluster", "partner")
            .defer("toezegging_reden", *_zonder_teksten("wijkprogramma", Wijkprogramma))
            .annotate(
                # How the twelve-month report counts the initiative.
                eindstand=effectieve_afloop(),
                voortgang_datum=_laatste_voortgang("datum"),
                voortgang_percentage=_laatste_voortgang("percentage"),
                voortgang_mijlpaal=_laatste_voortgang("mijlpaal"),
                voortgang_tekst=_laatste_voortgang("tekst"),
            )
        )


@extend_schema_view(
    list=extend_schema(summary=_("Twaalfmaandenrapport per werkcyclus"), tags=["cyclus"]),
    retrieve=extend_schema(summary=_("Twaalfmaandenrapport van één werkcyclus"), tags=["cyclus"]),
)
class TwaalfmaandenViewSet(LeesViewSet):
    """Per cycle whose programme the public may read: how its initiatives ended the year
    (realised, carried over, dropped, still open), the share realised in the wijkraad's
    judgement and whether that meets the city's target."""

    titel = _("Twaalfmaandenrapport")
    beschrijving = _(
        "Per cyclus waarvan het publiek het programma mag lezen: hoe de acties het jaar "
        "afsloten (gerealiseerd, doorgeschoven, geschrapt, nog open), het aandeel "
        "gerealiseerd volgens de wijkraad en of dat de doelstelling van de stad haalt."
    )

    serializer_class = serializers.TwaalfmaandenSerializer
    filterset_class = filters.TwaalfmaandenFilter
    pagination_class = cursor_op("pk")
    publiek_perm = "cycle.view_product"

    def publiek_object(self, obj):
        obj.wijkprogramma.cyclus = obj
        return obj.wijkprogramma

    def get_queryset(self):
        return (
            Werkcyclus.objects.filter(wijkprogramma__status__in=OPENBARE_STATUSSEN)
            .select_related("werkgebied__taakverdeling", "wijkprogramma")
            .defer(*_zonder_teksten("wijkprogramma", Wijkprogramma))
        )

    def rijen_context(self, rows):
        return {"tellingen": tellingen_per_cyclus([row.pk for row in rows])}


# ----------------------------------------------------------------------- participation


@extend_schema_view(
    list=extend_schema(summary=_("Openbare meldingen"), tags=["participatie"]),
    retrieve=extend_schema(
        summary=_("Eén melding (volgcode)"),
        tags=["participatie"],
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
    ),
)
class MeldingViewSet(LeesViewSet):
    """Meldingen as the public list /meldingen/ shows them (and one as its tracking page):
    theme, wijk, status and support; the text only once it is publishable. Never the
    reporter, their address, the coordinates or the photos."""

    titel = _("Meldingen")
    beschrijving = _(
        "Meldingen zoals de openbare lijst /meldingen/ ze toont (en één zoals de "
        "volgpagina): thema, wijk, status en steun; de tekst pas als die publiceerbaar is. "
        "Nooit de melder, diens adres, de coördinaten of de foto's."
    )

    serializer_class = serializers.MeldingSerializer
    filterset_class = filters.MeldingFilter
    pagination_class = cursor_op("-pk")
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9]{1,20}"

    def get_queryset(self):
        return participation_selectors.openbare_meldingen()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MeldingDetailSerializer
        return serializers.MeldingSerializer

    def get_object(self):
        # As the tracking page: by its code in any case, never the personal fields.
        melding = (
            Melding.objects.select_related("thema", "wijk")
            .defer("email", "notitie", "melder_reactie", "lengtegraad", "breedtegraad")
            .filter(code=self.kwargs["code"].upper())
            .first()
        )
        if melding is None:
            raise NotFound
        return melding


@extend_schema_view(
    list=extend_schema(summary=_("Openbare bijeenkomsten"), tags=["participatie"]),
    retrieve=extend_schema(summary=_("Eén bijeenkomst"), tags=["participatie"]),
)
class BijeenkomstViewSet(LeesViewSet):
    """Public meetings (as the calendars show them) with their agenda and, afterwards, their
    outcome notes."""

    titel = _("Bijeenkomsten")
    beschrijving = _(
        "Openbare bijeenkomsten (zoals de agenda's ze tonen) met hun agenda en, achteraf, "
        "de uitkomsten."
    )

    serializer_class = serializers.BijeenkomstSerializer
    filterset_class = filters.BijeenkomstFilter
    pagination_class = cursor_op("-pk")

    def get_queryset(self):
        return selectors_bijeenkomsten.openbare_bijeenkomsten()


# ---------------------------------------------------------------------------- budgets


@extend_schema_view(
    list=extend_schema(
        summary=_("Wijkbudgetten: totalen en toekenningen per deel"), tags=["budget"]
    ),
    retrieve=extend_schema(summary=_("Eén wijkbudget"), tags=["budget"]),
)
class BudgetViewSet(LeesViewSet):
    """Per werkgebied and year the wijkbudget's parts: budget, awarded (reserved), paid and
    available, and the awarded lines of each part, as the public budget page shows them
    (the same selector: ``budgets.selectors.jaarrekeningen``, two queries for a page)."""

    titel = _("Budgetten")
    beschrijving = _(
        "Per werkgebied en jaar de delen van het wijkbudget: budget, toegekend "
        "(gereserveerd), betaald en beschikbaar, met de toegekende posten, zoals de "
        "openbare budgetpagina ze toont."
    )

    serializer_class = serializers.BudgetSerializer
    filterset_class = filters.BudgetFilter
    pagination_class = cursor_op("pk")

    def get_queryset(self):
        return Budget.objects.select_related("werkgebied").prefetch_related("delen")

    def rijen_context(self, rows):
        return {"jaarrekeningen": budget_selectors.jaarrekeningen(rows)}


@extend_schema(exclude=True)
class NietGevonden(APIView):
    """Any other path below /api/v1/: a problem+json 404, as the API answers everything, not
    the portal's HTML page."""

    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound
