"""Open311 GeoReport v2 at ``/open311/v2/``: every resource ends in its format (``.xml`` or
``.json``); another extension gets an Open311 404 in XML."""

from django.urls import re_path

from . import views

app_name = "open311"

_FORMAAT = r"\.(?P<formaat>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^discovery" + _FORMAAT, views.discovery, name="discovery"),
    re_path(r"^services" + _FORMAAT, views.service_list, name="services"),
    re_path(
        r"^services/(?P<code>[^/]{1,200}?)" + _FORMAAT, views.service_definition, name="service"
    ),
    re_path(r"^requests" + _FORMAAT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<code>[^/]{1,100}?)" + _FORMAAT, views.service_request, name="request"),
]
