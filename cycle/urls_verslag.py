"""URLs of the twelve-month report, below ``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from pagecache.decorators import cache_public_page

from . import views_verslag

urlpatterns = [
    path(
        "twaalfmaandenrapport/",
        cache_public_page(views_verslag.TwaalfmaandenView.as_view()),
        name="twaalfmaanden",
    ),
    path(
        "twaalfmaandenrapport/<int:pk>/afloop/",
        views_verslag.AfloopView.as_view(),
        name="initiatief-afloop",
    ),
    path(
        "twaalfmaandenrapport/<int:pk>/doorschuiven/",
        views_verslag.DoorschuivenView.as_view(),
        name="initiatief-doorschuiven",
    ),
    path(
        "twaalfmaandenrapport/<int:pk>/oordeel/",
        views_verslag.OordeelView.as_view(),
        name="initiatief-oordeel",
    ),
]
