from django.urls import path

from . import views

urlpatterns = [
    path("wijken/", views.WijkListView.as_view(), name="wijk-list"),
    path("werkgebieden/", views.WerkgebiedListView.as_view(), name="werkgebied-list"),
]
