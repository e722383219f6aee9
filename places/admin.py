from django.contrib import admin

from .models import Gebied, Werkgebied, Wijk, WijkprofielScore, Wijkraad


@admin.register(Gebied)
class GebiedAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "slug"]
    search_fields = ["naam", "code"]


class WijkraadInline(admin.StackedInline):
    model = Wijkraad


@admin.register(Werkgebied)
class WerkgebiedAdmin(admin.ModelAdmin):
    list_display = ["naam", "gebied"]
    list_filter = ["gebied"]
    search_fields = ["naam"]
    inlines = [WijkraadInline]


@admin.register(Wijkraad)
class WijkraadAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "werkgebied"]
    list_select_related = ["werkgebied"]
    search_fields = ["naam"]


class WijkprofielInline(admin.TabularInline):
    model = WijkprofielScore
    extra = 0


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):
    list_display = ["naam", "gebied", "werkgebied", "inwoners"]
    list_filter = ["gebied"]
    list_select_related = ["gebied", "werkgebied"]
    search_fields = ["naam", "slug"]
    inlines = [WijkprofielInline]
