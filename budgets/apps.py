from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Wijkbudget, knelpuntenbudget and bewonersinitiatieven."""

    name = "budgets"
    verbose_name = _("Budgetten")

    def ready(self):
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
