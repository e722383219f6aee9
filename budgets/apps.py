from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Wijkbudget and knelpuntenbudget: budgets per werkgebied and year, their ledger, the
    programme's bestedingsvoorstel and the wijkverslag's jaarrekening; and the
    bewonersinitiatieven (``*_bi`` modules)."""

    name = "budgets"
    verbose_name = _("Budgetten")

    def ready(self):
        from cycle.panels import register_panel
        from cycle.signals import product_overgegaan
        from cycle.voorwaarden import register_voorwaarde

        from . import panels
        from .programma import binnen_budget

        register_voorwaarde(binnen_budget)
        product_overgegaan.connect(
            _product_overgegaan, dispatch_uid="budgets.bestedingsvoorstel.product_overgegaan"
        )
        register_panel("product", panels.product_panel)
        register_panel("werkgebied", panels.werkgebied_panel)
        self._bewonersinitiatieven()

    def _bewonersinitiatieven(self):
        from cycle.mijn_werk import register_sectie
        from notices.services import register_renderer
        from people.mijn_wijk import register_mijn_wijk_section

        from . import services_bi
        from .mijn_bi import mijn_werk_sectie, mijn_wijk_sectie

        register_renderer(services_bi.KIND_MEDEONDERTEKENEN, services_bi.render_medeondertekenen)
        register_sectie(mijn_werk_sectie)
        register_mijn_wijk_section("bewonersinitiatieven", mijn_wijk_sectie, volgorde=60)


def _product_overgegaan(sender, **kwargs):
    from .programma import reserveer_bij_vaststelling

    reserveer_bij_vaststelling(**kwargs)
