from django.urls import path

from . import views

urlpatterns = [
    path("", views.rijen, name="rijen"),
    path("invoegen/", views.invoegen, name="invoegen"),
]
