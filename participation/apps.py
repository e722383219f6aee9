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
        self._plan()
        self._consultaties()
        self._bijeenkomsten()
        self._bewoners()
        self._steun()

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

    def _plan(self):
        """The participation plan (a panel on the cycle page, the condition on consultation)
        and the wijkraad's advice (a panel on the product page, a section of "Mijn werk")."""
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel
        from cycle.voorwaarden import register_voorwaarde

        from .panels_plan import adviezen_sectie, cyclus_panel, product_panel, wijkakkoord_panel
        from .panels_plan import werkgebied_panel as adviezen_panel
        from .voorwaarden import kaders_ingevuld

        register_panel("cyclus", cyclus_panel)
        register_panel("product", product_panel)
        register_panel("werkgebied", adviezen_panel)
        register_panel("wijkakkoord", wijkakkoord_panel)
        register_sectie(adviezen_sectie)
        register_voorwaarde(kaders_ingevuld)

    def _consultaties(self):
        """Consultations: opened with the product's step, a condition on adoption, the mail,
        the product page's panel and the wijkmanager's "Mijn werk"."""
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel
        from cycle.signals import product_overgegaan
        from cycle.voorwaarden import register_voorwaarde
        from notices.services import register_renderer

        from . import services_consultatie
        from .mijn_werk_consultatie import consultaties_sectie
        from .panels_consultatie import product_panel
        from .voorwaarden_consultatie import reacties_beantwoord

        product_overgegaan.connect(
            _product_overgegaan, dispatch_uid="participation.consultatie.product_overgegaan"
        )
        register_voorwaarde(reacties_beantwoord)
        register_renderer(
            services_consultatie.KIND_BEVESTIGEN, services_consultatie.render_bevestigen
        )
        register_panel("product", product_panel)
        register_sectie(consultaties_sectie)

    def _bijeenkomsten(self):
        """Meetings: the cycle's and the werkgebied's coming meetings, and "Mijn werk"."""
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel

        from . import panels_bijeenkomsten

        register_panel("cyclus", panels_bijeenkomsten.cyclus_panel)
        register_panel("werkgebied", panels_bijeenkomsten.werkgebied_panel)
        register_sectie(panels_bijeenkomsten.mijn_werk_sectie)

    def _bewoners(self):
        """Residents with an account: "Mijn wijk", notifications, their data."""
        from cycle.signals import product_gepubliceerd
        from people.avg import register_gegevens
        from people.mijn_wijk import register_mijn_wijk_section

        from . import bewoners

        register_mijn_wijk_section("meldingen", bewoners.meldingen_sectie, volgorde=20)
        register_mijn_wijk_section("volgen", bewoners.volgen_sectie, volgorde=30)
        register_mijn_wijk_section("initiatieven", bewoners.initiatieven_sectie, volgorde=40)
        register_gegevens(
            "participatie", export=bewoners.gegevens, verwijderen=bewoners.verwijderen
        )
        product_gepubliceerd.connect(
            _product_gepubliceerd, dispatch_uid="participation.gebiedvolgers.gepubliceerd"
        )

    def _steun(self):
        """Residents' support: on the agenda and programme pages and an initiative's page,
        in "Mijn wijk" and in the AVG download."""
        from cycle.panels import register_user_panel
        from people.avg import register_gegevens
        from people.mijn_wijk import register_mijn_wijk_section

        from . import bewoners, panels_steun

        register_user_panel("product", panels_steun.product_panel)
        register_user_panel("initiatief", panels_steun.initiatief_panel)
        register_mijn_wijk_section("reacties", bewoners.reacties_sectie, volgorde=50)
        register_mijn_wijk_section("steun", bewoners.steun_sectie, volgorde=60)
        register_gegevens(
            "reacties_en_steun",
            export=bewoners.gegevens_reacties_steun,
            verwijderen=bewoners.verwijderen_reacties_steun,
        )


def _product_gepubliceerd(sender, *, product, **kwargs):
    from .bewoners import publicatie_notificatie

    publicatie_notificatie(product=product)
    # Nothing returned: the mail about the publication links to publication's own answer.


def _voortgang_gemeld(sender, *, initiatief, entry, **kwargs):
    from .services_volgen import volgbericht_klaarzetten

    volgbericht_klaarzetten(initiatief=initiatief, entry=entry)


def _product_overgegaan(sender, **kwargs):
    from .services_consultatie import consultatie_bij_overgang

    consultatie_bij_overgang(**kwargs)
