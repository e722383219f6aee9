from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    """The published record of the city: every published product as an immutable version,
    with its HTML frozen at publication and an archival PDF rendered by Celery. Sits above
    ``cycle`` (and later ``participation`` and ``budgets``): they never import it."""

    name = "publication"
    verbose_name = _("Publicaties")

    def ready(self):
        from cycle.mijn_werk import register_sectie
        from cycle.panels import register_panel

        from . import checks, receivers  # noqa: F401 - registers checks, connects to cycle
        from .mijn_werk import mislukte_pdfs_sectie, wijkverslagen_sectie
        from .panels import product_panel, werkgebied_panel, wijk_panel

        register_panel("product", product_panel)
        register_panel("werkgebied", werkgebied_panel)
        register_panel("wijk", wijk_panel)
        register_sectie(wijkverslagen_sectie)
        register_sectie(mislukte_pdfs_sectie)
