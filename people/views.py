"""Sign-in, password links, and the public roles page of a werkgebied."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from places.models import Werkgebied

from . import services
from .demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from .forms import LoginForm, WachtwoordVergetenForm
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


def lockout(request, response=None, credentials=None):
    """What django-axes answers while sign-in is locked for an account or an address: the
    login page with a clear message, status 429, nothing about whether the account exists."""
    melding = _(
        "Er is te vaak een verkeerd wachtwoord ingevuld. Inloggen is daarom tijdelijk "
        "geblokkeerd; probeer het over %(minuten)d minuten opnieuw, of vraag een link aan "
        "om een nieuw wachtwoord in te stellen."
    ) % {"minuten": settings.AXES_COOLOFF_MINUTES}
    initial = {"username": request.POST.get("username", "")[:254]}
    return render(
        request,
        "people/login.html",
        {
            "form": LoginForm(request, initial=initial),
            "next": request.POST.get("next", ""),
            "geblokkeerd": melding,
        },
        status=429,
    )


class WachtwoordVergetenView(auth_views.PasswordResetView):
    template_name = "people/wachtwoord_vergeten.html"
    form_class = WachtwoordVergetenForm
    success_url = reverse_lazy("password_reset_done")


class WachtwoordVerstuurdView(auth_views.PasswordResetDoneView):
    template_name = "people/wachtwoord_verstuurd.html"


class WachtwoordInstellenView(auth_views.PasswordResetConfirmView):
    template_name = "people/wachtwoord_instellen.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, via="link")
        return response


class WachtwoordIngesteldView(auth_views.PasswordResetCompleteView):
    template_name = "people/wachtwoord_ingesteld.html"


class WachtwoordWijzigenView(auth_views.PasswordChangeView):
    template_name = "people/wachtwoord_wijzigen.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, via="wijzigen")
        return response


class WachtwoordGewijzigdView(auth_views.PasswordChangeDoneView):
    template_name = "people/wachtwoord_gewijzigd.html"


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
