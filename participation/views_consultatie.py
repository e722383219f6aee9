"""Pages of consultations: the public page with the reactions and the form, the page behind
the one-time link in the mail, and for the wijkmanager the dates and question, the
moderation list and the answer to each reaction. Thin: reads from
``selectors_consultatie``, writes through ``services_consultatie``, permissions from
``participation.rules``."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pagecache.services import memoised, memoised_for_user, pagina_param

from . import selectors_consultatie as selectors
from . import selectors_plan
from . import services_consultatie as services
from .forms_consultatie import AntwoordForm, ConsultatieForm, ReactieForm, VerbergenForm
from .views import _field_errors, _limited

PAGE_SIZE = 20
BEHEER_PAGE_SIZE = 25


def _privé(response):
    # The token page belongs to one address: never in any cache, never a referrer elsewhere.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


class ConsultatieMixin:
    """The consultation named in the URL, with its cycle, werkgebied and product: one query,
    kept under the public version for a read-only request (every change to it, its product
    or its reactions is audited and so bumps that version)."""

    def get_consultatie(self):
        if not hasattr(self, "_consultatie"):
            slug, jaar, soort = self.kwargs["slug"], self.kwargs["jaar"], self.kwargs["soort"]
            if len(slug) > 100:
                raise Http404
            self._consultatie = memoised(
                f"participation.consultatie:{slug}:{jaar}:{soort}",
                lambda: selectors.consultatie(slug=slug, jaar=jaar, soort=soort),
            )
            if self._consultatie is None:
                raise Http404
        return self._consultatie

    def check(self, request, perm: str, obj=None):
        """Anonymous: to the login page; signed in without ``perm``: 403."""
        if request.user.has_perm(perm, obj if obj is not None else self.get_consultatie()):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied

    def base_context(self):
        consultatie = self.get_consultatie()
        return {
            "consultatie": consultatie,
            "cyclus": consultatie.cyclus,
            "product": consultatie.product,
        }


class ConsultatieView(ConsultatieMixin, TemplateView):
    """The public page: the question, the kaders, the days left, the reactions placed so far
    (anonymised, paginated) and the form while the consultation is open."""

    template_name = "participation/consultatie.html"

    def dispatch(self, request, *args, **kwargs):
        consultatie = self.get_consultatie()
        if (
            denied := self.check(request, "cycle.view_product_page", consultatie.product)
        ) is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        consultatie = self.get_consultatie()
        onderdelen = memoised(
            f"participation.consultatie-onderdelen:{consultatie.pk}",
            lambda: selectors.onderdelen(consultatie),
        )
        return ReactieForm(data, onderdelen=onderdelen, ingelogd=self.request.user.is_authenticated)

    def reacties_html(self) -> str:
        """The page of reactions, the same for every visitor: kept under the public version
        by consultation, language and page number."""
        consultatie = self.get_consultatie()
        pagina = pagina_param(self.request)

        def render():
            page = Paginator(selectors.reacties_openbaar(consultatie), PAGE_SIZE).get_page(pagina)
            return render_to_string(
                "participation/_reacties.html",
                {"page": page, "consultatie": consultatie, "anker": "reacties"},
            )

        return memoised(
            f"participation.consultatie-reacties:{consultatie.pk}:{get_language()}:{pagina}",
            render,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultatie = self.get_consultatie()
        context.update(self.base_context())
        context.update(
            today=timezone.localdate(),
            dagen_over=consultatie.dagen_over(),
            reacties_html=self.reacties_html(),
            mag_beheren=self.request.user.has_perm(
                "participation.view_consultatie_beheer", consultatie
            ),
            planfase=selectors_plan.planfase_van_product(consultatie.cyclus, consultatie.soort),
        )
        if consultatie.is_open and consultatie.product.status == "consultatie":
            context["form"] = kwargs.get("form") or self._form()
        return context

    def post(self, request, *args, **kwargs):
        consultatie = self.get_consultatie()
        if not (consultatie.is_open and consultatie.product.status == "consultatie"):
            messages.error(request, services.gesloten_bericht(consultatie))
            return redirect(consultatie.get_absolute_url())
        form = self._form(request.POST)
        valid = form.is_valid()
        if valid and _limited(request, "reactie", settings.MELDING_RATE):
            form.add_error(
                None,
                _(
                    "Vanaf dit adres is net al vaak gereageerd. Probeer het over een uur "
                    "opnieuw; uw tekst staat nog hieronder."
                ),
            )
            valid = False
        if valid:
            data = form.cleaned_data
            if data.get("website"):
                # A form robot: the answer anyone without an account gets, and nothing done.
                return self._gelukt(request, geplaatst=False)
            try:
                services.reactie_plaatsen(
                    consultatie=consultatie,
                    tekst=data["tekst"],
                    onderdeel=data.get("onderdeel", ""),
                    user=request.user,
                    email=data.get("email", ""),
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.ConsultatieError as exc:
                messages.error(request, exc.message)
                return redirect(consultatie.get_absolute_url())
            else:
                return self._gelukt(request, geplaatst=request.user.is_authenticated)
        return self.render_to_response(self.get_context_data(form=form), status=200)

    def _gelukt(self, request, *, geplaatst: bool):
        if geplaatst:
            messages.success(request, _("Dank u wel. Uw reactie is geplaatst."))
        else:
            messages.success(
                request,
                _(
                    "Dank u wel. U ontvangt een e-mail met een link om uw reactie te plaatsen. "
                    "Pas daarna is zij zichtbaar."
                ),
            )
        return redirect(self.get_consultatie().get_absolute_url())


class ReactieBevestigenView(TemplateView):
    """The page behind the one-time link: GET asks (mail scanners follow links and must not
    place anything), POST places the reaction."""

    template_name = "participation/reactie_bevestigen.html"

    def get(self, request, token):
        reactie = services.reactie_per_token(token)
        geldig = reactie is not None and reactie.token_geldig_tot >= timezone.now()
        return _privé(
            self.render_to_response(
                {"reactie": reactie if geldig else None}, status=200 if geldig else 404
            )
        )

    def post(self, request, token):
        try:
            reactie = services.reactie_bevestigen(token=token)
        except services.ConsultatieError as exc:
            return _privé(
                self.render_to_response({"fout": exc.message, "reactie": None}, status=404)
            )
        messages.success(request, _("Dank u wel. Uw reactie is geplaatst."))
        return redirect(reactie.consultatie.get_absolute_url() + "#reacties")


class ConsultatieBewerkenView(ConsultatieMixin, TemplateView):
    """The wijkmanager sets the question and the dates."""

    template_name = "participation/consultatie_bewerken.html"

    def dispatch(self, request, *args, **kwargs):
        if (denied := self.check(request, "participation.view_consultatie_beheer")) is not None:
            return denied
        if not request.user.has_perm("participation.change_consultatie", self.get_consultatie()):
            messages.info(
                request,
                _("Deze consultatie kan niet meer worden gewijzigd: het stuk is vastgesteld."),
            )
            return redirect(self.get_consultatie().get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultatie = self.get_consultatie()
        context.update(self.base_context())
        context["form"] = kwargs.get("form") or ConsultatieForm(
            initial={
                "versie": consultatie.versie,
                "vraag": consultatie.vraag,
                "opent_op": consultatie.opent_op,
                "sluit_op": consultatie.sluit_op,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        consultatie = self.get_consultatie()
        form = ConsultatieForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consultatie_wijzigen(
                    consultatie=consultatie,
                    user=request.user,
                    expected_versie=data["versie"],
                    vraag=data["vraag"],
                    opent_op=data["opent_op"],
                    sluit_op=data["sluit_op"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.ConsultatieError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("De consultatie is opgeslagen."))
                return redirect(consultatie.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class ReactiesBeheerView(ConsultatieMixin, TemplateView):
    """Every reaction of a consultation for the wijkmanager, newest first, paginated;
    ``?onbeantwoord=1`` shows only the placed ones without an answer."""

    template_name = "participation/reacties_beheer.html"

    def dispatch(self, request, *args, **kwargs):
        if (denied := self.check(request, "participation.view_consultatie_beheer")) is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultatie = self.get_consultatie()
        onbeantwoord = self.request.GET.get("onbeantwoord") == "1"
        pagina = pagina_param(self.request)

        def render():
            return render_to_string(
                "participation/_reacties_beheer_lijst.html",
                {
                    "consultatie": consultatie,
                    "cyclus": consultatie.cyclus,
                    "onbeantwoord": onbeantwoord,
                    "aantallen": selectors.aantallen(consultatie),
                    "page": Paginator(
                        selectors.reacties_beheer(consultatie, onbeantwoord=onbeantwoord),
                        BEHEER_PAGE_SIZE,
                    ).get_page(pagina),
                    "filter_query": urlencode({"onbeantwoord": "1"}) if onbeantwoord else "",
                },
            )

        context.update(self.base_context())
        context.update(
            # The list is kept for this user under the public version (every reaction,
            # answer and hiding is audited and so bumps it), by filter and page.
            lijst_html=memoised_for_user(
                self.request.user,
                f"reacties-beheer:{consultatie.pk}",
                render,
                vary_on=(onbeantwoord, pagina),
            ),
            mag_wijzigen=self.request.user.has_perm(
                "participation.change_consultatie", consultatie
            ),
        )
        return context


class ReactieBehandelenView(ConsultatieMixin, TemplateView):
    """One reaction: the answer (and what changed), or hiding it with a reason."""

    template_name = "participation/reactie_behandelen.html"

    def dispatch(self, request, *args, **kwargs):
        if (denied := self.check(request, "participation.view_consultatie_beheer")) is not None:
            return denied
        self.reactie = selectors.reactie_beheer(consultatie=self.get_consultatie(), pk=kwargs["pk"])
        if self.reactie is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reactie, user = self.reactie, self.request.user
        context.update(self.base_context())
        context.update(
            reactie=reactie,
            mag_beantwoorden=user.has_perm("participation.beantwoord_reactie", reactie),
            mag_verbergen=user.has_perm("participation.verberg_reactie", reactie)
            and reactie.status == "geplaatst",
            antwoord_form=kwargs.get("antwoord_form")
            or AntwoordForm(
                initial={
                    "versie": reactie.versie,
                    "antwoord": reactie.antwoord,
                    "wat_veranderd": reactie.wat_veranderd,
                }
            ),
            verbergen_form=kwargs.get("verbergen_form")
            or VerbergenForm(initial={"versie": reactie.versie}),
            lijst_url=reverse("reacties-beheer", kwargs=self.kwargs_zonder_pk()),
        )
        return context

    def kwargs_zonder_pk(self):
        return {k: v for k, v in self.kwargs.items() if k != "pk"}

    def post(self, request, *args, **kwargs):
        actie = request.POST.get("actie")
        if actie == "verbergen":
            form = VerbergenForm(request.POST)
            service, velden, key = services.reactie_verbergen, ("reden",), "verbergen_form"
            gelukt = _("De reactie is verborgen; de reden staat op de openbare pagina.")
        else:
            form = AntwoordForm(request.POST)
            service, velden, key = (
                services.reactie_beantwoorden,
                ("antwoord", "wat_veranderd"),
                "antwoord_form",
            )
            gelukt = _("Het antwoord is opgeslagen.")
        if form.is_valid():
            try:
                service(
                    reactie=self.reactie,
                    user=request.user,
                    expected_versie=form.cleaned_data["versie"],
                    **{veld: form.cleaned_data[veld] for veld in velden},
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.ConsultatieError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gelukt)
                return redirect(
                    reverse("reacties-beheer", kwargs=self.kwargs_zonder_pk())
                    + ("?onbeantwoord=1" if request.POST.get("terug") == "onbeantwoord" else "")
                )
        return self.render_to_response(self.get_context_data(**{key: form}))
