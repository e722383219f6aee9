"""Pages of the werkcyclus: the public wijk, werkgebied and cycle pages, the products, the
steps a wijkmanager takes, and each user's start page. Thin: reads come from selectors,
writes from services, permissions from ``cycle.rules``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import (
    memoised,
    memoised_for_user,
    memoised_form_fragment,
    pagina_param,
)
from people.models import Rol
from people.roles import active_assignments
from places.barometer import barometer_werkgebied, barometer_wijk
from places.models import Werkgebied, Wijk, WijkprofielScore
from places.selectors import werkgebied_kerncijfers

from . import selectors, selectors_akkoord, selectors_voortgang, services
from .forms import (
    OpmerkingForm,
    PlanningForm,
    TransitionForm,
    WerkcyclusForm,
    WijkKiezenForm,
    product_form_class,
)
from .mijn_werk import extra_secties
from .models import WERKFASEN, Fase, Werkcyclus
from .panels import panels, user_panels

PAGE_SIZE = 20


def _page(request, queryset, size=PAGE_SIZE, param="pagina"):
    return Paginator(queryset, size).get_page(pagina_param(request, param))


class HomeView(TemplateView):
    template_name = "cycle/home.html"

    def get(self, request, *args, **kwargs):
        # Bound only when a wijk was asked for: other parameters (a campaign tag, say) must
        # not produce an error on the start page.
        form = WijkKiezenForm(request.GET if "wijk" in request.GET else None)
        if form.is_bound and form.is_valid():
            return redirect("wijk-detail", slug=form.cleaned_data["wijk"])
        return self.render_to_response(self.get_context_data(form=form))

    # However many cycles run, the start page lists at most this many per phase (and this many
    # consultations), each list with a link to all of them.
    PER_FASE = 8
    CONSULTATIES = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultaties = selectors.in_consultatie()
        context.update(
            fasen=selectors.lopende_cycli_per_fase(limit=self.PER_FASE),
            consultaties=list(consultaties[: self.CONSULTATIES]),
            consultaties_aantal=consultaties.count(),
            gepubliceerd=selectors.recent_gepubliceerd(),
        )
        return context


class LopendeCycliView(TemplateView):
    """Every running cycle, grouped per phase (or of one phase), paginated: where the start
    page's "alle ..." links lead."""

    template_name = "cycle/lopende_cycli.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fase = kwargs.get("fase")
        if fase is not None and fase not in WERKFASEN:
            raise Http404
        context.update(
            fase=Fase(fase) if fase else None,
            fasen=WERKFASEN,
            cycli=_page(self.request, selectors.lopende_cycli(fase), size=50),
        )
        return context


class TerConsultatieView(TemplateView):
    """Every product now in consultation, most recently changed first, paginated."""

    template_name = "cycle/ter_consultatie.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["producten"] = _page(self.request, selectors.in_consultatie())
        return context


class WijkDetailView(TemplateView):
    template_name = "cycle/wijk_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wijk = get_object_or_404(
            Wijk.objects.select_related("gebied", "werkgebied__wijkraad").prefetch_related(
                Prefetch("wijkprofiel", queryset=WijkprofielScore.objects.order_by("jaar"))
            ),
            slug=kwargs["slug"],
        )
        scores = list(wijk.wijkprofiel.all())
        context.update(
            wijk=wijk,
            scores=scores,
            laatste=scores[-1] if scores else None,
            barometer=barometer_wijk(wijk),
            panels=panels("wijk", wijk),
        )
        if wijk.werkgebied_id:
            context["cycli"] = _page(
                self.request,
                selectors.cycli().filter(werkgebied_id=wijk.werkgebied_id).order_by("-jaar"),
                size=10,
            )
        return context


class WerkgebiedDetailView(TemplateView):
    template_name = "cycle/werkgebied_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        werkgebied = get_object_or_404(
            Werkgebied.objects.select_related("gebied", "wijkraad").prefetch_related(
                Prefetch(
                    "wijken",
                    queryset=Wijk.objects.order_by("naam").prefetch_related("wijkprofiel"),
                )
            ),
            slug=kwargs["slug"],
        )
        context.update(
            werkgebied=werkgebied,
            kerncijfers=werkgebied_kerncijfers(list(werkgebied.wijken.all())),
            barometer=barometer_werkgebied(werkgebied),
            cycli=_page(
                self.request,
                selectors.cycli().filter(werkgebied=werkgebied).order_by("-jaar"),
                size=10,
            ),
            mag_starten=self.request.user.has_perm("cycle.add_werkcyclus", werkgebied),
            mag_wijkmt=self.request.user.has_perm("cycle.view_wijkmt", werkgebied),
            akkoorden=selectors_akkoord.akkoorden_van(werkgebied, self.request.user),
            mag_akkoord=self.request.user.has_perm("cycle.draft_wijkakkoord", werkgebied),
            panels=panels("werkgebied", werkgebied),
        )
        return context


class CyclusMixin:
    """Loads the cycle named in the URL with its werkgebied and products (one query; for a
    read-only request kept under the public version, which every change to a cycle or its
    products bumps, as they are audited: see ``memoised``)."""

    def get_cyclus(self):
        if not hasattr(self, "_cyclus"):
            slug, jaar = self.kwargs["slug"], self.kwargs["jaar"]
            self._cyclus = memoised(
                f"cycle.cyclus:{slug}:{jaar}",
                lambda: selectors.cycli().filter(werkgebied__slug=slug, jaar=jaar).first(),
            )
            if self._cyclus is None:
                raise Http404
        return self._cyclus


class WerkcyclusDetailView(CyclusMixin, TemplateView):
    template_name = "cycle/werkcyclus_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cyclus = self.get_cyclus()
        user = self.request.user
        mag_concepten_zien = user.has_perm("cycle.view_concept", cyclus)
        context.update(
            cyclus=cyclus,
            werkgebied=cyclus.werkgebied,
            tijdlijn=selectors.tijdlijn(cyclus),
            producten=[
                {"product": p, "zichtbaar": user.has_perm("cycle.view_product", p)}
                for p in cyclus.producten()
            ],
            stappen=selectors.volgende_stappen(cyclus, user, state_field="fase"),
            mag_plannen=user.has_perm("cycle.change_planning", cyclus),
            # The report of the execution year, once there is one, for who may read the
            # programme.
            toon_twaalfmaanden=cyclus.fase in (Fase.UITVOERING, Fase.VERANTWOORDING, Fase.AFGEROND)
            and user.has_perm("cycle.view_product", cyclus.wijkprogramma),
            # The public sees the events of what is public only, and names (or roles), never
            # e-mail addresses; those involved see everything.
            geschiedenis=_page(
                self.request,
                selectors.werkcyclus_history(cyclus, alleen_openbaar=not mag_concepten_zien),
            ),
            te_laat=selectors.is_te_laat(cyclus),
            # What the apps above add for this cycle (the participation plan, meetings...):
            # public data only, the page is kept for anonymous visitors.
            panels=panels("cyclus", cyclus),
            wijkakkoord=selectors_akkoord.akkoord_voor_jaar(cyclus.werkgebied, cyclus.jaar, user),
            # The initiatives' progress, for residents following the execution year.
            initiatieven=_page(
                self.request,
                selectors_voortgang.initiatieven_voortgang(cyclus),
                param="initiatieven",
            )
            if selectors_voortgang.toont_voortgang(cyclus, user)
            else None,
        )
        return context


class WerkcyclusCreateView(PermissionRequiredMixin, FormView):
    template_name = "cycle/werkcyclus_form.html"
    form_class = WerkcyclusForm
    permission_required = "cycle.add_werkcyclus"

    def get_permission_object(self):
        if not hasattr(self, "_werkgebied"):
            self._werkgebied = get_object_or_404(
                Werkgebied.objects.select_related("gebied"), slug=self.kwargs["slug"]
            )
        return self._werkgebied

    def get_context_data(self, **kwargs):
        return super().get_context_data(werkgebied=self.get_permission_object(), **kwargs)

    def get_initial(self):
        return {"jaar": selectors.eerste_vrije_jaar(self.get_permission_object())}

    def form_valid(self, form):
        try:
            cyclus = services.werkcyclus_create(
                werkgebied=self.get_permission_object(),
                jaar=form.cleaned_data["jaar"],
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De cyclus %(cyclus)s is gestart.") % {"cyclus": cyclus})
        return redirect(cyclus)


class PlanningUpdateView(CyclusMixin, PermissionRequiredMixin, FormView):
    template_name = "cycle/planning_form.html"
    form_class = PlanningForm
    permission_required = "cycle.plan_werkcyclus"

    def get_permission_object(self):
        return self.get_cyclus()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_cyclus()
        kwargs["initial"] = {"versie": self.get_cyclus().versie}
        return kwargs

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.change_planning", self.get_cyclus()):
            messages.info(request, _("De planning van een afgeronde cyclus ligt vast."))
            return redirect(self.get_cyclus())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cyclus=self.get_cyclus(), **kwargs)

    def form_valid(self, form):
        try:
            services.werkcyclus_plan(
                cyclus=self.get_cyclus(),
                user=self.request.user,
                planning={name: form.cleaned_data[name] for name in form.Meta.fields},
                expected_versie=form.cleaned_data["versie"],
            )
        except services.TransitionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("De planning is opgeslagen."))
        return redirect(self.get_cyclus())


class StepView(PermissionRequiredMixin, FormView):
    """POST only: take one step (a state transition) on the object named in the URL."""

    http_method_names = ["post"]
    form_class = TransitionForm

    def get_target(self):
        raise NotImplementedError

    def take_step(self, target, data: dict):
        raise NotImplementedError

    def success_message(self, target) -> str:
        raise NotImplementedError

    def get_permission_object(self):
        return self.get_target()

    def form_valid(self, form):
        target = self.get_target()
        try:
            target = self.take_step(target, form.cleaned_data)
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(self.request, self.success_message(target))
        return redirect(target)

    def form_invalid(self, form):
        messages.error(self.request, _("Deze stap kon niet worden verwerkt. Probeer het opnieuw."))
        return redirect(self.get_target())


class WerkcyclusTransitionView(CyclusMixin, StepView):
    permission_required = "cycle.advance_werkcyclus"

    def get_target(self):
        return self.get_cyclus()

    def take_step(self, target, data):
        return services.werkcyclus_transition(
            cyclus_id=target.pk,
            user=self.request.user,
            transition=data["overgang"],
            expected_fase=data["verwacht"],
            expected_versie=data["versie"],
            reden=data["reden"],
        )

    def success_message(self, target):
        return _("De cyclus is nu in de fase ‘%(fase)s’.") % {"fase": target.get_fase_display()}


class ProductMixin(CyclusMixin):
    """The product named in the URL (or ``soort``, for pages of one kind of product) with
    its cycle and werkgebied."""

    soort = None

    def get_cyclus(self):
        # A product's pages need the cycle and its werkgebied, not the other three products:
        # a join of nine tables costs PostgreSQL more to plan than to run.
        if not hasattr(self, "_cyclus"):
            self._cyclus = get_object_or_404(
                Werkcyclus.objects.select_related(
                    "werkgebied__taakverdeling", "werkgebied__gebied"
                ),
                werkgebied__slug=self.kwargs["slug"],
                jaar=self.kwargs["jaar"],
            )
        return self._cyclus

    def get_product(self):
        if not hasattr(self, "_product"):
            soort = self.soort or self.kwargs["soort"]
            if soort not in selectors.PRODUCT_PER_SOORT:
                raise Http404
            # Read for everyone alike, so kept under the public version for the signed-in
            # pages (a read-only request only; see ``memoised``): every change to a cycle or
            # product is audited and so bumps that version. Not found is never kept.
            self._product = memoised(
                f"cycle.product:{self.kwargs['slug']}:{self.kwargs['jaar']}:{soort}",
                lambda: selectors.product(self.get_cyclus(), soort),
            )
            if self._product is None:
                raise Http404
            self._cyclus = self._product.cyclus
        return self._product


class ProductDetailView(ProductMixin, TemplateView):
    template_name = "cycle/product_detail.html"

    def get(self, request, *args, **kwargs):
        product = self.get_product()
        if not request.user.has_perm("cycle.view_product_page", product):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        mag_lezen = self.request.user.has_perm("cycle.view_product", product)
        context.update(
            product=product,
            # Who may not read a correction in progress sees no title it may be given either.
            titel=product.titel if mag_lezen else product.algemene_titel(),
            cyclus=product.cyclus,
            pagina_inhoud=self.render_inhoud(product, mag_lezen=mag_lezen),
        )
        return context

    def render_inhoud(self, product, *, mag_lezen: bool) -> str:
        """Everything under the page's heading (``cycle/_product_inhoud.html``): the content,
        the panels, the comments and the next steps, kept for this user alone under the public
        version (see ``memoised_form_fragment``): every change to the content, the comments,
        the checklist, the meldingen, a publication or a role is audited and so bumps it."""
        user = self.request.user

        def render(csrf_token):
            context = {
                **self.kwargs,
                "product": product,
                "cyclus": product.cyclus,
                "csrf_token": csrf_token,
                "stappen": selectors.volgende_stappen(product, user, state_field="status"),
                "mag_bewerken": user.has_perm("cycle.edit_product", product),
                # Reopened for a correction: who may not read the new text sees the published
                # versions only (in the panels).
                "mag_lezen": mag_lezen,
                "inhoud": selectors.product_inhoud(product, user) if mag_lezen else None,
                "inhoud_template": f"cycle/inhoud/{product.SOORT}.html",
                # Comments on concepts are for those involved, never public.
                "opmerkingen": selectors.opmerkingen(product)
                if user.has_perm("cycle.view_concept", product)
                else None,
                "opmerking_form": OpmerkingForm()
                if user.has_perm("cycle.comment_product", product)
                else None,
                "panels": panels("product", product)
                + user_panels("product", product, self.request, csrf_token),
            }
            return render_to_string("cycle/_product_inhoud.html", context, request=self.request)

        return memoised_form_fragment(
            self.request,
            f"product-pagina:{product.SOORT}:{product.pk}",
            render,
            vary_on=[product.versie, product.status],
        )


class ProductUpdateView(ProductMixin, PermissionRequiredMixin, FormView):
    template_name = "cycle/product_form.html"

    def get_permission_required(self):
        # Who drafts depends on the kind of product and the werkgebied's task division.
        return [f"cycle.draft_{self.get_product().SOORT}"]

    def get_permission_object(self):
        return self.get_product()

    def get_form_class(self):
        return product_form_class(type(self.get_product()))

    def get_form_kwargs(self):
        product = self.get_product()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = product
        kwargs["initial"] = {"versie": product.versie}
        return kwargs

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.edit_product", self.get_product()):
            messages.info(request, _("Dit stuk kan in deze fase of status niet worden gewijzigd."))
            return redirect(self.get_product())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        product = self.get_product()
        return super().get_context_data(product=product, cyclus=product.cyclus, **kwargs)

    def form_valid(self, form):
        product = self.get_product()
        data = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            services.product_update(
                product=product,
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                data=data,
            )
        except services.TransitionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(titel)s is opgeslagen.") % {"titel": data["titel"]})
        return redirect(product)


class ProductTransitionView(ProductMixin, StepView):
    permission_required = "cycle.step_product"

    def get_target(self):
        return self.get_product()

    def take_step(self, target, data):
        return services.product_transition(
            product=target,
            user=self.request.user,
            transition=data["overgang"],
            expected_status=data["verwacht"],
            expected_versie=data["versie"],
            reden=data["reden"],
            bevestigd=data["bevestigd"],
            besluitreferentie=data["besluitreferentie"],
        )

    def success_message(self, target):
        return _("%(titel)s heeft nu de status ‘%(status)s’.") % {
            "titel": target.titel,
            "status": target.get_status_display(),
        }


class ProductOpmerkingView(ProductMixin, PermissionRequiredMixin, FormView):
    """POST only: place a comment on a concept product."""

    http_method_names = ["post"]
    form_class = OpmerkingForm
    permission_required = "cycle.comment_product"

    def get_permission_object(self):
        return self.get_product()

    def handle_no_permission(self):
        product = self.get_product()
        if self.request.user.is_authenticated and self.request.user.has_perm(
            "cycle.view_concept", product
        ):
            # Involved, but the product is no longer a concept (adopted in another tab).
            messages.error(
                self.request, _("Bij dit stuk kunnen geen opmerkingen meer worden geplaatst.")
            )
            return redirect(product)
        return super().handle_no_permission()

    def form_invalid(self, form):
        for error in form.errors.get("tekst", []):
            messages.error(self.request, error)
        return redirect(f"{self.get_product().get_absolute_url()}#opmerkingen")

    def form_valid(self, form):
        product = self.get_product()
        try:
            services.opmerking_plaatsen(
                product=product, user=self.request.user, tekst=form.cleaned_data["tekst"]
            )
        except ValidationError as exc:
            for error in exc.message_dict.get("tekst", exc.messages):
                messages.error(self.request, error)
        else:
            messages.success(self.request, _("Uw opmerking is geplaatst."))
        return redirect(f"{product.get_absolute_url()}#opmerkingen")


# (role, page parameter, heading, text when empty) of each section of "Mijn werk".
MIJN_WERK_SECTIES = [
    (
        Rol.WIJKMANAGER,
        "wm",
        gettext_lazy("Cycli van mijn werkgebieden"),
        gettext_lazy("U heeft geen lopende cycli. Start er een op de pagina van uw werkgebied."),
    ),
    (
        Rol.WIJKRAADSLID,
        "wr",
        gettext_lazy("Cycli van mijn wijkraad"),
        gettext_lazy("Er loopt nu geen cyclus in uw werkgebied."),
    ),
    (
        Rol.ACCOUNTHOUDER,
        "ah",
        gettext_lazy("Cycli in mijn gebied"),
        gettext_lazy("Er loopt nu geen cyclus in uw gebied."),
    ),
]


class MijnWerkView(LoginRequiredMixin, TemplateView):
    """Start page per role: what this user may act on now.

    Its content is a fragment kept for this user alone under the public version (see
    ``memoised_for_user``): reloading the page costs no query for the cycles until something
    changes. The page around it (the CSRF token of the logout form, messages) is rendered anew
    every time, and the page itself is never cached."""

    template_name = "cycle/mijn_werk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only page numbers vary the fragment: anything else in the query string is ignored,
        # so no one can fill the cache with variants of their own page.
        pages = [pagina_param(self.request, param) for _, param, _, _ in MIJN_WERK_SECTIES]
        # A sign-in changes what is new since the last one (see people.services).
        login = self.request.user.last_login
        context["inhoud"] = memoised_for_user(
            self.request.user,
            "mijn-werk",
            self.render_inhoud,
            vary_on=[*pages, login.isoformat() if login else ""],
        )
        return context

    def render_inhoud(self):
        user = self.request.user
        toewijzingen = active_assignments(user)
        rollen = {a.rol for a in toewijzingen}
        secties = [
            {
                "rol": rol,
                "param": param,
                "titel": titel,
                "leeg": leeg,
                "cycli": _page(self.request, selectors.cycli_voor_rol(user, rol), param=param),
            }
            for rol, param, titel, leeg in MIJN_WERK_SECTIES
            if rol in rollen
        ]
        return render_to_string(
            "cycle/_mijn_werk_inhoud.html",
            {
                "secties": secties,
                "toewijzingen": toewijzingen,
                "is_raad": Rol.RAAD in rollen,
                "is_beheerder": Rol.BEHEERDER in rollen or user.is_superuser,
                "gepubliceerd": selectors.recent_gepubliceerd() if Rol.RAAD in rollen else [],
                # The last two programme years (the one being accounted for, and the one
                # before).
                "twaalfmaanden_jaren": [
                    timezone.localdate().year - 1,
                    timezone.localdate().year - 2,
                ],
                "extra": extra_secties(user, toewijzingen),
            },
        )
