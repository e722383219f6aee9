from django.urls import include, path

from pagecache.decorators import cache_public_page, cache_user_page

from . import views, views_verslag, views_wijkmt

urlpatterns = [
    path("", cache_public_page(views.HomeView.as_view()), name="home"),
    path("mijn-werk/", views.MijnWerkView.as_view(), name="mijn-werk"),
    path("", include("cycle.urls_mijn_werk")),
    path("", include("cycle.urls_mijn_werk_programma")),
    path(
        "lopende-cycli/", cache_public_page(views.LopendeCycliView.as_view()), name="lopende-cycli"
    ),
    path(
        "lopende-cycli/<slug:fase>/",
        cache_public_page(views.LopendeCycliView.as_view()),
        name="lopende-cycli-fase",
    ),
    path(
        "twaalfmaandenrapport/<int:jaar>/",
        views_verslag.StadsoverzichtView.as_view(),
        name="stadsoverzicht",
    ),
    path(
        "ter-consultatie/",
        cache_public_page(views.TerConsultatieView.as_view()),
        name="ter-consultatie",
    ),
    path(
        "wijken/<slug:slug>/", cache_public_page(views.WijkDetailView.as_view()), name="wijk-detail"
    ),
    path(
        "werkgebieden/<slug:slug>/",
        cache_public_page(views.WerkgebiedDetailView.as_view()),
        name="werkgebied-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/wijk-mt/",
        cache_user_page(views_wijkmt.WijkMTView.as_view(), params=("cluster", "pagina")),
        name="wijk-mt",
    ),
    path("werkgebieden/<slug:slug>/wijk-mt/", include("cycle.urls_wijkmt")),
    path("werkgebieden/<slug:slug>/wijkakkoord/", include("cycle.urls_akkoord")),
    path(
        "werkgebieden/<slug:slug>/nieuwe-cyclus/",
        views.WerkcyclusCreateView.as_view(),
        name="werkcyclus-create",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/",
        cache_public_page(views.WerkcyclusDetailView.as_view()),
        name="werkcyclus-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/planning/",
        views.PlanningUpdateView.as_view(),
        name="werkcyclus-planning",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/stap/",
        views.WerkcyclusTransitionView.as_view(),
        name="werkcyclus-transition",
    ),
    # The content of the products (before the product page, whose ``soort`` would match).
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_analyse")),
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_checklist")),
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_agenda")),
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_programma")),
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_uitvoering")),
    path("werkgebieden/<slug:slug>/<int:jaar>/", include("cycle.urls_verslag")),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/",
        cache_public_page(cache_user_page(views.ProductDetailView.as_view())),
        name="product-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/bewerken/",
        views.ProductUpdateView.as_view(),
        name="product-update",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/opmerkingen/",
        views.ProductOpmerkingView.as_view(),
        name="product-opmerking",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/<slug:soort>/stap/",
        views.ProductTransitionView.as_view(),
        name="product-transition",
    ),
]
