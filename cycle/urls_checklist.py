"""URLs of the checklist pages, below ``werkgebieden/<slug>/<int:jaar>/``."""

from django.urls import path

from pagecache.decorators import cache_user_page

from . import views_checklist as views

urlpatterns = [
    path("checklist/", views.ChecklistInvullenView.as_view(), name="checklist-invullen"),
    path(
        "checklist/antwoorden/",
        cache_user_page(views.ChecklistAntwoordenView.as_view(), params=("groep", "pagina")),
        name="checklist-antwoorden",
    ),
    path(
        "checklist/antwoorden/<int:pk>/citeren/",
        views.ChecklistCiterenView.as_view(),
        name="checklist-citeren",
    ),
    path(
        "checklist/antwoorden/<int:pk>/citaat-verwijderen/",
        views.ChecklistCitaatVerwijderenView.as_view(),
        name="checklist-citaat-verwijderen",
    ),
]
