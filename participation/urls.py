from django.urls import include, path

from pagecache.decorators import cache_public_page, cache_user_page

from . import (
    views,
    views_bewoners,
    views_bijeenkomsten,
    views_consultatie,
    views_steun,
    views_volgen,
)

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
        cache_user_page(views.MeldingBehandelenView.as_view()),
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
    # Consultations on a product (its page is the cycle app's).
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/consultatie/",
        # The same page and form for every anonymous visitor: kept, with each visitor's own
        # CSRF token put in (a POST, with its errors, is never kept).
        cache_public_page(views_consultatie.ConsultatieView.as_view(), formulier=True),
        name="consultatie",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/consultatie/bewerken/",
        views_consultatie.ConsultatieBewerkenView.as_view(),
        name="consultatie-bewerken",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/consultatie/reacties/",
        cache_user_page(
            views_consultatie.ReactiesBeheerView.as_view(), params=("pagina", "onbeantwoord")
        ),
        name="reacties-beheer",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/consultatie/reacties/<int:pk>/",
        views_consultatie.ReactieBehandelenView.as_view(),
        name="reactie-behandelen",
    ),
    path(
        "reactie/bevestigen/<str:token>/",
        views_consultatie.ReactieBevestigenView.as_view(),
        name="reactie-bevestigen",
    ),
    path(
        "werkgebieden/<slug:slug>/meldingen/",
        views.TriageListView.as_view(),
        name="melding-triage",
    ),
    # The participation plan and the wijkraad's advice.
    path("", include("participation.urls_plan")),
    # Bijeenkomsten: the calendars and feeds are public (kept in the page cache; every change
    # is audited and so bumps the public version); the feeds hold absolute URLs.
    path(
        "bijeenkomsten/",
        cache_public_page(views_bijeenkomsten.StadKalenderView.as_view()),
        name="bijeenkomst-stad",
    ),
    path(
        "bijeenkomsten.ics",
        cache_public_page(views_bijeenkomsten.FeedView.as_view(), per_host=True),
        name="bijeenkomst-feed-stad",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/",
        cache_public_page(views_bijeenkomsten.WerkgebiedKalenderView.as_view()),
        name="bijeenkomst-kalender",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten.ics",
        cache_public_page(views_bijeenkomsten.FeedView.as_view(), per_host=True),
        name="bijeenkomst-feed",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/nieuw/",
        views_bijeenkomsten.BijeenkomstFormView.as_view(),
        name="bijeenkomst-nieuw",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/<int:pk>/",
        cache_public_page(views_bijeenkomsten.BijeenkomstDetailView.as_view()),
        name="bijeenkomst-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/<int:pk>/wijzigen/",
        views_bijeenkomsten.BijeenkomstFormView.as_view(),
        name="bijeenkomst-wijzigen",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/<int:pk>/bevindingen/",
        views_bijeenkomsten.BevindingenView.as_view(),
        name="bijeenkomst-bevindingen",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/<int:pk>/bevindingen/meldingen/",
        views_bijeenkomsten.MeldingenMakenView.as_view(),
        name="bijeenkomst-meldingen-maken",
    ),
    path(
        "werkgebieden/<slug:slug>/bijeenkomsten/<int:pk>/bevindingen/<int:bevinding>/foto/",
        views_bijeenkomsten.BevindingFotoView.as_view(),
        name="bevinding-foto",
    ),
    path("mijn-wijk/volgen/", views_bewoners.GebiedVolgenView.as_view(), name="gebied-volgen"),
    path(
        "mijn-wijk/volgen/<int:pk>/stoppen/",
        views_bewoners.GebiedOntvolgenView.as_view(),
        name="gebied-ontvolgen",
    ),
    path(
        "steun/<slug:soort>/<int:pk>/",
        views_steun.SteunView.as_view(),
        name="steun",
    ),
]
