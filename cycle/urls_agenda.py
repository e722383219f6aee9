"""URLs of the wijkagenda's content, below ``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from . import views_agenda

urlpatterns = [
    path(
        "wijkagenda/punten/nieuw/",
        views_agenda.AgendapuntCreateView.as_view(),
        name="agendapunt-nieuw",
    ),
    path(
        "wijkagenda/punten/<int:pk>/bewerken/",
        views_agenda.AgendapuntUpdateView.as_view(),
        name="agendapunt-bewerken",
    ),
    path(
        "wijkagenda/punten/<int:pk>/verwijderen/",
        views_agenda.AgendapuntDeleteView.as_view(),
        name="agendapunt-verwijderen",
    ),
    path(
        "wijkagenda/punten/<int:pk>/verplaatsen/",
        views_agenda.AgendapuntMoveView.as_view(),
        name="agendapunt-verplaatsen",
    ),
    path(
        "wijkagenda/signalen/nieuw/",
        views_agenda.BeleidssignaalCreateView.as_view(),
        name="beleidssignaal-nieuw",
    ),
    path(
        "wijkagenda/signalen/<int:pk>/bewerken/",
        views_agenda.BeleidssignaalUpdateView.as_view(),
        name="beleidssignaal-bewerken",
    ),
    path(
        "wijkagenda/signalen/<int:pk>/verwijderen/",
        views_agenda.BeleidssignaalDeleteView.as_view(),
        name="beleidssignaal-verwijderen",
    ),
    path(
        "beleidssignalen/<int:pk>/beantwoorden/",
        views_agenda.BeleidssignaalAntwoordView.as_view(),
        name="beleidssignaal-beantwoorden",
    ),
    path(
        "beleidssignalen/<int:pk>/in-behandeling/",
        views_agenda.BeleidssignaalInBehandelingView.as_view(),
        name="beleidssignaal-in-behandeling",
    ),
]
