"""Pages of the twelve-month report: the report of one cycle (public once the programme is),
the forms to record each initiative's end, to carry it over and to judge it, and the
city-wide view for the council and the beheerder."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from pagecache.services import memoised

from . import selectors_programma, selectors_verslag, services_verslag
from .forms_verslag import AfloopForm, DoorschuivenForm, OordeelForm, OvernemenForm
from .models import Agendapunt, Initiatief
from .views import CyclusMixin
from .views_agenda import _service_errors
from .views_programma import WijkprogrammaMixin

RIJEN_PER_PAGINA = 50


class _RapportMixin(CyclusMixin):
    def get_programma(self):
        programma = self.get_cyclus().wijkprogramma
        programma.cyclus = self.get_cyclus()
        return programma

    def rapport_url(self, anker: str = "") -> str:
        cyclus = self.get_cyclus()
        url = reverse("twaalfmaanden", kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar})
        return f"{url}#{anker}" if anker else url

    def weiger(self):
        if not self.request.user.is_authenticated:
            return redirect_to_login(self.request.get_full_path())
        raise PermissionDenied


class TwaalfmaandenView(_RapportMixin, TemplateView):
    """How every initiative of the cycle's programme ended its year, and the shares."""

    template_name = "cycle/verslag/twaalfmaanden.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.view_product", self.get_programma()):
            return self.weiger()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        programma = self.get_programma()
        user = self.request.user
        rapport = selectors_verslag.twaalfmaanden(programma)
        for initiatief in rapport["initiatieven"]:
            initiatief.wijkprogramma = programma
        eerste = rapport["initiatieven"][0] if rapport["initiatieven"] else None
        pagina = Paginator(rapport["initiatieven"], RIJEN_PER_PAGINA).get_page(
            self.request.GET.get("pagina")
        )
        return super().get_context_data(
            cyclus=self.get_cyclus(),
            programma=programma,
            pagina=pagina,
            telling=rapport["telling"],
            streefwaarde=selectors_verslag.STREEFWAARDE_OORDEEL,
            # The same for every initiative of the programme (role and phase).
            mag_afsluiten=eerste is not None and user.has_perm("cycle.close_initiatief", eerste),
            mag_oordelen=eerste is not None and user.has_perm("cycle.judge_initiatief", eerste),
            **kwargs,
        )


class _InitiatiefForm(_RapportMixin, FormView):
    permission = ""
    template_name = "cycle/verslag/initiatief_form.html"
    titel = ""

    def get_initiatief(self) -> Initiatief:
        if not hasattr(self, "_initiatief"):
            programma = self.get_programma()
            self._initiatief = get_object_or_404(
                Initiatief.objects.select_related("agendapunt", "cluster", "partner"),
                pk=self.kwargs["pk"],
                wijkprogramma=programma,
            )
            self._initiatief.wijkprogramma = programma
        return self._initiatief

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission, self.get_initiatief()):
            return self.weiger()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_initiatief().versie}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cyclus=self.get_cyclus(),
            product=self.get_programma(),
            initiatief=self.get_initiatief(),
            titel=self.titel,
            **kwargs,
        )

    def klaar(self, bericht: str):
        messages.success(self.request, bericht)
        return redirect(self.rapport_url(f"initiatief-{self.get_initiatief().pk}"))


class AfloopView(_InitiatiefForm):
    permission = "cycle.close_initiatief"
    form_class = AfloopForm
    titel = _("Afloop vastleggen")

    def get_initial(self):
        initiatief = self.get_initiatief()
        return {**super().get_initial(), "afloop": initiatief.afloop or None}

    def form_valid(self, form):
        data = form.cleaned_data
        initiatief = _service_errors(
            form,
            lambda: services_verslag.afloop_vastleggen(
                initiatief=self.get_initiatief(),
                user=self.request.user,
                expected_versie=data["versie"],
                afloop=data["afloop"],
                reden=data["reden"],
            ),
        )
        if initiatief is None:
            return self.form_invalid(form)
        return self.klaar(
            _("De afloop van ‘%(titel)s’ is vastgelegd: %(afloop)s.")
            % {"titel": initiatief.titel, "afloop": initiatief.get_afloop_display()}
        )


class DoorschuivenView(_InitiatiefForm):
    permission = "cycle.close_initiatief"
    form_class = DoorschuivenForm
    titel = _("Doorschuiven naar volgend jaar")

    def volgend(self):
        if not hasattr(self, "_volgend"):
            self._volgend = services_verslag.volgend_programma(self.get_initiatief())
        return self._volgend

    def get_form_kwargs(self):
        volgend = self.volgend()
        punten = (
            Agendapunt.objects.filter(wijkagenda__cyclus_id=volgend.cyclus_id).order_by("rang")
            if volgend
            else None
        )
        return {**super().get_form_kwargs(), "punten": punten}

    def get_initial(self):
        volgend = self.volgend()
        voorstel = (
            services_verslag.voorgesteld_agendapunt(self.get_initiatief(), volgend)
            if volgend
            else None
        )
        return {**super().get_initial(), "agendapunt": voorstel}

    def get_context_data(self, **kwargs):
        return super().get_context_data(volgend=self.volgend(), doorschuiven=True, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        initiatief = self.get_initiatief()
        resultaat = _service_errors(
            form,
            lambda: (
                services_verslag.initiatief_doorschuiven(
                    initiatief=initiatief,
                    user=self.request.user,
                    expected_versie=data["versie"],
                    agendapunt=data.get("agendapunt"),
                )
                or False
            ),
        )
        if resultaat is None:
            return self.form_invalid(form)
        if resultaat is False:
            return self.klaar(
                _(
                    "‘%(titel)s’ is doorgeschoven. Het wacht op het volgende wijkprogramma: "
                    "wie dat opstelt, neemt het daar met één klik over."
                )
                % {"titel": initiatief.titel}
            )
        return self.klaar(
            _(
                "‘%(titel)s’ is doorgeschoven naar het wijkprogramma van %(jaar)d; de eigenaar "
                "wordt opnieuw om een toezegging gevraagd."
            )
            % {"titel": resultaat.titel, "jaar": resultaat.wijkprogramma.cyclus.jaar}
        )


class OvernemenView(WijkprogrammaMixin, FormView):
    """The drafter of a later programme takes over an initiative that was carried over while
    no programme was being drafted: one click, the agenda point preselected by theme."""

    template_name = "cycle/verslag/overnemen.html"
    form_class = OvernemenForm

    def get_initiatief(self) -> Initiatief:
        if not hasattr(self, "_initiatief"):
            self._initiatief = get_object_or_404(
                selectors_programma.wachtend_doorgeschoven(self.get_programma()),
                pk=self.kwargs["pk"],
            )
        return self._initiatief

    def get(self, request, *args, **kwargs):
        return self.niet_bewerkbaar() or super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        punten = Agendapunt.objects.filter(
            wijkagenda__cyclus_id=self.get_programma().cyclus_id
        ).order_by("rang")
        return {**super().get_form_kwargs(), "punten": punten}

    def get_initial(self):
        return {
            "versie": self.get_programma().versie,
            "agendapunt": services_verslag.voorgesteld_agendapunt(
                self.get_initiatief(), self.get_programma()
            ),
        }

    def get_context_data(self, **kwargs):
        programma = self.get_programma()
        return super().get_context_data(
            product=programma,
            cyclus=programma.cyclus,
            initiatief=self.get_initiatief(),
            **kwargs,
        )

    def form_valid(self, form):
        kopie = _service_errors(
            form,
            lambda: services_verslag.doorgeschoven_overnemen(
                initiatief=self.get_initiatief(),
                programma=self.get_programma(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                agendapunt=form.cleaned_data["agendapunt"],
            ),
        )
        if kopie is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "‘%(titel)s’ staat nu in dit programma; %(eigenaar)s wordt opnieuw om een "
                "toezegging gevraagd."
            )
            % {"titel": kopie.titel, "eigenaar": kopie.eigenaar},
        )
        return self.terug(f"initiatief-{kopie.pk}")


class OordeelView(_InitiatiefForm):
    permission = "cycle.judge_initiatief"
    form_class = OordeelForm
    titel = _("Oordeel van de wijkraad")

    def get_initial(self):
        initiatief = self.get_initiatief()
        return {
            **super().get_initial(),
            "oordeel": initiatief.oordeel or None,
            "toelichting": initiatief.oordeel_toelichting,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        initiatief = _service_errors(
            form,
            lambda: services_verslag.oordeel_geven(
                initiatief=self.get_initiatief(),
                user=self.request.user,
                expected_versie=data["versie"],
                oordeel=data["oordeel"],
                toelichting=data["toelichting"],
            ),
        )
        if initiatief is None:
            return self.form_invalid(form)
        return self.klaar(
            _("Het oordeel over ‘%(titel)s’ is opgeslagen: %(oordeel)s.")
            % {"titel": initiatief.titel, "oordeel": initiatief.get_oordeel_display()}
        )


class StadsoverzichtView(LoginRequiredMixin, TemplateView):
    """Per werkgebied the realised / carried over / dropped shares of a year, and the city's
    total, for the council and the beheerder."""

    template_name = "cycle/verslag/stadsoverzicht.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("cycle.view_stadsoverzicht"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        jaar = self.kwargs["jaar"]
        volgend = jaar + 1 if jaar < timezone.localdate().year + 1 else None

        def render():
            return render_to_string(
                "cycle/verslag/_stadsoverzicht_inhoud.html",
                {
                    "overzicht": selectors_verslag.stadsoverzicht(jaar),
                    "streefwaarde": selectors_verslag.STREEFWAARDE_OORDEEL,
                    "vorig": jaar - 1,
                    "volgend": volgend,
                },
                request=self.request,
            )

        return super().get_context_data(
            # The same for every reader, figures and table alike; kept under the public
            # version (every end, carry-over and judgement is audited and so bumps it), per
            # language and per link to the next year.
            inhoud=mark_safe(  # noqa: S308 - our own template's HTML
                memoised(f"stadsoverzicht-html:{jaar}:{get_language()}:{volgend}", render)
            ),
            **kwargs,
        )
