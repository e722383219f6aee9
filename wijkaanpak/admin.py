"""The admin site, opened to holders of the beheerder role as well as to superusers.

What a beheerder may change there is decided by ``rules`` (see ``people/rules.py``), like
every other permission in the portal. There is one sign-in page for the whole portal: the
admin's own login form (which admits staff accounts only) is not used."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Beheer wijkaanpak")
    site_title = _("Beheer wijkaanpak")
    index_title = _("Referentiegegevens en rollen")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or user.has_perm("people.access_admin"))

    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(index)
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or index)
