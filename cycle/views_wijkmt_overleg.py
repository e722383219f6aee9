"""Pages of the wijk-MT's meetings and its wijkraad delegation: the list of meetings, a
meeting with its besluitenlijst (for every member: ``cycle.view_wijkmt``), and the chair's
forms (``cycle.manage_wijkmt``). Thin: reads from ``cycle.selectors_wijkmt``, writes through
``cycle.services_wijkmt``, which checks permission and version again."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from pagecache.services import memoised_form_fragment, pagina_param
from places.models import Werkgebied

from . import selectors_wijkmt, services, services_wijkmt
from .forms_wijkmt import BesluitForm, DelegatieForm, OverlegForm, VerwijderForm
from .models import Besluit, Overleg, WijkMTDelegatie

OVERLEGGEN_PER_PAGINA = 20


def _fouten_bij_velden(form, exc) -> None:
    """Put what the service refused next to the form's fields (or above them)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc)
    else:
        form.add_error(None, exc.message)


def _verouderd(form, exc, versie: int) -> None:
    """Stale: say so, and carry the current version from now on, so that saving again is a
    decision taken knowing it (the page shows the current state next to the input)."""
    form.add_error(None, exc.message)
    form.data = form.data.copy()
    form.data["versie"] = str(versie)


class WijkMTMixin:
    """The werkgebied named in the URL; ``permission`` on it, asked for every method (sign in
    first, or 403)."""

    permission = "cycle.view_wijkmt"

    def dispatch(self, request, *args, **kwargs):
        self.werkgebied = get_object_or_404(
            Werkgebied.objects.select_related("gebied"), slug=kwargs["slug"]
        )
        if not request.user.has_perm(self.permission, self.werkgebied):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_overleg(self) -> Overleg:
        if not hasattr(self, "_overleg"):
            self._overleg = selectors_wijkmt.overleg(self.werkgebied, self.kwargs["pk"])
            if self._overleg is None:
                raise Http404
        return self._overleg

    def overleg_url(self, overleg, anker: str = "") -> str:
        url = reverse("wijkmt-overleg", kwargs={"slug": self.werkgebied.slug, "pk": overleg.pk})
        return f"{url}#{anker}" if anker else url

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            werkgebied=self.werkgebied,
            mag_beheren=self.request.user.has_perm("cycle.manage_wijkmt", self.werkgebied),
            **kwargs,
        )


class OverleggenView(WijkMTMixin, TemplateView):
    """Every meeting of the wijk-MT, newest first, a page at a time."""

    template_name = "cycle/wijkmt/overleggen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nummer = pagina_param(self.request)

        def render(csrf_token):
            pagina = Paginator(
                selectors_wijkmt.overleggen(self.werkgebied), OVERLEGGEN_PER_PAGINA
            ).get_page(nummer)
            return render_to_string(
                "cycle/wijkmt/_overleggen_inhoud.html",
                {**context, "pagina": pagina, "csrf_token": csrf_token},
                request=self.request,
            )

        # Kept for this user alone under the public version (see ``memoised_form_fragment``):
        # every meeting, decision, knelpunt and role change is audited and so bumps it.
        context["inhoud"] = memoised_form_fragment(
            self.request, f"wijkmt-overleggen:{self.werkgebied.pk}", render, vary_on=[nummer]
        )
        return context


class OverlegDetailView(WijkMTMixin, TemplateView):
    """One meeting and its besluitenlijst, each decision with what it is about."""

    template_name = "cycle/wijkmt/overleg_detail.html"

    def get_context_data(self, **kwargs):
        overleg = self.get_overleg()
        context = super().get_context_data(overleg=overleg, **kwargs)

        def render(csrf_token):
            return render_to_string(
                "cycle/wijkmt/_overleg_detail_inhoud.html",
                {
                    **context,
                    "besluiten": selectors_wijkmt.besluiten(overleg),
                    "csrf_token": csrf_token,
                },
                request=self.request,
            )

        # Kept per user like the list (see ``OverleggenView``).
        context["inhoud"] = memoised_form_fragment(
            self.request, f"wijkmt-overleg:{overleg.pk}", render, vary_on=[overleg.versie]
        )
        return context


class OverlegFormView(WijkMTMixin, FormView):
    """Record a meeting (no ``pk``) or change one."""

    permission = "cycle.manage_wijkmt"
    template_name = "cycle/wijkmt/overleg_form.html"
    form_class = OverlegForm

    def bestaand(self) -> Overleg | None:
        return self.get_overleg() if "pk" in self.kwargs else None

    def get_initial(self):
        overleg = self.bestaand()
        if overleg is None:
            return {"versie": 0}
        return {
            "versie": overleg.versie,
            **{name: getattr(overleg, name) for name in services_wijkmt.OVERLEG_VELDEN},
        }

    def get_form_kwargs(self):
        knop = _("Overleg vastleggen") if self.bestaand() is None else _("Wijzigingen opslaan")
        return {**super().get_form_kwargs(), "knop": knop}

    def get_context_data(self, **kwargs):
        return super().get_context_data(overleg=self.bestaand(), **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services_wijkmt.OVERLEG_VELDEN}
        overleg = self.bestaand()
        try:
            if overleg is None:
                overleg = services_wijkmt.overleg_toevoegen(
                    werkgebied=self.werkgebied, user=self.request.user, **data
                )
                bericht = _("Het overleg van %(datum)s is vastgelegd. Leg nu de besluiten vast.")
            else:
                overleg = services_wijkmt.overleg_wijzigen(
                    overleg=overleg,
                    user=self.request.user,
                    expected_versie=form.cleaned_data["versie"],
                    **data,
                )
                bericht = _("Het overleg van %(datum)s is opgeslagen.")
        except services.StaleStateError as exc:
            self._overleg = selectors_wijkmt.overleg(self.werkgebied, overleg.pk)
            _verouderd(form, exc, self._overleg.versie)
            return self.render_to_response(self.get_context_data(form=form, verouderd=True))
        except (ValidationError, services.TransitionError) as exc:
            _fouten_bij_velden(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, bericht % {"datum": date_format(overleg.datum)})
        return redirect(self.overleg_url(overleg))


class BesluitFormView(WijkMTMixin, FormView):
    """Add a decision to a meeting's besluitenlijst (no ``besluit``) or change one."""

    permission = "cycle.manage_wijkmt"
    template_name = "cycle/wijkmt/besluit_form.html"
    form_class = BesluitForm

    def bestaand(self) -> Besluit | None:
        if "besluit" not in self.kwargs:
            return None
        if not hasattr(self, "_besluit"):
            self._besluit = get_object_or_404(
                Besluit.objects.select_related("actiehouder"),
                pk=self.kwargs["besluit"],
                overleg=self.get_overleg(),
            )
            self._besluit.overleg = self.get_overleg()
        return self._besluit

    def _id_uit_query(self, naam):
        waarde = self.request.GET.get(naam, "")
        return int(waarde) if waarde.isascii() and waarde.isdigit() and len(waarde) < 10 else None

    def get_initial(self):
        besluit = self.bestaand()
        if besluit is None:
            # "Op de besluitenlijst" next to a knelpunt or an initiative chooses it already.
            return {
                "versie": 0,
                "initiatief": self._id_uit_query("initiatief"),
                "knelpunt": self._id_uit_query("knelpunt"),
            }
        return {
            "versie": besluit.versie,
            **{name: getattr(besluit, name) for name in services_wijkmt.BESLUIT_VELDEN},
        }

    def get_form_kwargs(self):
        knop = _("Besluit toevoegen") if self.bestaand() is None else _("Wijzigingen opslaan")
        return {
            **super().get_form_kwargs(),
            "werkgebied": self.werkgebied,
            "besluit": self.bestaand(),
            "knop": knop,
        }

    def get_context_data(self, **kwargs):
        self.get_overleg()
        return super().get_context_data(
            overleg=self.get_overleg(), besluit=self.bestaand(), **kwargs
        )

    def form_valid(self, form):
        besluit = self.bestaand()
        try:
            if besluit is None:
                besluit = services_wijkmt.besluit_toevoegen(
                    overleg=self.get_overleg(), user=self.request.user, **form.service_data()
                )
                bericht = _("Het besluit is aan de besluitenlijst toegevoegd.")
            else:
                besluit = services_wijkmt.besluit_wijzigen(
                    besluit=besluit,
                    user=self.request.user,
                    expected_versie=form.cleaned_data["versie"],
                    **form.service_data(),
                )
                bericht = _("Het besluit is opgeslagen.")
        except services.StaleStateError as exc:
            self._besluit = Besluit.objects.select_related("actiehouder").get(pk=besluit.pk)
            _verouderd(form, exc, self._besluit.versie)
            return self.render_to_response(self.get_context_data(form=form, verouderd=True))
        except (ValidationError, services.TransitionError) as exc:
            _fouten_bij_velden(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, bericht)
        return redirect(self.overleg_url(self.get_overleg(), f"besluit-{besluit.pk}"))


class BesluitVerwijderenView(WijkMTMixin, FormView):
    """POST from the meeting's page: remove a decision (recorded by mistake)."""

    permission = "cycle.manage_wijkmt"
    form_class = VerwijderForm
    http_method_names = ["post"]

    def form_valid(self, form):
        overleg = self.get_overleg()
        besluit = get_object_or_404(Besluit, pk=self.kwargs["besluit"], overleg=overleg)
        try:
            services_wijkmt.besluit_verwijderen(
                besluit=besluit, user=self.request.user, expected_versie=form.cleaned_data["versie"]
            )
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.overleg_url(overleg, f"besluit-{besluit.pk}"))
        messages.success(self.request, _("Het besluit is van de besluitenlijst gehaald."))
        return redirect(self.overleg_url(overleg, "besluiten"))

    def form_invalid(self, form):
        messages.error(
            self.request, _("Het formulier is onvolledig verstuurd. Probeer het opnieuw.")
        )
        return redirect(self.overleg_url(self.get_overleg(), "besluiten"))


class DelegatieView(WijkMTMixin, FormView):
    """The chair chooses the wijkraadsleden who sit in the wijk-MT."""

    permission = "cycle.manage_wijkmt"
    template_name = "cycle/wijkmt/delegatie_form.html"
    form_class = DelegatieForm

    def get_initial(self):
        delegatie = WijkMTDelegatie.objects.filter(werkgebied=self.werkgebied).first()
        if delegatie is None:
            return {"versie": 0, "leden": []}
        return {
            "versie": delegatie.versie,
            "leden": list(delegatie.leden.values_list("user_id", flat=True)),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "werkgebied": self.werkgebied}

    def get_context_data(self, **kwargs):
        return super().get_context_data(leden=selectors_wijkmt.leden(self.werkgebied), **kwargs)

    def form_valid(self, form):
        try:
            services_wijkmt.delegatie_vastleggen(
                werkgebied=self.werkgebied,
                user=self.request.user,
                leden=form.cleaned_data["leden"],
                expected_versie=form.cleaned_data["versie"],
            )
        except services.StaleStateError as exc:
            _verouderd(form, exc, selectors_wijkmt.delegatie_versie(self.werkgebied))
            return self.render_to_response(self.get_context_data(form=form, verouderd=True))
        except (ValidationError, services.TransitionError) as exc:
            _fouten_bij_velden(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De wijkraaddelegatie in het wijk-MT is opgeslagen."))
        return redirect(reverse("wijk-mt", kwargs={"slug": self.werkgebied.slug}) + "#leden-kop")
