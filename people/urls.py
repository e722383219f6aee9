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
