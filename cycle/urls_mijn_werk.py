"""Pages under mijn-werk/ (see cycle/urls.py)."""

from django.urls import path

from . import views_uitvoering

urlpatterns = [
    path(
        "mijn-werk/voortgang/",
        views_uitvoering.VoortgangBulkView.as_view(),
        name="voortgang-bulk",
    ),
]
