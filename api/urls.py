from django.urls import include, path

from . import views

urlpatterns = [
    path("api/v1/", include("api.v1.urls")),
    path("open-data/", include("api.opendata.urls")),
    path("api-sleutels/", views.SleutelsView.as_view(), name="api-sleutels"),
    path(
        "api-sleutels/<int:pk>/intrekken/",
        views.SleutelIntrekkenView.as_view(),
        name="api-sleutel-intrekken",
    ),
    path("open311/v2/", include("api.open311.urls")),
]
