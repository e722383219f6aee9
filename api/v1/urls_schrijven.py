"""The write endpoints of /api/v1/ (an API key per user; If-Match with the version)."""

from django.urls import path

from . import views_schrijven

urlpatterns = [
    path(
        "acties/<int:pk>/voortgang/",
        views_schrijven.VoortgangMeldenView.as_view(),
        name="actie-voortgang-melden",
    ),
    path(
        "acties/<int:pk>/toezegging/",
        views_schrijven.ToezeggenView.as_view(),
        name="actie-toezeggen",
    ),
    path(
        "acties/<int:pk>/afwijzing/",
        views_schrijven.AfwijzenView.as_view(),
        name="actie-afwijzen",
    ),
    path(
        "acties/<int:pk>/knelpunten/",
        views_schrijven.KnelpuntMeldenView.as_view(),
        name="actie-knelpunt-melden",
    ),
]
