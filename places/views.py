"""Public lists of places."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.views.generic import TemplateView

from .models import Werkgebied, Wijk


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
