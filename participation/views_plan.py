"""Pages of the participation plan (public; the wijkmanager edits it per phase and adopts it)
and of the wijkraad's advice (public list and detail per werkgebied; asking, giving and
answering for those whose role allows it). Thin: reads from ``selectors_plan``, writes through
``services_plan`` and ``services_advies``, which check permission, status and version again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cycle.models import WERKFASEN, Fase
from cycle.views import CyclusMixin, _page
from cycle.views_agenda import _service_errors
from places.models import Werkgebied

from . import selectors_plan, services_advies, services_plan
from .forms_plan import (
    AdviesGevenForm,
    AdviesVragenForm,
    BeantwoordenForm,
    OngevraagdAdviesForm,
    PlanfaseForm,
    VaststellenForm,
)
from .models import Adviesonderwerp, Adviesstatus
from .models_plan import plan_url

# ---------------------------------------------------------------- the participation plan


class ParticipatieplanView(CyclusMixin, TemplateView):
    """The plan of one cycle: public, also before it is adopted (the kaders are declared
    before a phase starts)."""

    template_name = "participation/plan/detail.html"

    def get_context_data(self, **kwargs):
        cyclus = self.get_cyclus()
        user = self.request.user
        plan, fasen = selectors_plan.planfasen(cyclus)
        mag_bewerken = user.has_perm("participation.change_participatieplan", cyclus) and (
            plan is None or plan.is_bewerkbaar
        )
        if plan is not None:
            plan.cyclus = cyclus
        return super().get_context_data(
            cyclus=cyclus,
            werkgebied=cyclus.werkgebied,
            plan=plan,
            fasen=fasen,
            mag_bewerken=mag_bewerken,
            vaststellen_form=VaststellenForm(initial={"versie": plan.versie})
            if mag_bewerken and plan is not None
            else None,
            ontbreekt=plan.ontbreekt() if mag_bewerken and plan is not None else None,
            adviezen=selectors_plan.adviezen_over(cyclus, Adviesonderwerp.PARTICIPATIEPLAN),
            mag_advies_vragen=user.has_perm("participation.vraag_advies", cyclus.werkgebied),
            today=timezone.localdate(),
            **kwargs,
        )


class _PlanPagina(CyclusMixin, PermissionRequiredMixin, FormView):
    permission_required = "participation.change_participatieplan"

    def get_permission_object(self):
        return self.get_cyclus()

    def terug(self):
        return redirect(plan_url(self.get_cyclus()))

    def plan_versie(self) -> int:
        plan, _fasen = selectors_plan.planfasen(self.get_cyclus())
        if plan is not None:
            plan.cyclus = self.get_cyclus()
            if not plan.is_bewerkbaar:
                return None
            return plan.versie
        return 1

    def get(self, request, *args, **kwargs):
        if self.plan_versie() is None:
            messages.info(request, _("Het participatieplan kan niet meer worden gewijzigd."))
            return self.terug()
        return super().get(request, *args, **kwargs)


class PlanfaseUpdateView(_PlanPagina):
    template_name = "participation/plan/fase_form.html"
    form_class = PlanfaseForm

    def get_fase(self) -> str:
        fase = self.kwargs["fase"]
        if fase not in WERKFASEN:
            raise Http404
        return fase

    def get_initial(self):
        fase = self.get_fase()
        _plan, fasen = selectors_plan.planfasen(self.get_cyclus())
        planfase = dict(fasen).get(fase)
        initial = {"versie": self.plan_versie()}
        if planfase is not None:
            initial.update(
                {
                    naam: getattr(planfase, naam)
                    for naam in (
                        "niveau",
                        "wel_invloed",
                        "geen_invloed",
                        "doelgroepen",
                        "middelen",
                        "middelen_anders",
                        "draagvlak_aantal",
                        "draagvlak_soort",
                    )
                }
            )
        return initial

    def get_context_data(self, **kwargs):
        cyclus = self.get_cyclus()
        return super().get_context_data(
            cyclus=cyclus,
            werkgebied=cyclus.werkgebied,
            fase_naam=Fase(self.get_fase()).label,
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        versie = data.pop("versie")
        gedaan = _service_errors(
            form,
            lambda: services_plan.planfase_wijzigen(
                cyclus=self.get_cyclus(),
                user=self.request.user,
                expected_versie=versie,
                fase=self.get_fase(),
                **data,
            ),
        )
        if not gedaan:
            return self.form_invalid(form)
        messages.success(self.request, _("Het participatieplan is opgeslagen."))
        return redirect(f"{plan_url(self.get_cyclus())}#fase-{self.get_fase()}")


class PlanVaststellenView(_PlanPagina):
    form_class = VaststellenForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        for fout in form.non_field_errors():
            messages.error(self.request, fout)
        return self.terug()

    def form_valid(self, form):
        gedaan = _service_errors(
            form,
            lambda: services_plan.participatieplan_vaststellen(
                cyclus=self.get_cyclus(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
            ),
        )
        if not gedaan:
            return self.form_invalid(form)
        messages.success(self.request, _("Het participatieplan is vastgesteld."))
        return self.terug()


# ----------------------------------------------------------------------- the advice


class WerkgebiedMixin:
    def get_werkgebied(self) -> Werkgebied:
        if not hasattr(self, "_werkgebied"):
            self._werkgebied = get_object_or_404(
                Werkgebied.objects.select_related("gebied"), slug=self.kwargs["slug"]
            )
        return self._werkgebied


class AdviesListView(WerkgebiedMixin, TemplateView):
    template_name = "participation/advies/list.html"

    def get_context_data(self, **kwargs):
        werkgebied = self.get_werkgebied()
        user = self.request.user
        return super().get_context_data(
            werkgebied=werkgebied,
            adviezen=_page(self.request, selectors_plan.adviezen_van_werkgebied(werkgebied)),
            mag_vragen=user.has_perm("participation.vraag_advies", werkgebied),
            mag_geven=user.has_perm("participation.geef_advies", werkgebied),
            today=timezone.localdate(),
            **kwargs,
        )


class AdviesMixin(WerkgebiedMixin):
    def get_advies(self):
        if not hasattr(self, "_advies"):
            advies = selectors_plan.advies_op_url(self.kwargs["slug"], self.kwargs["pk"])
            if advies is None:
                raise Http404
            self._advies = advies
        return self._advies

    def get_permission_object(self):
        return self.get_advies()


class AdviesDetailView(AdviesMixin, TemplateView):
    template_name = "participation/advies/detail.html"

    def get_context_data(self, **kwargs):
        advies = self.get_advies()
        user = self.request.user
        return super().get_context_data(
            advies=advies,
            werkgebied=advies.werkgebied,
            mag_geven=advies.status == Adviesstatus.GEVRAAGD
            and user.has_perm("participation.geef_advies", advies),
            mag_beantwoorden=advies.status == Adviesstatus.GEGEVEN
            and user.has_perm("participation.beantwoord_advies", advies),
            today=timezone.localdate(),
            **kwargs,
        )


class AdviesNieuwView(WerkgebiedMixin, FormView):
    """A new advice: the wijkmanager asks it; a wijkraadslid records unasked advice. Who may
    do both (never one role alone today) asks."""

    template_name = "participation/advies/form.html"

    def dispatch(self, request, *args, **kwargs):
        werkgebied = self.get_werkgebied()
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.vragen = request.user.has_perm("participation.vraag_advies", werkgebied)
        if not self.vragen and not request.user.has_perm("participation.geef_advies", werkgebied):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return AdviesVragenForm if self.vragen else OngevraagdAdviesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "werkgebied": self.get_werkgebied()}

    def get_initial(self):
        initial = {}
        onderwerp = self.request.GET.get("onderwerp", "")
        if onderwerp in Adviesonderwerp.values:
            initial["onderwerp"] = onderwerp
        jaar = self.request.GET.get("jaar", "")
        if jaar.isdigit() and len(jaar) == 4:
            cyclus = self.get_werkgebied().cycli.filter(jaar=int(jaar)).first()
            if cyclus is not None:
                initial["cyclus"] = cyclus.pk
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            werkgebied=self.get_werkgebied(),
            kop=_("Advies vragen aan de wijkraad")
            if self.vragen
            else _("Ongevraagd advies van de wijkraad vastleggen"),
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        werkgebied, user = self.get_werkgebied(), self.request.user
        if self.vragen:
            call = lambda: services_advies.advies_vragen(werkgebied=werkgebied, user=user, **data)  # noqa: E731
        else:
            call = lambda: services_advies.advies_ongevraagd(  # noqa: E731
                werkgebied=werkgebied, user=user, **data
            )
        advies = _service_errors(form, call)
        if advies is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De adviesvraag is verstuurd naar de wijkraad.")
            if self.vragen
            else _("Het advies is vastgelegd."),
        )
        return redirect(advies.get_absolute_url())


class _AdviesStap(AdviesMixin, PermissionRequiredMixin, FormView):
    template_name = "participation/advies/form.html"
    status = ""
    niet_nu = ""
    kop = ""

    def get(self, request, *args, **kwargs):
        if self.get_advies().status != self.status:
            messages.info(request, self.niet_nu)
            return redirect(self.get_advies().get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_advies().versie}

    def get_context_data(self, **kwargs):
        advies = self.get_advies()
        return super().get_context_data(
            advies=advies, werkgebied=advies.werkgebied, kop=self.kop, **kwargs
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        versie = data.pop("versie")
        gedaan = _service_errors(form, lambda: self.opslaan(data, versie))
        if not gedaan:
            return self.form_invalid(form)
        messages.success(self.request, self.gelukt)
        return redirect(self.get_advies().get_absolute_url())


class AdviesGevenView(_AdviesStap):
    form_class = AdviesGevenForm
    permission_required = "participation.geef_advies"
    status = Adviesstatus.GEVRAAGD
    niet_nu = _("Dit advies is al gegeven.")
    kop = _("Advies geven namens de wijkraad")
    gelukt = _("Het advies is vastgelegd.")

    def opslaan(self, data, versie):
        return services_advies.advies_geven(
            advies=self.get_advies(),
            user=self.request.user,
            expected_versie=versie,
            tekst=data["advies"],
            besluitdatum=data["besluitdatum"],
        )


class AdviesBeantwoordenView(_AdviesStap):
    form_class = BeantwoordenForm
    permission_required = "participation.beantwoord_advies"
    status = Adviesstatus.GEGEVEN
    niet_nu = _(
        "Dit advies kan nu niet beantwoord worden: het is nog niet gegeven, of al beantwoord."
    )
    kop = _("Advies beantwoorden")
    gelukt = _("Het antwoord is vastgelegd.")

    def opslaan(self, data, versie):
        return services_advies.advies_beantwoorden(
            advies=self.get_advies(), user=self.request.user, expected_versie=versie, **data
        )
