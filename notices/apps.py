from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Berichten")

    def ready(self):
        from django.core import checks

        from .checks import check_lease

        checks.register(check_lease)
