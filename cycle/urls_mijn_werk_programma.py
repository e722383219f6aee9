"""Pages under mijn-werk/ (see cycle/urls.py): the initiatives waiting for the toezegging of
an accounthouder's cluster(s)."""

from django.urls import path

from . import views_programma

urlpatterns = [
    path(
        "mijn-werk/toezeggingen/",
        views_programma.ToezeggingenView.as_view(),
        name="toezeggingen",
    ),
]
