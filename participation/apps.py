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
        self._volgen()
        self._bijeenkomsten()

    def _volgen(self):
        """Following initiatives: the mails, the hook into progress updates, the panel."""
        from cycle.panels import register_panel
        from cycle.signals import voortgang_gemeld
        from notices.services import register_renderer

        from . import services_volgen
        from .panels_volgen import initiatief_panel

        register_renderer(services_volgen.KIND_BEVESTIGEN, services_volgen.render_bevestigen)
        register_renderer(services_volgen.KIND_UPDATE, services_volgen.render_update)
        voortgang_gemeld.connect(
            _voortgang_gemeld, dispatch_uid="participation.volgers.voortgang_gemeld"
        )
        register_panel("initiatief", initiatief_panel)

    def _bijeenkomsten(self):
        """Meetings: the cycle's and the werkgebied's coming meetings, and "Mijn werk"."""
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel

        from . import panels_bijeenkomsten

        register_panel("cyclus", panels_bijeenkomsten.cyclus_panel)
        register_panel("werkgebied", panels_bijeenkomsten.werkgebied_panel)
        register_sectie(panels_bijeenkomsten.mijn_werk_sectie)


def _voortgang_gemeld(sender, *, initiatief, entry, **kwargs):
    from .services_volgen import volgbericht_klaarzetten

    volgbericht_klaarzetten(initiatief=initiatief, entry=entry)
