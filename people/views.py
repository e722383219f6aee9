"""Sign-in and the public roles page of a werkgebied."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from places.models import Werkgebied

from .demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from .forms import LoginForm
from .models import Rol, Roltoewijzing
from .permissions import capabilities


class LoginView(auth_views.LoginView):
    template_name = "people/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.SHOW_DEMO_ACCOUNTS:
            context["demo_accounts"] = (
                Roltoewijzing.objects.filter(user__email__endswith=DEMO_EMAIL_DOMAIN)
                .select_related("user", "werkgebied", "gebied", "cluster")
                .order_by("user__email")
            )
            context["demo_password"] = DEMO_PASSWORD
        return context


class RollenView(TemplateView):
    """Who holds which role in a werkgebied and what each role may decide, derived from the
    permissions the portal enforces (seed 004: task, authority and role made visible)."""

    template_name = "people/rollen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        werkgebied = get_object_or_404(
            Werkgebied.objects.select_related("gebied", "wijkraad"), slug=kwargs["slug"]
        )
        holders = (
            Roltoewijzing.objects.active()
            .filter(
                Q(werkgebied=werkgebied)
                | Q(gebied=werkgebied.gebied_id)
                | Q(rol__in=[Rol.RAAD], werkgebied__isnull=True, gebied__isnull=True)
            )
            .exclude(rol__in=[Rol.BEWONER, Rol.BEHEERDER])
            .select_related("user", "cluster")
            .order_by("user__naam")
        )
        by_role: dict[str, list] = {}
        for assignment in holders:
            by_role.setdefault(assignment.rol, []).append(assignment)
        context.update(
            werkgebied=werkgebied,
            rollen=[
                {"code": code, "label": label, "mag": allowed, "houders": by_role.get(code, [])}
                for code, label, allowed in capabilities(werkgebied)
            ],
        )
        return context
