"""URLs of the participation plan and the wijkraad's advice."""

from django.urls import path

from pagecache.decorators import cache_public_page

from . import views_plan

urlpatterns = [
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/participatie/plan/",
        cache_public_page(views_plan.ParticipatieplanView.as_view()),
        name="participatieplan",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/participatie/plan/vaststellen/",
        views_plan.PlanVaststellenView.as_view(),
        name="participatieplan-vaststellen",
    ),
    path(
        "werkgebieden/<slug:slug>/<int:jaar>/participatie/plan/<str:fase>/",
        views_plan.PlanfaseUpdateView.as_view(),
        name="participatieplan-fase",
    ),
    path(
        "werkgebieden/<slug:slug>/adviezen/",
        cache_public_page(views_plan.AdviesListView.as_view()),
        name="advies-list",
    ),
    path(
        "werkgebieden/<slug:slug>/adviezen/nieuw/",
        views_plan.AdviesNieuwView.as_view(),
        name="advies-nieuw",
    ),
    path(
        "werkgebieden/<slug:slug>/adviezen/<int:pk>/",
        cache_public_page(views_plan.AdviesDetailView.as_view()),
        name="advies-detail",
    ),
    path(
        "werkgebieden/<slug:slug>/adviezen/<int:pk>/geven/",
        views_plan.AdviesGevenView.as_view(),
        name="advies-geven",
    ),
    path(
        "werkgebieden/<slug:slug>/adviezen/<int:pk>/beantwoorden/",
        views_plan.AdviesBeantwoordenView.as_view(),
        name="advies-beantwoorden",
    ),
]
