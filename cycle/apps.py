from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "cycle"
    verbose_name = _("Werkcyclus")

    def ready(self):
        # The "Mijn werk" sections of the products' content (beleidssignalen to answer,
        # checklists to fill in) register themselves.
        from pagecache.services import invalidate_on_change

        from . import (  # noqa: F401
            mijn_werk_akkoord,
            mijn_werk_inhoud,
            mijn_werk_programma,
            mijn_werk_uitvoering,
        )
        from .models import ChecklistVraag, Wijkthema

        # Reference data edited in the admin, without a service: pages that show it follow.
        invalidate_on_change(Wijkthema)
        invalidate_on_change(ChecklistVraag)
