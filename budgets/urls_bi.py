from django.urls import path

from pagecache.decorators import cache_public_page, cache_user_page

from . import views_bi as v

urlpatterns = [
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/",
        cache_public_page(v.BIPubliekView.as_view()),
        name="bi-publiek",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/behandelen/",
        cache_user_page(v.BILijstView.as_view(), params=("pagina", "status")),
        name="bi-lijst",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/aanvragen/",
        v.BIAanvragenView.as_view(),
        name="bi-aanvragen",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/<int:pk>/",
        v.BIDetailView.as_view(),
        name="bi-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/<int:pk>/wijzigen/",
        v.BIWijzigenView.as_view(),
        name="bi-wijzigen",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/<int:pk>/stap/<str:stap>/",
        v.BIStapView.as_view(),
        name="bi-stap",
    ),
    path(
        "werkgebieden/<slug:slug>/bewonersinitiatieven/<int:pk>/bonnen/<int:bon>/",
        v.BonView.as_view(),
        name="bi-bon",
    ),
    path(
        "bewonersinitiatieven/ondertekenen/<str:token>/",
        v.BIOndertekenenView.as_view(),
        name="bi-ondertekenen",
    ),
]
