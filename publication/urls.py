from django.urls import path

from pagecache.decorators import cache_public_page

from . import feeds, views

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
    # A feed is made of absolute URLs on the request's host: the page cache keeps a copy per
    # scheme and host. A slug has no dot, so neither route can take the other's path, nor a
    # year's or a version's.
    path(
        "publicaties/atom.xml",
        cache_public_page(feeds.publicatie_feed, per_host=True),
        name="publicatie-feed",
    ),
    path(
        "publicaties/<slug:slug>/atom.xml",
        cache_public_page(feeds.werkgebied_publicatie_feed, per_host=True),
        name="publicatie-feed-werkgebied",
    ),
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
