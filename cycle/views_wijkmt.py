"""The wijk-MT's overview of a werkgebied: its members, every initiative being carried out
with owner, trekker, status, last update and what is overdue, filterable by cluster, the
open knelpunten and the latest meetings. For those involved in the werkgebied only."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.generic import TemplateView

from pagecache.services import memoised_for_user, pagina_param
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
        """Everything under the heading is kept for this user alone under the public version
        (every update, knelpunt, meeting and role change is audited and so bumps it) and
        today's date (what is overdue)."""
        cluster = self.request.GET.get("cluster", "")
        nummer = pagina_param(self.request)
        inhoud = memoised_for_user(
            self.request.user,
            f"wijk-mt:{self.werkgebied.pk}",
            self.render_inhoud,
            # Only a cluster slug and a page number vary it.
            vary_on=[
                cluster if cluster.isascii() and len(cluster) <= 50 else "",
                nummer,
            ],
        )
        return super().get_context_data(werkgebied=self.werkgebied, inhoud=inhoud, **kwargs)

    def render_inhoud(self) -> str:
        werkgebied = self.werkgebied
        clusters = selectors_wijkmt.clusters_in(werkgebied)
        gekozen = next((c for c in clusters if c.slug == self.request.GET.get("cluster")), None)
        pagina = Paginator(
            selectors_wijkmt.initiatieven(werkgebied, cluster=gekozen), RIJEN_PER_PAGINA
        ).get_page(pagina_param(self.request))
        return render_to_string(
            "cycle/wijkmt/_overzicht_inhoud.html",
            {
                "werkgebied": werkgebied,
                "leden": selectors_wijkmt.leden(werkgebied),
                "clusters": clusters,
                "gekozen": gekozen,
                "pagina": pagina,
                "query": f"cluster={gekozen.slug}" if gekozen else "",
                "knelpunten": selectors_wijkmt.open_knelpunten(werkgebied),
                "overleggen": list(selectors_wijkmt.overleggen(werkgebied)[:RECENTE_OVERLEGGEN]),
                "mag_beheren": self.request.user.has_perm("cycle.manage_wijkmt", werkgebied),
            },
            request=self.request,
        )
