from django.contrib import admin

from .models_bi import Regeling, Ronde


@admin.register(Regeling)
class RegelingAdmin(admin.ModelAdmin):
    """A beheerder sets the rules of bewonersinitiatieven per werkgebied (defaults: Rotterdam)."""

    list_display = ["werkgebied", "maximum", "verdeling", "beslisser"]
    list_select_related = ["werkgebied"]
    list_filter = ["verdeling", "beslisser"]
    search_fields = ["werkgebied__naam"]
    autocomplete_fields = ["werkgebied"]


@admin.register(Ronde)
class RondeAdmin(admin.ModelAdmin):
    list_display = ["naam", "werkgebied", "open_vanaf", "sluit_op"]
    list_select_related = ["werkgebied"]
    search_fields = ["naam", "werkgebied__naam"]
    autocomplete_fields = ["werkgebied"]
