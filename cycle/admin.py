"""The task division per werkgebied, set by a beheerder (audited through the service)."""

from django.contrib import admin

from . import services
from .models import ChecklistVraag, Taakverdeling, Wijkthema


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


@admin.register(Wijkthema)
class WijkthemaAdmin(admin.ModelAdmin):
    """The themes of analyses and agendas. A theme in use cannot be deleted (the database
    protects it): make it inactive instead."""

    list_display = ["naam", "volgorde", "actief"]
    list_editable = ["volgorde", "actief"]
    prepopulated_fields = {"slug": ["naam"]}
    search_fields = ["naam"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChecklistVraag)
class ChecklistVraagAdmin(admin.ModelAdmin):
    """The questions of the checklist "Wat is er aan de hand in de wijk?"."""

    list_display = ["nummer", "tekst", "groep", "actief"]
    list_filter = ["groep", "actief"]
    search_fields = ["tekst"]

    def has_delete_permission(self, request, obj=None):
        # Answers refer to the question: retire it by making it inactive.
        return False
