from django.urls import path

from . import views

app_name = "budgets"

_basis = "werkgebieden/<slug:slug>/budget/<int:jaar>/"

urlpatterns = [
    path(_basis, views.PubliekView.as_view(), name="publiek"),
    path(_basis + "instellen/", views.InstellenView.as_view(), name="instellen"),
    path(_basis + "knelpunten/", views.KnelpuntenView.as_view(), name="knelpunten"),
    path(
        _basis + "knelpunten/<int:pk>/betalen/",
        views.KnelpuntBoekenView.as_view(actie="betalen"),
        name="knelpunt-betalen",
    ),
    path(
        _basis + "knelpunten/<int:pk>/vrijgeven/",
        views.KnelpuntBoekenView.as_view(actie="vrijgeven"),
        name="knelpunt-vrijgeven",
    ),
    path(_basis + "grootboek/", views.GrootboekView.as_view(), name="grootboek"),
    path(_basis + "grootboek.csv", views.ExportView.as_view(), name="export"),
    path(
        _basis + "grootboek/<int:pk>/corrigeren/",
        views.CorrigerenView.as_view(),
        name="corrigeren",
    ),
]
