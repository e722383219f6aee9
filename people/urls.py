from django.contrib.auth import views as auth_views
from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.WachtwoordVergetenView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.WachtwoordVerstuurdView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.WachtwoordInstellenView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        views.WachtwoordIngesteldView.as_view(),
        name="password_reset_complete",
    ),
    path("wachtwoord-wijzigen/", views.WachtwoordWijzigenView.as_view(), name="password_change"),
    path(
        "wachtwoord-wijzigen/klaar/",
        views.WachtwoordGewijzigdView.as_view(),
        name="password_change_done",
    ),
    path(
        "werkgebieden/<slug:slug>/rollen/",
        cache_public_page(views.RollenView.as_view()),
        name="werkgebied-rollen",
    ),
]

from . import views_bewoners as vb  # noqa: E402

urlpatterns += [
    path("aanmelden/", vb.AanmeldenView.as_view(), name="aanmelden"),
    path("aanmelden/verstuurd/", vb.AanmeldenVerstuurdView.as_view(), name="aanmelden-verstuurd"),
    path(
        "aanmelden/bevestigen/<uidb64>/<token>/",
        vb.AanmeldenBevestigenView.as_view(),
        name="aanmelden-bevestigen",
    ),
    path("mijn-wijk/", vb.MijnWijkView.as_view(), name="mijn-wijk"),
    path("mijn-wijk/instellingen/", vb.InstellingenView.as_view(), name="mijn-wijk-instellingen"),
    path("mijn-wijk/gegevens/", vb.GegevensView.as_view(), name="mijn-gegevens"),
    path(
        "mijn-wijk/gegevens/download/",
        vb.GegevensDownloadView.as_view(),
        name="mijn-gegevens-download",
    ),
    path(
        "mijn-wijk/account-verwijderen/",
        vb.AccountVerwijderenView.as_view(),
        name="account-verwijderen",
    ),
    path("notificaties/", vb.NotificatiesView.as_view(), name="notificaties"),
    path("afmelden/<str:token>/", vb.AfmeldenView.as_view(), name="notificaties-afmelden"),
]
