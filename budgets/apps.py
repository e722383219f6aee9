from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Wijkbudget and knelpuntenbudget: budgets per werkgebied and year, their ledger, the
    programme's bestedingsvoorstel and the wijkverslag's jaarrekening."""

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


def _product_overgegaan(sender, **kwargs):
    from .programma import reserveer_bij_vaststelling

    reserveer_bij_vaststelling(**kwargs)
