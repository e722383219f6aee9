"""The task division per werkgebied, set by a beheerder (audited through the service)."""

from django.contrib import admin

from . import services
from .models import Taakverdeling


@admin.register(Taakverdeling)
class TaakverdelingAdmin(admin.ModelAdmin):
    list_display = ["werkgebied", "wijkverslag_opsteller", "vaststelling"]
    list_filter = ["wijkverslag_opsteller", "vaststelling"]
    list_select_related = ["werkgebied"]
    search_fields = ["werkgebied__naam"]
    autocomplete_fields = ["werkgebied"]

    def save_model(self, request, obj, form, change):
        services.taakverdeling_save(actor=request.user, taakverdeling=obj)

    def has_delete_permission(self, request, obj=None):
        # Removing the row would silently restore the defaults: change it instead.
        return False
