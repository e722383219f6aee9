"""The wijk-MT's overview of a werkgebied: its members, every initiative being carried out
with owner, trekker, status, last update and what is overdue, filterable by cluster, the
open knelpunten and the latest meetings. For those involved in the werkgebied only."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from places.models import Werkgebied

from . import selectors_wijkmt

RIJEN_PER_PAGINA = 50
# The latest meetings on the overview; the rest on the meetings' own list.
RECENTE_OVERLEGGEN = 5


class WijkMTView(TemplateView):
    template_name = "cycle/wijkmt/overzicht.html"

    def get(self, request, *args, **kwargs):
        self.werkgebied = get_object_or_404(
            Werkgebied.objects.select_related("gebied"), slug=kwargs["slug"]
        )
        if not request.user.has_perm("cycle.view_wijkmt", self.werkgebied):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        werkgebied = self.werkgebied
        clusters = selectors_wijkmt.clusters_in(werkgebied)
        gekozen = next((c for c in clusters if c.slug == self.request.GET.get("cluster")), None)
        pagina = Paginator(
            selectors_wijkmt.initiatieven(werkgebied, cluster=gekozen), RIJEN_PER_PAGINA
        ).get_page(self.request.GET.get("pagina"))
        return super().get_context_data(
            werkgebied=werkgebied,
            leden=selectors_wijkmt.leden(werkgebied),
            clusters=clusters,
            gekozen=gekozen,
            pagina=pagina,
            query=f"cluster={gekozen.slug}" if gekozen else "",
            knelpunten=selectors_wijkmt.open_knelpunten(werkgebied),
            overleggen=list(selectors_wijkmt.overleggen(werkgebied)[:RECENTE_OVERLEGGEN]),
            mag_beheren=self.request.user.has_perm("cycle.manage_wijkmt", werkgebied),
            **kwargs,
        )
