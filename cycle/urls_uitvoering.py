"""URLs of the execution year (an initiative's page, progress, knelpunten), below
``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from pagecache.decorators import cache_public_page

from . import views_uitvoering

urlpatterns = [
    path(
        "wijkprogramma/initiatieven/<int:pk>/",
        cache_public_page(views_uitvoering.InitiatiefDetailView.as_view()),
        name="initiatief-detail",
    ),
    path(
        "wijkprogramma/initiatieven/<int:pk>/voortgang/",
        views_uitvoering.VoortgangView.as_view(),
        name="initiatief-voortgang",
    ),
    path(
        "wijkprogramma/initiatieven/<int:pk>/knelpunt/",
        views_uitvoering.KnelpuntMeldenView.as_view(),
        name="knelpunt-melden",
    ),
    path(
        "wijkprogramma/knelpunten/<int:pk>/oplossen/",
        views_uitvoering.KnelpuntOplossenView.as_view(),
        name="knelpunt-oplossen",
    ),
    path("knelpunten/", views_uitvoering.KnelpuntenView.as_view(), name="knelpunten"),
]
