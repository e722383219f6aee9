"""A resident's own place: signing up, "Mijn wijk", notifications, settings, the one-click
unsubscribe, and their data (download, delete)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import memoised_form_fragment, pagina_param

from . import avg, notificaties, services_bewoners
from .forms_bewoners import AanmeldenForm, AccountVerwijderenForm, FrequentieForm, VerhuizenForm
from .mijn_wijk import pagina_params, render_secties
from .models import Notificatie, Rol

PAGE_SIZE = 20


def _client(group, request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "onbekend"


def _user_key(group, request) -> str:
    return str(request.user.pk)


class AanmeldenView(View):
    """Sign up. Whatever the address, the next page says the same."""

    template_name = "people/aanmelden.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(
                "mijn-wijk" if request.user.has_perm("people.view_mijn_wijk") else "home"
            )
        return render(request, self.template_name, {"form": AanmeldenForm()})

    def post(self, request):
        form = AanmeldenForm(request.POST)
        valid = form.is_valid()
        rate = settings.AANMELD_RATE
        if valid and is_ratelimited(
            request, group="aanmelden", key=_client, rate=rate, increment=True
        ):
            form.add_error(
                None,
                _(
                    "Er zijn vanaf dit adres net al veel aanmeldingen gedaan. Probeer het over "
                    "een uur opnieuw."
                ),
            )
            valid = False
        if not valid:
            return render(request, self.template_name, {"form": form})
        data = form.cleaned_data
        services_bewoners.bewoner_aanmelden(
            email=data["email"],
            naam=data["naam"],
            password=data["password1"],
            werkgebied=data["wijk"].werkgebied,
        )
        return redirect("aanmelden-verstuurd")


class AanmeldenVerstuurdView(TemplateView):
    template_name = "people/aanmelden_verstuurd.html"


class AanmeldenBevestigenView(View):
    """The link in the mail shows a button: mail scanners that open every link must not use
    up the one-time link; the click (POST) confirms."""

    template_name = "people/aanmelden_bevestigen.html"

    def _uid(self, uidb64):
        try:
            return int(force_str(urlsafe_base64_decode(uidb64)))
        except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
            return None

    def get(self, request, uidb64, token):
        return render(request, self.template_name, {})

    def post(self, request, uidb64, token):
        uid = self._uid(uidb64)
        try:
            if uid is None or len(token) > 100:
                raise services_bewoners.AanmeldError("")
            services_bewoners.bewoner_bevestigen(uid=uid, token=token)
        except services_bewoners.AanmeldError as exc:
            return render(
                request,
                self.template_name,
                {
                    "fout": exc.message
                    or _(
                        "Deze link werkt niet (meer): hij is al gebruikt, verlopen of "
                        "vervangen door een nieuwere aanmelding."
                    )
                },
                status=400,
            )
        messages.success(
            request, _("Uw e-mailadres is bevestigd en uw account is actief. Log nu in.")
        )
        return redirect(reverse("login") + "?next=" + reverse("mijn-wijk"))


class MijnWijkMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "people.view_mijn_wijk"
    raise_exception = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().handle_no_permission()


class MijnWijkView(MijnWijkMixin, TemplateView):
    """The resident's own page: the sections the apps registered (``people.mijn_wijk``)."""

    template_name = "people/mijn_wijk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        # Kept for this user under the public version (every audited change bumps it) and
        # their unread count (reading marks without an audit entry): a reload costs no query
        # for the sections.
        context["secties"] = memoised_form_fragment(
            request,
            "mijn-wijk",
            lambda csrf: render_secties(request, csrf),
            vary_on=[*pagina_params(request), request.user.ongelezen],
        )
        context["werkgebieden"] = [
            a.werkgebied for a in _bewoner_rollen(self.request.user) if a.werkgebied
        ]
        return context


def _bewoner_rollen(user):
    from .roles import active_assignments

    return [a for a in active_assignments(user) if a.rol == Rol.BEWONER]


class InstellingenView(MijnWijkMixin, View):
    template_name = "people/instellingen.html"

    def _context(self, request, **forms):
        instellingen = services_bewoners.instellingen_van(request.user)
        rollen = _bewoner_rollen(request.user)
        return {
            "frequentie_form": forms.get("frequentie_form")
            or FrequentieForm(initial={"frequentie": instellingen.frequentie}),
            "verhuizen_form": forms.get("verhuizen_form") or VerhuizenForm(),
            "werkgebieden": [a.werkgebied for a in rollen],
            "mag_verwijderen": request.user.has_perm("people.delete_own_account"),
        }

    def get(self, request):
        return render(request, self.template_name, self._context(request))

    def post(self, request):
        if "frequentie" in request.POST or request.POST.get("actie") == "frequentie":
            form = FrequentieForm(request.POST)
            if form.is_valid():
                services_bewoners.frequentie_kiezen(
                    user=request.user, frequentie=form.cleaned_data["frequentie"]
                )
                messages.success(request, _("Uw keuze is opgeslagen."))
                return redirect("mijn-wijk-instellingen")
            return render(request, self.template_name, self._context(request, frequentie_form=form))
        form = VerhuizenForm(request.POST)
        if form.is_valid():
            werkgebied = form.cleaned_data["wijk"].werkgebied
            services_bewoners.bewoner_verhuizen(user=request.user, werkgebied=werkgebied)
            messages.success(
                request,
                _("U hoort nu bij het werkgebied %(werkgebied)s.") % {"werkgebied": werkgebied},
            )
            return redirect("mijn-wijk-instellingen")
        return render(request, self.template_name, self._context(request, verhuizen_form=form))


class NotificatiesView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Every signed-in user's notifications, newest first; "alles gelezen" marks them read."""

    permission_required = "people.view_own_notifications"
    template_name = "people/notificaties.html"

    def get(self, request):
        page = Paginator(
            Notificatie.objects.filter(user=request.user).only(
                "titel", "tekst", "url", "aangemaakt_op", "gelezen_op"
            ),
            PAGE_SIZE,
        ).get_page(pagina_param(request))
        return render(request, self.template_name, {"page": page})

    def post(self, request):
        notificaties.notificaties_gelezen(user=request.user)
        messages.success(request, _("Alle berichten zijn gelezen."))
        return redirect("notificaties")


@method_decorator(csrf_exempt, name="dispatch")
class AfmeldenView(View):
    """The one-click unsubscribe link of every notification mail. The signed token is the key
    (no sign-in); a GET only asks to confirm (mail scanners open links), a POST unsubscribes,
    also the RFC 8058 POST a mail client sends without a form (hence no CSRF token: the
    token in the address is what authorises it, and it only stops mail)."""

    template_name = "people/afmelden.html"

    def get(self, request, token):
        geldig = notificaties.user_per_afmeld_token(token) is not None
        return render(request, self.template_name, {"geldig": geldig, "token": token})

    def post(self, request, token):
        notificaties.afmelden(token=token)
        return render(request, self.template_name, {"afgemeld": True})


class GegevensView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "people.export_own_data"
    template_name = "people/gegevens.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mag_verwijderen"] = self.request.user.has_perm("people.delete_own_account")
        return context


class GegevensDownloadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.export_own_data"

    def get(self, request):
        response = HttpResponse(
            avg.gegevens_json(request.user), content_type="application/json; charset=utf-8"
        )
        naam = f"wijkaanpak-gegevens-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{naam}"'
        response["Cache-Control"] = "no-store"
        return response


class AccountVerwijderenView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.delete_own_account"
    template_name = "people/account_verwijderen.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": AccountVerwijderenForm(user=request.user)}
        )

    def post(self, request):
        form = AccountVerwijderenForm(request.POST, user=request.user)
        if is_ratelimited(
            request, group="account-verwijderen", key=_user_key, rate="5/h", increment=True
        ):
            form.is_valid()
            form.add_error(None, _("Te vaak geprobeerd. Probeer het over een uur opnieuw."))
            return render(request, self.template_name, {"form": form}, status=429)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        avg.account_verwijderen(request=request, user=request.user)
        messages.success(
            request,
            _(
                "Uw account is verwijderd. Uw meldingen blijven bestaan, zonder uw naam of "
                "e-mailadres."
            ),
        )
        return redirect("home")
