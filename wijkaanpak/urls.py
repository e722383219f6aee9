from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("people.urls")),
    path("", include("places.urls")),
    path("", include("cycle.urls")),
]
