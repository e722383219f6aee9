from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Cluster, Partner, Roltoewijzing, User


class RoltoewijzingInline(admin.TabularInline):
    model = Roltoewijzing
    extra = 0
    autocomplete_fields = ["werkgebied", "gebied", "cluster"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "naam", "is_active", "is_staff"]
    search_fields = ["email", "naam"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("naam",)}),
        (
            _("Rechten"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "naam", "password1", "password2")}),
    )
    inlines = [RoltoewijzingInline]


@admin.register(Roltoewijzing)
class RoltoewijzingAdmin(admin.ModelAdmin):
    list_display = ["user", "rol", "werkgebied", "gebied", "cluster", "geldig_vanaf", "geldig_tot"]
    list_filter = ["rol", "cluster", "gebied"]
    list_select_related = ["user", "werkgebied", "gebied", "cluster"]
    search_fields = ["user__email", "user__naam", "werkgebied__naam"]
    autocomplete_fields = ["user", "werkgebied", "gebied", "cluster"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["naam", "slug"]
    search_fields = ["naam"]
    prepopulated_fields = {"slug": ["naam"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort"]
    list_filter = ["soort"]
    search_fields = ["naam"]
    prepopulated_fields = {"slug": ["naam"]}
