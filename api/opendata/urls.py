"""URLs of the open data, below ``/open-data/`` (CORS allows GET, HEAD and OPTIONS there)."""

from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

urlpatterns = [
    path("", cache_public_page(views.OpenDataView.as_view()), name="opendata"),
    path(
        "<slug:dataset>/<int:jaar>.<slug:formaat>",
        views.download,
        name="opendata-download",
    ),
]
