"""Pages of the execution year: an initiative's public page with its progress, a progress
update (one, or a whole list at once), and the knelpunten (raised, resolved, listed per
cycle). Thin: reads come from ``cycle.selectors_uitvoering``, writes from
``cycle.services_programma``, which checks permission, phase and version again."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import memoised_form_fragment, pagina_param
from people.roles import active_assignments

from . import selectors_uitvoering, selectors_wijkmt, services, services_programma
from .forms_uitvoering import (
    PER_PAGINA,
    KnelpuntForm,
    OplossenForm,
    VoortgangForm,
    VoortgangFormSet,
)
from .models import Knelpunt
from .panels import panels, user_panels
from .views import CyclusMixin

VOORTGANG_PER_PAGINA = 20
KNELPUNTEN_PER_PAGINA = 20


def _weiger(request):
    """No right to this page: sign in first, or 403 when signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _detail_url(initiatief, anker: str = "") -> str:
    cyclus = initiatief.wijkprogramma.cyclus
    url = reverse(
        "initiatief-detail",
        kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "pk": initiatief.pk},
    )
    return f"{url}#{anker}" if anker else url


def _service_fout(form, exc) -> None:
    """Put what the service refused next to the form's fields (or above them)."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    elif isinstance(exc, services.TransitionError):
        form.add_error(None, exc.message)
    elif isinstance(exc, PermissionDenied):
        form.add_error(None, _("U mag over dit initiatief geen voortgang (meer) melden."))


class InitiatiefMixin:
    """The initiative named in the URL, with its programme, cycle, werkgebied, agendapunt and
    owner (one query); 404 when it is not of this cycle."""

    def get_initiatief(self):
        if not hasattr(self, "_initiatief"):
            self._initiatief = selectors_uitvoering.initiatief(
                slug=self.kwargs["slug"], jaar=self.kwargs["jaar"], pk=self.kwargs["pk"]
            )
            if self._initiatief is None:
                raise Http404
        return self._initiatief

    def get_permission_object(self):
        return self.get_initiatief()

    def get_context_data(self, **kwargs):
        initiatief = self.get_initiatief()
        return super().get_context_data(
            initiatief=initiatief,
            product=initiatief.wijkprogramma,
            cyclus=initiatief.wijkprogramma.cyclus,
            **kwargs,
        )


class InitiatiefDetailView(InitiatiefMixin, TemplateView):
    """The public page of an initiative: what, who, when and how much, its execution status
    and the history of its progress; the knelpunten for those involved."""

    template_name = "cycle/uitvoering/initiatief_detail.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.view_product", self.get_initiatief().wijkprogramma):
            return _weiger(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiatief = self.get_initiatief()
        user = self.request.user
        mag_knelpunten_zien = user.has_perm("cycle.view_knelpunten", initiatief)
        knelpunten = selectors_uitvoering.knelpunten(initiatief) if mag_knelpunten_zien else []
        # The wijk-MT's decisions about it or its knelpunten, for the same readers.
        besluiten = (
            selectors_wijkmt.besluiten_bij_initiatief(initiatief) if mag_knelpunten_zien else []
        )
        for knelpunt in knelpunten:
            knelpunt.mag_oplossen = knelpunt.is_open and user.has_perm(
                "cycle.resolve_knelpunt", knelpunt
            )
            knelpunt.wijkmt_besluiten = [b for b in besluiten if b.knelpunt_id == knelpunt.pk]
        context.update(
            besluiten=besluiten,
            mag_wijkmt=user.has_perm("cycle.view_wijkmt", initiatief),
            voortgang=Paginator(
                selectors_uitvoering.voortgang(initiatief), VOORTGANG_PER_PAGINA
            ).get_page(self.request.GET.get("pagina")),
            mag_melden=user.has_perm("cycle.report_initiatief", initiatief),
            mag_knelpunten_zien=mag_knelpunten_zien,
            # The cycle's whole list is for those involved (a trekker sees their own only).
            mag_alle_knelpunten=mag_knelpunten_zien
            and user.has_perm("cycle.view_knelpunten", initiatief.wijkprogramma.cyclus),
            mag_knelpunt_melden=user.has_perm("cycle.raise_knelpunt", initiatief),
            knelpunten=knelpunten,
            open_knelpunten=sum(1 for k in knelpunten if k.is_open),
            # What other apps show of it (the meldingen that led to it, following it).
            panels=panels("initiatief", initiatief)
            + user_panels(
                "initiatief",
                initiatief,
                self.request,
                # No token for an anonymous visitor: the page is kept in the public cache.
                get_token(self.request) if user.is_authenticated else "",
            ),
        )
        return context


class VoortgangView(InitiatiefMixin, PermissionRequiredMixin, FormView):
    """One progress update, with an optional change of status."""

    template_name = "cycle/uitvoering/voortgang_form.html"
    form_class = VoortgangForm
    permission_required = "cycle.report_initiatief"

    def get_initial(self):
        return {"versie": self.get_initiatief().versie}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initiatief": self.get_initiatief()}

    def form_valid(self, form):
        initiatief = self.get_initiatief()
        update = services_programma.Update(initiatief=initiatief, **form.update_velden())
        try:
            services_programma.voortgang_melden(user=self.request.user, update=update)
        except services.StaleStateError:
            # Updated by someone else after the form checked the version.
            form.meld_verouderd()
            return self.form_invalid(form)
        except (ValidationError, services.TransitionError) as exc:
            _service_fout(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De voortgang van ‘%(titel)s’ is opgeslagen.") % {"titel": initiatief.titel},
        )
        return redirect(_detail_url(initiatief, "voortgang"))


class VoortgangBulkView(LoginRequiredMixin, TemplateView):
    """All initiatives a user reports on, one form (a row each, a page of ``PER_PAGINA``):
    every filled row is saved, or none."""

    template_name = "cycle/uitvoering/voortgang_bulk.html"
    prefix = "rij"

    def get_lijst(self):
        user = self.request.user
        return selectors_uitvoering.te_melden(user, active_assignments(user))

    def get_pagina(self):
        return Paginator(self.get_lijst(), PER_PAGINA).get_page(pagina_param(self.request))

    def get(self, request, *args, **kwargs):
        """The empty form, kept for this user alone under the public version: every update
        is audited and so bumps it (see ``memoised_form_fragment``). Rendering some thirty
        rows of inputs is what this page costs."""
        nummer = pagina_param(request)

        def render(csrf_token):
            pagina = self.get_pagina()
            rijen = list(pagina)
            formset = VoortgangFormSet(
                prefix=self.prefix,
                initial=[{"initiatief_id": i.pk, "versie": i.versie} for i in rijen],
                initiatieven=rijen,
            )
            return render_to_string(
                "cycle/uitvoering/_voortgang_bulk_inhoud.html",
                {"formset": formset, "pagina": pagina, "csrf_token": csrf_token},
                request=request,
            )

        inhoud = memoised_form_fragment(
            request,
            "voortgang-bulk",
            render,
            # Only the page number varies it: nothing else in the query string can fill the
            # cache with variants.
            vary_on=[nummer],
        )
        return self.render_to_response(self.get_context_data(inhoud=inhoud))

    def _geposte_initiatieven(self, data) -> list:
        """The initiative of each posted row, by the id it carries; only those on the user's
        own list (None for any other)."""
        try:
            aantal = int(data.get(f"{self.prefix}-TOTAL_FORMS", 0))
        except (TypeError, ValueError):
            aantal = 0
        aantal = max(0, min(aantal, PER_PAGINA))
        ids = []
        for index in range(aantal):
            waarde = data.get(f"{self.prefix}-{index}-initiatief_id", "")
            ids.append(
                int(waarde) if waarde.isascii() and waarde.isdigit() and len(waarde) < 10 else None
            )
        gevonden = {
            i.pk: i for i in self.get_lijst().filter(pk__in=[pk for pk in ids if pk is not None])
        }
        return [gevonden.get(pk) for pk in ids]

    def post(self, request, *args, **kwargs):
        formset = VoortgangFormSet(
            request.POST,
            prefix=self.prefix,
            initiatieven=self._geposte_initiatieven(request.POST),
        )
        if formset.is_valid():
            ingevuld = formset.ingevuld()
            if not ingevuld:
                messages.info(
                    request,
                    _("U heeft niets ingevuld, dus er is niets opgeslagen."),
                )
                return redirect(request.get_full_path())
            updates = [
                services_programma.Update(initiatief=form.initiatief, **form.update_velden())
                for form in ingevuld
            ]
            try:
                opgeslagen = services_programma.voortgang_bulk(user=request.user, updates=updates)
            except services_programma.BulkFout as fout:
                for index, exc in fout.fouten.items():
                    form = ingevuld[index]
                    if isinstance(exc, services.StaleStateError):
                        form.meld_verouderd()
                    else:
                        _service_fout(form, exc)
                    form.markeer_fouten()
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d voortgangsupdate is opgeslagen.",
                        "%(n)d voortgangsupdates zijn opgeslagen.",
                        len(opgeslagen),
                    )
                    % {"n": len(opgeslagen)},
                )
                return redirect(request.get_full_path())
        return self.render_to_response(
            self.get_context_data(formset=formset, pagina=self.get_pagina())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = context.get("formset")
        if formset is None:  # the kept empty form
            return context
        # The rows with an error, for the summary above the table.
        foutieve = [form for form in formset.forms if form.is_bound and form.errors]
        context.update(
            foutieve=foutieve,
            toon_fouten=formset.is_bound and bool(foutieve or formset.non_form_errors()),
        )
        return context


class KnelpuntMeldenView(InitiatiefMixin, PermissionRequiredMixin, FormView):
    """POST from the initiative's page (or this small page): raise a knelpunt."""

    template_name = "cycle/uitvoering/knelpunt_melden.html"
    form_class = KnelpuntForm
    permission_required = "cycle.raise_knelpunt"

    def form_valid(self, form):
        initiatief = self.get_initiatief()
        beschrijving = form.cleaned_data["beschrijving"]
        # A double submit does not raise the same knelpunt twice.
        if Knelpunt.objects.filter(
            initiatief=initiatief,
            gemeld_door=self.request.user,
            beschrijving=beschrijving,
            opgelost_op__isnull=True,
        ).exists():
            messages.info(self.request, _("Dit knelpunt had u al gemeld."))
            return redirect(_detail_url(initiatief, "knelpunten"))
        try:
            knelpunt = services_programma.knelpunt_melden(
                initiatief=initiatief, user=self.request.user, beschrijving=beschrijving
            )
        except (ValidationError, services.TransitionError) as exc:
            _service_fout(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Het knelpunt bij ‘%(titel)s’ is gemeld; de wijkmanager ziet het.")
            % {"titel": initiatief.titel},
        )
        return redirect(_detail_url(initiatief, f"knelpunt-{knelpunt.pk}"))


class KnelpuntOplossenView(PermissionRequiredMixin, FormView):
    """Close a knelpunt with a note on how it was resolved."""

    template_name = "cycle/uitvoering/knelpunt_oplossen.html"
    form_class = OplossenForm
    permission_required = "cycle.resolve_knelpunt"

    def get_knelpunt(self) -> Knelpunt:
        if not hasattr(self, "_knelpunt"):
            self._knelpunt = (
                Knelpunt.objects.select_related(
                    "initiatief__wijkprogramma__cyclus__werkgebied__gebied",
                    "initiatief__wijkprogramma__cyclus__werkgebied__taakverdeling",
                    "gemeld_door",
                )
                .defer(
                    "initiatief__wijkprogramma__toelichting",
                    "initiatief__wijkprogramma__bestedingsvoorstel",
                )
                .filter(
                    pk=self.kwargs["pk"],
                    initiatief__wijkprogramma__cyclus__werkgebied__slug=self.kwargs["slug"],
                    initiatief__wijkprogramma__cyclus__jaar=self.kwargs["jaar"],
                )
                .first()
            )
            if self._knelpunt is None:
                raise Http404
        return self._knelpunt

    def get_permission_object(self):
        return self.get_knelpunt()

    def terug(self, naar: str = "initiatief"):
        knelpunt = self.get_knelpunt()
        cyclus = knelpunt.initiatief.wijkprogramma.cyclus
        if naar == "lijst":
            return redirect(
                reverse("knelpunten", kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar})
                + f"#knelpunt-{knelpunt.pk}"
            )
        return redirect(_detail_url(knelpunt.initiatief, f"knelpunt-{knelpunt.pk}"))

    def get(self, request, *args, **kwargs):
        if not self.get_knelpunt().is_open:
            messages.info(request, _("Dit knelpunt is al opgelost."))
            return self.terug()
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"terug": self.request.GET.get("terug", "initiatief")}

    def get_context_data(self, **kwargs):
        knelpunt = self.get_knelpunt()
        initiatief = knelpunt.initiatief
        return super().get_context_data(
            knelpunt=knelpunt,
            initiatief=initiatief,
            product=initiatief.wijkprogramma,
            cyclus=initiatief.wijkprogramma.cyclus,
            **kwargs,
        )

    def form_valid(self, form):
        knelpunt = self.get_knelpunt()
        try:
            services_programma.knelpunt_oplossen(
                knelpunt=knelpunt, user=self.request.user, oplossing=form.cleaned_data["oplossing"]
            )
        except ValidationError as exc:
            _service_fout(form, exc)
            return self.form_invalid(form)
        except services.TransitionError as exc:
            # Resolved in another tab, or by someone else: nothing to do.
            messages.info(self.request, exc.message)
            return self.terug(form.cleaned_data["terug"])
        messages.success(
            self.request,
            _("Het knelpunt bij ‘%(titel)s’ is opgelost.") % {"titel": knelpunt.initiatief.titel},
        )
        return self.terug(form.cleaned_data["terug"])


class KnelpuntenView(CyclusMixin, TemplateView):
    """The knelpunten of one cycle, open ones first: the wijk-MT's list. For those involved in
    the werkgebied only."""

    template_name = "cycle/uitvoering/knelpunten.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.view_knelpunten", self.get_cyclus()):
            return _weiger(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cyclus = self.get_cyclus()
        programma = getattr(cyclus, "wijkprogramma", None)
        pagina = Paginator(
            selectors_uitvoering.knelpunten_van_cyclus(cyclus), KNELPUNTEN_PER_PAGINA
        ).get_page(self.request.GET.get("pagina"))
        user = self.request.user
        for knelpunt in pagina:
            if programma is not None:
                # The permission walks to the werkgebied through objects already loaded.
                programma.cyclus = cyclus
                knelpunt.initiatief.wijkprogramma = programma
            knelpunt.mag_oplossen = knelpunt.is_open and user.has_perm(
                "cycle.resolve_knelpunt", knelpunt
            )
        per_knelpunt = selectors_wijkmt.besluiten_per_knelpunt(k.pk for k in pagina)
        for knelpunt in pagina:
            knelpunt.wijkmt_besluiten = per_knelpunt.get(knelpunt.pk, [])
        context.update(
            mag_wijkmt=user.has_perm("cycle.view_wijkmt", cyclus),
            cyclus=cyclus,
            product=programma,
            knelpunten=pagina,
            open_aantal=selectors_uitvoering.open_knelpunten_aantal(cyclus),
        )
        return context
