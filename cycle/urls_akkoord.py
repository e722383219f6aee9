"""The wijkakkoord of a werkgebied (included under ``werkgebieden/<slug>/wijkakkoord/``)."""

from django.urls import path

from pagecache.decorators import cache_public_page, cache_user_page

from . import views_akkoord as v

urlpatterns = [
    path("nieuw/", v.WijkakkoordCreateView.as_view(), name="wijkakkoord-create"),
    path(
        "<int:startjaar>/",
        cache_public_page(cache_user_page(v.WijkakkoordDetailView.as_view())),
        name="wijkakkoord-detail",
    ),
    path("<int:startjaar>/bewerken/", v.WijkakkoordUpdateView.as_view(), name="wijkakkoord-update"),
    path("<int:startjaar>/advies/", v.AdviesView.as_view(), name="wijkakkoord-advies"),
    path(
        "<int:startjaar>/vaststellen/", v.VaststellenView.as_view(), name="wijkakkoord-vaststellen"
    ),
    path("<int:startjaar>/stap/", v.StapView.as_view(), name="wijkakkoord-stap"),
    path("<int:startjaar>/opgaven/nieuw/", v.OpgaveCreateView.as_view(), name="wijkopgave-create"),
    path(
        "<int:startjaar>/opgaven/<int:pk>/bewerken/",
        v.OpgaveUpdateView.as_view(),
        name="wijkopgave-update",
    ),
    path(
        "<int:startjaar>/opgaven/<int:pk>/verwijderen/",
        v.OpgaveDeleteView.as_view(),
        name="wijkopgave-delete",
    ),
    path(
        "<int:startjaar>/opgaven/<int:opgave>/doelen/nieuw/",
        v.DoelCreateView.as_view(),
        name="doel-create",
    ),
    path(
        "<int:startjaar>/doelen/<int:pk>/bewerken/", v.DoelUpdateView.as_view(), name="doel-update"
    ),
    path(
        "<int:startjaar>/doelen/<int:pk>/verwijderen/",
        v.DoelDeleteView.as_view(),
        name="doel-delete",
    ),
    path(
        "<int:startjaar>/doelen/<int:doel>/resultaten/nieuw/",
        v.ResultaatCreateView.as_view(),
        name="resultaat-create",
    ),
    path(
        "<int:startjaar>/resultaten/<int:pk>/bewerken/",
        v.ResultaatUpdateView.as_view(),
        name="resultaat-update",
    ),
    path(
        "<int:startjaar>/resultaten/<int:pk>/verwijderen/",
        v.ResultaatDeleteView.as_view(),
        name="resultaat-delete",
    ),
]
