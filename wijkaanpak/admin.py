"""The admin site, opened to holders of the beheerder role as well as to superusers.

What a beheerder may change there is decided by ``rules`` (see ``people/rules.py``), like
every other permission in the portal. There is one sign-in page for the whole portal: the
admin's own login form (which admits staff accounts only) is not used."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Date-part lookups and the values Python's dates accept. Django's admin turns most bad filter
# values into its "invalid lookup" notice, but a year outside 1–9999 (``?geldig_tot__year=
# 99999``) reaches ``datetime.date`` and would answer with a 500.
DATE_PART_RANGES = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
}


def _absurd_date_parts(params) -> bool:
    for key, values in params.lists():
        parts = [p for p in key.split("__") if p in DATE_PART_RANGES]
        if not parts:
            continue
        low, high = DATE_PART_RANGES[parts[-1]]
        for value in values:
            for item in value.split(","):
                try:
                    number = int(item)
                except ValueError:
                    return True
                if not low <= number <= high:
                    return True
    return False


class PortalAdminSite(admin.AdminSite):
    site_header = _("Beheer wijkaanpak")
    site_title = _("Beheer wijkaanpak")
    index_title = _("Referentiegegevens en rollen")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.method == "GET" and _absurd_date_parts(request.GET):
                # The admin's own way of saying a filter is invalid.
                return redirect(f"{request.path}?{ERROR_FLAG}=1")
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

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
