"""Public lists of places, and the beheerder's upload of a newer Wijkprofiel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import services
from .forms import WijkprofielImportForm
from .models import Werkgebied, Wijk, WijkprofielScore


class WijkListView(TemplateView):
    """All wijken by gebied, each with its wijkraad; paginated, grouped in the template."""

    template_name = "places/wijk_list.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wijken = Wijk.objects.select_related("gebied", "werkgebied__wijkraad").order_by(
            "gebied__naam", "naam"
        )
        context["page_obj"] = Paginator(wijken, self.paginate_by).get_page(
            self.request.GET.get("pagina")
        )
        return context


class WerkgebiedListView(TemplateView):
    template_name = "places/werkgebied_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        werkgebieden = (
            Werkgebied.objects.select_related("gebied", "wijkraad")
            .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.order_by("naam")))
            .order_by("gebied__naam", "naam")
        )
        context["page_obj"] = Paginator(werkgebieden, self.paginate_by).get_page(
            self.request.GET.get("pagina")
        )
        return context


class WijkprofielImportView(PermissionRequiredMixin, FormView):
    """A beheerder uploads a newer Wijkprofiel CSV; all or nothing (``services``)."""

    template_name = "places/wijkprofiel_import.html"
    form_class = WijkprofielImportForm
    permission_required = "places.import_wijkprofiel"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jaren"] = (
            WijkprofielScore.objects.values("jaar").annotate(wijken=Count("pk")).order_by("jaar")
        )
        context["aantal_wijken"] = Wijk.objects.count()
        return context

    def form_valid(self, form):
        try:
            resultaat = services.wijkprofiel_import(
                user=self.request.user, file=form.cleaned_data["bestand"]
            )
        except ValidationError as exc:
            form.add_error("bestand", exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Het Wijkprofiel uit %(bestand)s is ingelezen: %(nieuw)s nieuw, "
                "%(gewijzigd)s gewijzigd, %(ongewijzigd)s ongewijzigd."
            )
            % {
                "bestand": resultaat.bestand or _("het bestand"),
                "nieuw": resultaat.nieuw,
                "gewijzigd": resultaat.gewijzigd,
                "ongewijzigd": resultaat.ongewijzigd,
            },
        )
        return redirect("wijkprofiel-import")
