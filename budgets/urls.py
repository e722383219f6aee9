from django.urls import path

from pagecache.decorators import cache_public_page, cache_user_page

from . import views

app_name = "budgets"

_basis = "werkgebieden/<slug:slug>/budget/<int:jaar>/"

urlpatterns = [
    path(_basis, cache_public_page(views.PubliekView.as_view()), name="publiek"),
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
    # The wijk-MT's ledger and its export, kept whole per user under the public version (every
    # booking is audited and so bumps it).
    path(_basis + "grootboek/", cache_user_page(views.GrootboekView.as_view()), name="grootboek"),
    path(
        _basis + "grootboek.csv",
        cache_user_page(views.ExportView.as_view(), params=()),
        name="export",
    ),
    path(
        _basis + "grootboek/<int:pk>/corrigeren/",
        views.CorrigerenView.as_view(),
        name="corrigeren",
    ),
]
