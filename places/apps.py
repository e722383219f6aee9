from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Gebieden en wijken")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pagecache.services import bump

        # Reference data is edited in the admin without a service of its own; every public page
        # shows it, so any change invalidates the cached pages (in the same transaction).
        def invalidate(sender, **kwargs):
            bump()

        for model in self.get_models():
            post_save.connect(
                invalidate, sender=model, dispatch_uid=f"pagecache.{model}.save", weak=False
            )
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"pagecache.{model}.delete", weak=False
            )
