"""The admin site, opened to holders of the beheerder role as well as to superusers.

What a beheerder may change there is decided by ``rules`` (see ``people/rules.py``), like
every other permission in the portal."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Beheer wijkaanpak")
    site_title = _("Beheer wijkaanpak")
    index_title = _("Referentiegegevens en rollen")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or user.has_perm("people.access_admin"))
