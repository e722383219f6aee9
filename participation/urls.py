from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

urlpatterns = [
    path("meldingen/", cache_public_page(views.MeldingListView.as_view()), name="melding-list"),
    # Step one (by GET, no form token) comes from the page cache; step two and a submission
    # never do (see pagecache.decorators).
    path(
        "meldingen/nieuw/",
        cache_public_page(views.MeldingNieuwView.as_view()),
        name="melding-nieuw",
    ),
    # Before the tracking page, whose code would otherwise take this name.
    path(
        "meldingen/zonder-wijkraad/",
        views.TriageListView.as_view(),
        name="melding-triage-zonder-wijkraad",
    ),
    path(
        "meldingen/<str:code>/",
        cache_public_page(views.MeldingVolgenView.as_view()),
        name="melding-volgen",
    ),
    path(
        "meldingen/<str:code>/steunen/", views.MeldingSteunenView.as_view(), name="melding-steunen"
    ),
    path(
        "meldingen/<str:code>/behandelen/",
        views.MeldingBehandelenView.as_view(),
        name="melding-behandelen",
    ),
    path("meldingen/<str:code>/fotos/<int:pk>/", views.FotoView.as_view(), name="melding-foto"),
    path(
        "werkgebieden/<slug:slug>/meldingen/",
        views.TriageListView.as_view(),
        name="melding-triage",
    ),
]
