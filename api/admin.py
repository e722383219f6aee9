from django.contrib import admin

from .models import ApiSleutel


@admin.register(ApiSleutel)
class ApiSleutelAdmin(admin.ModelAdmin):
    list_display = ["naam", "user", "prefix", "aangemaakt", "laatst_gebruikt", "ingetrokken"]
    list_select_related = ["user"]
    search_fields = ["naam", "user__email", "prefix"]
    # A key is made by its user (shown once) and can only be revoked, never read or edited.
    readonly_fields = ["user", "naam", "prefix", "sleutel_hash", "aangemaakt", "laatst_gebruikt"]

    def has_add_permission(self, request):
        return False
