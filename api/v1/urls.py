from django.urls import include, path, re_path

from pagecache.decorators import cache_public_page

from .docs import DocumentatieView, SchemaView
from .views_lezen import NietGevonden

app_name = "api-v1"

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # The documentation for people: a page of the portal made from that document.
    path("docs/", cache_public_page(DocumentatieView.as_view()), name="docs"),
    # The read endpoints and the write endpoints, each in its own module.
    path("", include("api.v1.urls_lezen")),
    path("", include("api.v1.urls_schrijven")),
    # Last: any other path is a problem+json 404, not the portal's HTML page.
    re_path(r"^[\s\S]*$", NietGevonden.as_view(), name="niet-gevonden"),
]
