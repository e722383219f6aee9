"""URLs of the wijkprogramma's content (initiatives and the owners' toezegging), below
``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from . import views_programma, views_verslag

urlpatterns = [
    path(
        "wijkprogramma/initiatieven/nieuw/",
        views_programma.InitiatiefCreateView.as_view(),
        name="initiatief-nieuw",
    ),
    path(
        "wijkprogramma/initiatieven/<int:pk>/bewerken/",
        views_programma.InitiatiefUpdateView.as_view(),
        name="initiatief-bewerken",
    ),
    path(
        "wijkprogramma/initiatieven/<int:pk>/verwijderen/",
        views_programma.InitiatiefDeleteView.as_view(),
        name="initiatief-verwijderen",
    ),
    path(
        "wijkprogramma/initiatieven/<int:pk>/toezegging/",
        views_programma.InitiatiefToezeggingView.as_view(),
        name="initiatief-toezegging",
    ),
    path(
        "wijkprogramma/doorgeschoven/<int:pk>/overnemen/",
        views_verslag.OvernemenView.as_view(),
        name="initiatief-overnemen",
    ),
]
