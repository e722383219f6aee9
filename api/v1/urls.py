from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views_lezen import NietGevonden

app_name = "api-v1"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, its initialisation a script of its own and our own template: Redoc and the
    # package's templates need inline code the Content-Security-Policy refuses.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-v1:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    # The read endpoints and the write endpoints, each in its own module.
    path("", include("api.v1.urls_lezen")),
    path("", include("api.v1.urls_schrijven")),
    # Last: any other path is a problem+json 404, not the portal's HTML page.
    re_path(r"^[\s\S]*$", NietGevonden.as_view(), name="niet-gevonden"),
]
