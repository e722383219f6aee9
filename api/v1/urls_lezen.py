"""The read-only endpoints of /api/v1/ (Dutch plural nouns, as the portal's pages)."""

from rest_framework.routers import DefaultRouter

from . import views_lezen as v

# With the root (/api/v1/ lists the endpoints), without ``.json`` suffixes: ``?format=``.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("gebieden", v.GebiedViewSet, basename="gebied")
router.register("werkgebieden", v.WerkgebiedViewSet, basename="werkgebied")
router.register("wijken", v.WijkViewSet, basename="wijk")
router.register("cycli", v.CyclusViewSet, basename="cyclus")
router.register("publicaties", v.PublicatieViewSet, basename="publicatie")
router.register("agendapunten", v.AgendapuntViewSet, basename="agendapunt")
router.register("acties", v.ActieViewSet, basename="actie")
router.register("twaalfmaandenrapport", v.TwaalfmaandenViewSet, basename="twaalfmaanden")
router.register("meldingen", v.MeldingViewSet, basename="melding")
router.register("budgetten", v.BudgetViewSet, basename="budget")
router.register("bijeenkomsten", v.BijeenkomstViewSet, basename="bijeenkomst")

urlpatterns = router.urls
