"""Pages that write the wijkprogramma's content (initiatives), the owner's answer page
(toezeggen or afwijzen) and the accounthouder's list of initiatives waiting for an answer.
Thin: the services check permission, phase, status and version again."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import memoised_for_user, pagina_param
from people.roles import active_assignments

from . import services_programma
from .forms_agenda import VersieForm
from .forms_programma import AfwijzenForm, InitiatiefForm, ToezeggenForm
from .models import Initiatief, Toezegging
from .selectors_programma import toezeggingen_voor_accounthouder
from .views import CyclusMixin
from .views_agenda import _service_errors

TOEZEGGINGEN_PER_PAGINA = 20


class WijkprogrammaMixin(CyclusMixin, PermissionRequiredMixin):
    """Pages of the drafter: ``cycle.draft_wijkprogramma`` (the werkgebied's task division);
    ``cycle.edit_product`` (phase and status) is asked by the form pages and the services."""

    permission_required = "cycle.draft_wijkprogramma"

    def get_programma(self):
        programma = self.get_cyclus().wijkprogramma
        programma.cyclus = self.get_cyclus()
        return programma

    def get_permission_object(self):
        return self.get_programma()

    def terug(self, anchor: str = ""):
        url = self.get_programma().get_absolute_url()
        return redirect(f"{url}#{anchor}" if anchor else url)

    def niet_bewerkbaar(self):
        """A GET of a form while the programme can no longer be changed: back to it."""
        if self.request.user.has_perm("cycle.edit_product", self.get_programma()):
            return None
        messages.info(self.request, _("Dit stuk kan in deze fase of status niet worden gewijzigd."))
        return self.terug()

    def get_initiatief(self) -> Initiatief:
        if not hasattr(self, "_initiatief"):
            self._initiatief = get_object_or_404(
                Initiatief.objects.select_related("cluster", "partner", "agendapunt"),
                pk=self.kwargs["pk"],
                wijkprogramma=self.get_programma(),
            )
            self._initiatief.wijkprogramma = self.get_programma()
        return self._initiatief


class _FormPage(WijkprogrammaMixin, FormView):
    """A form page of the drafter, with the programme's version as hidden field."""

    def get(self, request, *args, **kwargs):
        return self.niet_bewerkbaar() or super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_programma().versie}

    def get_context_data(self, **kwargs):
        programma = self.get_programma()
        return super().get_context_data(product=programma, cyclus=programma.cyclus, **kwargs)


class InitiatiefCreateView(_FormPage):
    template_name = "cycle/programma/initiatief_form.html"
    form_class = InitiatiefForm

    def get_initial(self):
        initial = super().get_initial()
        # "Initiatief toevoegen" next to an agendapunt chooses it already.
        punt = self.request.GET.get("agendapunt", "")
        if punt.isdigit() and len(punt) < 12:
            initial["agendapunt"] = int(punt)
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programma": self.get_programma()}

    def form_valid(self, form):
        initiatief = _service_errors(
            form,
            lambda: services_programma.initiatief_toevoegen(
                wijkprogramma=self.get_programma(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                **form.service_data(),
            ),
        )
        if initiatief is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Initiatief ‘%(titel)s’ is toegevoegd; %(eigenaar)s wordt om een toezegging "
                "gevraagd."
            )
            % {"titel": initiatief.titel, "eigenaar": initiatief.eigenaar},
        )
        return self.terug(f"initiatief-{initiatief.pk}")


class InitiatiefUpdateView(_FormPage):
    template_name = "cycle/programma/initiatief_form.html"
    form_class = InitiatiefForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "programma": self.get_programma(),
            "instance": self.get_initiatief(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiatief=self.get_initiatief(), **kwargs)

    def form_valid(self, form):
        voor = self.get_initiatief().toezegging
        initiatief = _service_errors(
            form,
            lambda: services_programma.initiatief_wijzigen(
                initiatief=self.get_initiatief(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                **form.service_data(),
            ),
        )
        if initiatief is None:
            return self.form_invalid(form)
        if voor != Toezegging.GEVRAAGD and initiatief.toezegging == Toezegging.GEVRAAGD:
            bericht = _(
                "Initiatief ‘%(titel)s’ is opgeslagen. Omdat het gewijzigd is, wordt "
                "%(eigenaar)s opnieuw om een toezegging gevraagd."
            )
        else:
            bericht = _("Initiatief ‘%(titel)s’ is opgeslagen.")
        messages.success(
            self.request, bericht % {"titel": initiatief.titel, "eigenaar": initiatief.eigenaar}
        )
        return self.terug(f"initiatief-{initiatief.pk}")


class InitiatiefDeleteView(_FormPage):
    """GET: asks to confirm; POST: removes the initiative."""

    template_name = "cycle/programma/verwijderen.html"
    form_class = VersieForm

    def post(self, request, *args, **kwargs):
        # Sent twice (a double click, the back button): it is gone already.
        if not Initiatief.objects.filter(
            pk=self.kwargs["pk"], wijkprogramma=self.get_programma()
        ).exists():
            messages.info(request, _("Dit initiatief bestaat niet meer."))
            return self.terug("initiatieven")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiatief=self.get_initiatief(), **kwargs)

    def form_valid(self, form):
        initiatief = self.get_initiatief()
        gelukt = _service_errors(
            form,
            lambda: (
                services_programma.initiatief_verwijderen(
                    initiatief=initiatief,
                    user=self.request.user,
                    expected_versie=form.cleaned_data["versie"],
                )
                or True
            ),
        )
        if not gelukt:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Initiatief ‘%(titel)s’ is verwijderd.") % {"titel": initiatief.titel}
        )
        return self.terug("initiatieven")


# ------------------------------------------------------------ the owner's answer page


class InitiatiefToezeggingView(CyclusMixin, PermissionRequiredMixin, TemplateView):
    """The owner's answer: ``cycle.commit_initiatief`` on the initiative (the accounthouders of
    its cluster in the werkgebied's gebied; for a partner or a residents' group whoever runs
    the cycle), while the programme is drafted. Two forms: toezeggen and afwijzen."""

    template_name = "cycle/programma/toezegging.html"
    permission_required = "cycle.commit_initiatief"

    def get_programma(self):
        programma = self.get_cyclus().wijkprogramma
        programma.cyclus = self.get_cyclus()
        return programma

    def get_initiatief(self) -> Initiatief:
        if not hasattr(self, "_initiatief"):
            self._initiatief = get_object_or_404(
                Initiatief.objects.select_related("cluster", "partner", "agendapunt", "trekker"),
                pk=self.kwargs["pk"],
                wijkprogramma=self.get_programma(),
            )
            self._initiatief.wijkprogramma = self.get_programma()
        return self._initiatief

    def get_permission_object(self):
        return self.get_initiatief()

    def handle_no_permission(self):
        # The owner's voice after the programme was adopted: nothing to answer any more.
        user = self.request.user
        if (
            user.is_authenticated
            and not self.get_programma().is_bewerkbaar
            and user.has_perm("cycle.view_concept", self.get_programma())
        ):
            messages.info(
                self.request,
                _(
                    "Het wijkprogramma kan niet meer worden gewijzigd; een toezegging kan nu "
                    "niet meer worden gegeven of ingetrokken."
                ),
            )
            return self.terug()
        return super().handle_no_permission()

    def terug(self):
        initiatief = self.get_initiatief()
        return redirect(f"{self.get_programma().get_absolute_url()}#initiatief-{initiatief.pk}")

    def forms(self, data=None, actie=None):
        initiatief = self.get_initiatief()
        initial = {"versie": initiatief.versie}
        toezeggen = ToezeggenForm(
            data if actie == "toezeggen" else None,
            initial={
                **initial,
                "trekker_naam": initiatief.trekker_naam,
                "trekker_email": initiatief.trekker.email if initiatief.trekker else "",
            },
        )
        afwijzen = AfwijzenForm(data if actie == "afwijzen" else None, initial=initial)
        return toezeggen, afwijzen

    def get_context_data(self, **kwargs):
        initiatief = self.get_initiatief()
        programma = self.get_programma()
        if "toezeggen_form" not in kwargs:
            kwargs["toezeggen_form"], kwargs["afwijzen_form"] = self.forms()
        return super().get_context_data(
            initiatief=initiatief,
            punt=initiatief.agendapunt,
            product=programma,
            cyclus=programma.cyclus,
            # What may still be answered (toezeggen from gevraagd or afgewezen, afwijzen from
            # gevraagd or toegezegd); a form just sent stays, with its errors and input.
            kan_toezeggen=initiatief.toezegging != Toezegging.TOEGEZEGD
            or kwargs["toezeggen_form"].is_bound,
            kan_afwijzen=initiatief.toezegging != Toezegging.AFGEWEZEN
            or kwargs["afwijzen_form"].is_bound,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        actie = request.POST.get("actie")
        if actie not in ("toezeggen", "afwijzen"):
            messages.error(request, _("Deze stap kon niet worden verwerkt. Probeer het opnieuw."))
            return redirect(request.path)
        toezeggen, afwijzen = self.forms(request.POST, actie)
        form = toezeggen if actie == "toezeggen" else afwijzen
        context = {"toezeggen_form": toezeggen, "afwijzen_form": afwijzen}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**context))
        data = form.cleaned_data
        initiatief = self.get_initiatief()
        if actie == "toezeggen":
            gedaan = _service_errors(
                form,
                lambda: services_programma.initiatief_toezeggen(
                    initiatief=initiatief,
                    user=request.user,
                    expected_versie=data["versie"],
                    trekker_naam=data["trekker_naam"],
                    trekker_email=data["trekker_email"],
                ),
            )
            bericht = (
                _("U heeft ‘%(titel)s’ toegezegd, met %(trekker)s als trekker.")
                if initiatief.cluster_id is not None
                else _(
                    "De toezegging van %(eigenaar)s voor ‘%(titel)s’ is vastgelegd, met "
                    "%(trekker)s als trekker."
                )
            )
        else:
            gedaan = _service_errors(
                form,
                lambda: services_programma.initiatief_afwijzen(
                    initiatief=initiatief,
                    user=request.user,
                    expected_versie=data["versie"],
                    reden=data["reden"],
                ),
            )
            bericht = (
                _("U heeft ‘%(titel)s’ afgewezen; de opsteller leest uw reden.")
                if initiatief.cluster_id is not None
                else _("De afwijzing van %(eigenaar)s voor ‘%(titel)s’ is vastgelegd.")
            )
        if gedaan is None:
            return self.render_to_response(self.get_context_data(**context))
        messages.success(
            request,
            bericht
            % {"titel": gedaan.titel, "trekker": gedaan.trekker_naam, "eigenaar": gedaan.eigenaar},
        )
        # An accounthouder came from "Mijn werk"; who answers for a partner or a residents'
        # group works on the programme.
        if gedaan.cluster_id is not None:
            return redirect("mijn-werk")
        return self.terug()


# ------------------------------------------------------------------- "Mijn werk"


class ToezeggingenView(LoginRequiredMixin, TemplateView):
    """All initiatives waiting for the answer of the user's cluster(s), paginated."""

    template_name = "cycle/programma/toezeggingen.html"

    def get_context_data(self, **kwargs):
        """The list is kept for this user alone under the public version (an answer, a new
        initiative or a role change is audited and so bumps it)."""
        user = self.request.user
        nummer = pagina_param(self.request)

        def render():
            rows = toezeggingen_voor_accounthouder(user, active_assignments(user))
            pagina = Paginator(rows, TOEZEGGINGEN_PER_PAGINA).get_page(nummer)
            return render_to_string(
                "cycle/programma/_toezeggingen_lijst.html", {"pagina": pagina}, request=self.request
            )

        inhoud = memoised_for_user(
            user,
            "toezeggingen",
            render,
            vary_on=[nummer],
        )
        return super().get_context_data(inhoud=inhoud, **kwargs)
