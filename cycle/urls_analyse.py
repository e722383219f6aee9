"""URLs of the wijkanalyse's content, below ``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from . import views_analyse

urlpatterns = [
    path(
        "wijkanalyse/themas/<slug:thema>/",
        views_analyse.ThemaAnalyseView.as_view(),
        name="thema-analyse",
    ),
    path(
        "wijkanalyse/themas/<slug:thema>/verwijderen/",
        views_analyse.ThemaVerwijderenView.as_view(),
        name="thema-analyse-verwijderen",
    ),
    path(
        "wijkanalyse/themas/<slug:thema>/citaten/<int:pk>/verwijderen/",
        views_analyse.CitaatVerwijderenView.as_view(),
        name="citaat-verwijderen",
    ),
]
