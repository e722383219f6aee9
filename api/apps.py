from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The portal's open interfaces: the REST API (``/api/v1/``, Django REST framework with an
    OpenAPI description by drf-spectacular), Open311 GeoReport v2 for meldingen
    (``/open311/v2/``) and the open data downloads (``/open-data/``). Above every domain app:
    it reads and writes through their selectors, services and ``rules`` predicates, so that it
    can never show or do more than the pages; none of them imports it."""

    name = "api"
    verbose_name = _("Open API")

    def ready(self):
        from django.db.models.signals import post_migrate

        from cycle.mijn_werk import register_sectie

        from .mijn_werk import sleutels_sectie
        from .open311 import changeset

        register_sectie(sleutels_sectie)
        # Open311's changeset is the time of the last migration: a new one makes it anew.
        post_migrate.connect(changeset.vergeten, dispatch_uid="api.open311.changeset")
