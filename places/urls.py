from django.urls import path

from pagecache.decorators import cache_public_page

from . import views

urlpatterns = [
    path("wijken/", cache_public_page(views.WijkListView.as_view()), name="wijk-list"),
    path(
        "werkgebieden/",
        cache_public_page(views.WerkgebiedListView.as_view()),
        name="werkgebied-list",
    ),
    # Not under /beheer/: that is the admin's, whose catch-all would answer first.
    path(
        "wijkprofiel/inlezen/",
        views.WijkprofielImportView.as_view(),
        name="wijkprofiel-import",
    ),
]
