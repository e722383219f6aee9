from django.contrib import admin

from .models import Publicatie


@admin.register(Publicatie)
class PublicatieAdmin(admin.ModelAdmin):
    """Read-only: a publication is made by publishing its product and never edited."""

    list_display = [
        "titel",
        "versie",
        "werkgebied",
        "jaar",
        "soort",
        "pdf_status",
        "gepubliceerd_op",
    ]
    list_filter = ["soort", "pdf_status", "jaar"]
    search_fields = ["titel", "werkgebied__naam"]
    list_select_related = ["werkgebied"]
    exclude = ["html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
