"""URLs of the wijk-MT's meetings, besluitenlijst and wijkraad delegation, below
``werkgebieden/<slug>/wijk-mt/``."""

from django.urls import path

from pagecache.decorators import cache_user_page

from . import views_wijkmt_overleg as views

urlpatterns = [
    path("delegatie/", views.DelegatieView.as_view(), name="wijkmt-delegatie"),
    path("overleggen/", cache_user_page(views.OverleggenView.as_view()), name="wijkmt-overleggen"),
    path("overleggen/nieuw/", views.OverlegFormView.as_view(), name="wijkmt-overleg-nieuw"),
    path(
        "overleggen/<int:pk>/",
        cache_user_page(views.OverlegDetailView.as_view()),
        name="wijkmt-overleg",
    ),
    path(
        "overleggen/<int:pk>/bewerken/",
        views.OverlegFormView.as_view(),
        name="wijkmt-overleg-bewerken",
    ),
    path(
        "overleggen/<int:pk>/besluiten/nieuw/",
        views.BesluitFormView.as_view(),
        name="wijkmt-besluit-nieuw",
    ),
    path(
        "overleggen/<int:pk>/besluiten/<int:besluit>/bewerken/",
        views.BesluitFormView.as_view(),
        name="wijkmt-besluit-bewerken",
    ),
    path(
        "overleggen/<int:pk>/besluiten/<int:besluit>/verwijderen/",
        views.BesluitVerwijderenView.as_view(),
        name="wijkmt-besluit-verwijderen",
    ),
]
