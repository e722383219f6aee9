from django.urls import path

from pagecache.decorators import cache_public_page

from . import views, views_bewoners, views_volgen

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
    # Following an initiative (its page is the cycle app's; this is the form it links to).
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/wijkprogramma/initiatieven/<int:pk>/volgen/",
        views_volgen.InitiatiefVolgenView.as_view(),
        name="initiatief-volgen",
    ),
    path(
        "volgen/bevestigen/<str:token>/",
        views_volgen.VolgenBevestigenView.as_view(),
        name="volgen-bevestigen",
    ),
    path(
        "volgen/afmelden/<str:token>/",
        views_volgen.VolgenAfmeldenView.as_view(),
        name="volgen-afmelden",
    ),
    path(
        "werkgebieden/<slug:slug>/meldingen/",
        views.TriageListView.as_view(),
        name="melding-triage",
    ),
    path("mijn-wijk/volgen/", views_bewoners.GebiedVolgenView.as_view(), name="gebied-volgen"),
    path(
        "mijn-wijk/volgen/<int:pk>/stoppen/",
        views_bewoners.GebiedOntvolgenView.as_view(),
        name="gebied-ontvolgen",
    ),
]
