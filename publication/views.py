"""The published versions: the frozen HTML, the PDF, its state, and trying a failed PDF
again. Every version is public; only the reason of a failure is not."""

import base64
import csv
import hashlib
import logging
import re
from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import selectors, services
from .forms import ArchiefFilterForm
from .models import Pdfstatus, Publicatie
from .selectors import STANDEN

logger = logging.getLogger(__name__)

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def _sha256_b64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _publicatie(kwargs, *, met_html=False, met_opvolger=False) -> Publicatie:
    versies = Publicatie.objects.select_related("werkgebied")
    if met_opvolger:
        versies = versies.met_opvolger()
    if not met_html:
        # The frozen document is tens of kilobytes; only the page that serves it reads it.
        versies = versies.defer("html")
    return get_object_or_404(
        versies,
        werkgebied__slug=kwargs["slug"],
        jaar=kwargs["jaar"],
        soort=kwargs["soort"],
        versie=kwargs["versie"],
    )


class PublicatieHtmlView(View):
    """The version as it was published: its own standalone document, served as stored. Its
    inline style is allowed by its hash alone; nothing else of it may run or load."""

    def get(self, request, **kwargs):
        publicatie = _publicatie(kwargs, met_html=True, met_opvolger=True)
        response = HttpResponse(publicatie.html, content_type="text/html; charset=utf-8")
        if publicatie.opvolger_versie is not None:
            # The document itself never changes; a client can still learn that it was
            # replaced (RFC 5829).
            response["Link"] = (
                f"<{request.build_absolute_uri(publicatie.opvolger_url())}>; "
                'rel="successor-version"'
            )
        hashes = [f"'sha256-{_sha256_b64(style)}'" for style in _STYLE.findall(publicatie.html)]
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src {}; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'".format(" ".join(hashes) or "'none'")
        )
        response._csp_exempt = True
        return response


class PublicatiePdfView(View):
    def get(self, request, **kwargs):
        publicatie = _publicatie(kwargs)
        if publicatie.pdf_status != Pdfstatus.KLAAR:
            raise Http404(_("De PDF van deze versie is er nog niet."))
        try:
            bestand = publicatie.pdf.open("rb")
        except OSError as exc:
            # The row says the file is there and the storage does not have it: an operations
            # fault (a lost volume, a half-restored backup), not the visitor's.
            logger.error("PDF of publication %s missing from storage: %s", publicatie.pk, exc)
            raise Http404(_("De PDF van deze versie is er nog niet.")) from exc
        response = FileResponse(
            bestand,
            content_type="application/pdf",
            filename=publicatie.pdf_bestandsnaam,
        )
        # A version never changes: its checksum is its identity.
        response["ETag"] = f'"{publicatie.pdf_sha256}"'
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class PublicatieDetailView(TemplateView):
    """The page of a version: its text, its PDF and checksum, or how far the PDF is (the
    product page asks, as ``?formaat=json``, while it is being made); those who run the cycle
    also see why a PDF failed and can try again. The e-mail about a publication links here."""

    template_name = "publication/publicatie_detail.html"

    def get(self, request, *args, **kwargs):
        publicatie = _publicatie(kwargs, met_opvolger=True)
        if request.GET.get("formaat") == "json":
            data = {
                "status": publicatie.pdf_status,
                "label": publicatie.get_pdf_status_display(),
            }
            if publicatie.pdf_status == Pdfstatus.KLAAR:
                data["pdf"] = publicatie.get_pdf_url()
                data["tekst"] = _("download als PDF")
            response = JsonResponse(data)
            response["Cache-Control"] = "no-store"
            return response
        return self.render_to_response(
            {
                "publicatie": publicatie,
                "mag_opnieuw": request.user.has_perm("publication.retry_pdf", publicatie),
            }
        )


class PublicatieOpnieuwView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, **kwargs):
        publicatie = _publicatie(kwargs)
        if not request.user.has_perm("publication.retry_pdf", publicatie):
            raise PermissionDenied
        try:
            services.pdf_opnieuw(publicatie=publicatie, user=request.user)
        except services.PublicatieError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, _("De PDF wordt opnieuw gemaakt."))
        return redirect(publicatie)


class ArchiefView(TemplateView):
    """Every published version of every product, newest first, with its HTML beside its PDF."""

    template_name = "publication/archief.html"
    PAGE_SIZE = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jaren = Publicatie.objects.order_by("-jaar").values_list("jaar", flat=True).distinct()
        form = ArchiefFilterForm(self.request.GET, jaren=list(jaren))
        filters = form.filters()
        versies = (
            Publicatie.objects.none() if filters is None else Publicatie.objects.filter(**filters)
        )
        versies = (
            versies.met_opvolger()
            .select_related("werkgebied")
            .defer("html", "pdf_fout")
            .order_by("-gepubliceerd_op", "-pk")
        )
        query = self.request.GET.copy()
        query.pop("pagina", None)
        context.update(
            verslagjaren=selectors.jaren(),
            form=form,
            versies=Paginator(versies, self.PAGE_SIZE).get_page(self.request.GET.get("pagina")),
            filter_query=query.urlencode(),
        )
        return context


def _jaar(kwargs) -> int:
    jaar = kwargs["jaar"]
    if not 2000 <= jaar <= 2100:
        raise Http404
    return jaar


class WijkverslagenView(TemplateView):
    """For the council: the wijkverslag of a programme year of every werkgebied."""

    template_name = "publication/wijkverslagen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jaar = _jaar(self.kwargs)
        rijen = selectors.wijkverslagen(jaar, today=timezone.localdate())
        tellingen = Counter(rij.stand for rij in rijen)
        context.update(
            jaar=jaar,
            rijen=rijen,
            jaren=selectors.jaren(),
            tellingen=[(str(label), tellingen[stand]) for stand, label in STANDEN.items()],
        )
        return context


def wijkverslagen_csv(request, jaar):
    jaar = _jaar({"jaar": jaar})
    rijen = selectors.wijkverslagen(jaar, today=timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wijkverslagen-{jaar}.csv"'
    # A byte order mark, so that spreadsheet programs read the UTF-8 (ë, é) as such.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("werkgebied"),
            _("stand"),
            _("versie"),
            _("gepubliceerd op"),
            _("gepland uiterlijk"),
            _("tekst"),
            _("pdf"),
        ]
    )
    for rij in rijen:
        publicatie = rij.publicatie
        writer.writerow(
            [
                _csv_veilig(rij.werkgebied.naam),
                rij.label,
                publicatie.versie if publicatie else "",
                publicatie.gepubliceerd_op.date().isoformat() if publicatie else "",
                rij.gepland_op.isoformat() if rij.gepland_op else "",
                request.build_absolute_uri(publicatie.get_html_url()) if publicatie else "",
                request.build_absolute_uri(publicatie.get_pdf_url())
                if publicatie and publicatie.pdf_status == Pdfstatus.KLAAR
                else "",
            ]
        )
    return response


def _csv_veilig(value: str) -> str:
    """No cell that a spreadsheet would run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
