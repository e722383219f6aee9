from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

_VERSIE = "publicaties/<slug:slug>/<int:jaar>/<slug:soort>/v<int:versie>/"

urlpatterns = [
    path(
        "publicaties/<int:jaar>/wijkverslagen/",
        cache_public_page(views.WijkverslagenView.as_view()),
        name="publicatie-wijkverslagen",
    ),
    path(
        "publicaties/<int:jaar>/wijkverslagen.csv",
        views.wijkverslagen_csv,
        name="publicatie-wijkverslagen-csv",
    ),
    path("publicaties/", cache_public_page(views.ArchiefView.as_view()), name="publicatie-archief"),
    # Anonymous visitors get it from the page cache (they see no form on it); a finished or
    # failed PDF bumps the public version. The frozen text is never cached: its own
    # Content-Security-Policy header would not survive the cache.
    path(
        _VERSIE,
        cache_public_page(views.PublicatieDetailView.as_view()),
        name="publicatie-detail",
    ),
    path(f"{_VERSIE}tekst/", views.PublicatieHtmlView.as_view(), name="publicatie-html"),
    path(f"{_VERSIE}pdf/", views.PublicatiePdfView.as_view(), name="publicatie-pdf"),
    path(f"{_VERSIE}opnieuw/", views.PublicatieOpnieuwView.as_view(), name="publicatie-opnieuw"),
]
