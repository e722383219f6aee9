from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Meldingen now; consultations, advice and the participation plan with later issues."""

    name = "participation"
    verbose_name = _("Participatie")

    def ready(self):
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel
        from pagecache.services import invalidate_on_change

        from .mijn_werk import meldingen_sectie
        from .models import Thema
        from .overzicht import werkgebied_panel, wijk_panel, wijkanalyse_panel

        register_sectie(meldingen_sectie)
        register_panel("wijk", wijk_panel)
        register_panel("werkgebied", werkgebied_panel)
        # Part of the wijkanalyse's wijkfoto (see templates/cycle/inhoud/wijkanalyse.html).
        register_panel("wijkfoto", wijkanalyse_panel)
        # Themes are edited in the admin, without a service: pages that name them follow.
        invalidate_on_change(Thema)
