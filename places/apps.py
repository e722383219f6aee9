from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Gebieden en wijken")

    def ready(self):
        from pagecache.services import invalidate_on_change

        # Reference data is edited in the admin without a service of its own, and every public
        # page shows it: any change invalidates the cached pages.
        invalidate_on_change(*self.get_models())
