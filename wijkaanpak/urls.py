from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from . import health, views


def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; resolved per request so that the
    # manifest storage is only consulted once static files have been collected.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("gezondheid/", health.gezondheid, name="gezondheid"),
    path("taal/<str:code>/", views.taal, name="taal"),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("people.urls")),
    path("", include("places.urls")),
    path("", include("cycle.urls")),
    path("", include("participation.urls")),
    path("", include("budgets.urls_bi")),
    path("", include("publication.urls")),
    path("", include("budgets.urls")),
    path("", include("api.urls")),
]
