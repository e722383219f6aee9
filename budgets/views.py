"""Pages of the wijkbudget, per werkgebied and year:

- the public budget page (totals per part, the awarded actions and initiatives by title and
  amount; never who applied or who booked);
- setting the budget (beheerder);
- the knelpuntenbudget (the werkgebied's wijkmanager: reserve, then pay or release);
- the ledger (wijk-MT, wijkmanager, beheerder), paginated, and its CSV export, streamed.

Thin: reads from ``selectors``, writes through ``services``; permissions from ``rules``."""

import csv
import io

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cycle.views import _page
from places.models import Werkgebied

from . import selectors, services
from .forms import BetalenForm, BudgetForm, CorrigerenForm, ReserverenForm, VrijgevenForm
from .models import Boeking, Boekingsoort, Bron, Budget, Deelsoort

PAGE_SIZE = 50


def _service_errors(form, call):
    """Run ``call``; put what the service refuses next to the form's fields."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


class BudgetMixin:
    def get_werkgebied(self) -> Werkgebied:
        if not hasattr(self, "_werkgebied"):
            jaar = self.kwargs["jaar"]
            if not 2000 <= jaar <= 2100:
                raise Http404
            self._werkgebied = get_object_or_404(
                Werkgebied.objects.select_related("gebied"), slug=self.kwargs["slug"]
            )
        return self._werkgebied

    def get_permission_object(self):
        return self.get_werkgebied()

    def urls(self):
        args = [self.kwargs["slug"], self.kwargs["jaar"]]
        return {
            naam: reverse(f"budgets:{naam}", args=args)
            for naam in ("publiek", "instellen", "knelpunten", "grootboek", "export")
        }


class PubliekView(BudgetMixin, TemplateView):
    """Public: the same for every visitor except the links to what their role allows."""

    template_name = "budgets/publiek.html"

    def get_context_data(self, **kwargs):
        # The URL's own arguments (slug, jaar) come in too: they are passed explicitly.
        kwargs = {k: v for k, v in kwargs.items() if k not in self.kwargs}
        werkgebied = self.get_werkgebied()
        jaar = self.kwargs["jaar"]
        user = self.request.user
        return super().get_context_data(
            werkgebied=werkgebied,
            jaar=jaar,
            jaarrekening=selectors.jaarrekening(werkgebied, jaar),
            andere_jaren=[j for j in selectors.jaren(werkgebied) if j != jaar],
            urls=self.urls(),
            mag_instellen=user.has_perm("budgets.set_budget", werkgebied),
            mag_knelpunten=user.has_perm("budgets.book_knelpunt", werkgebied),
            mag_grootboek=user.has_perm("budgets.view_grootboek", werkgebied),
            **kwargs,
        )


class InstellenView(BudgetMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "budgets.set_budget"
    template_name = "budgets/instellen.html"

    def _budget(self):
        return (
            Budget.objects.filter(werkgebied=self.get_werkgebied(), jaar=self.kwargs["jaar"])
            .prefetch_related("delen")
            .first()
        )

    def _initial(self, budget):
        initial = {"versie": budget.versie if budget else None}
        for deel in budget.delen.all() if budget else ():
            initial[deel.soort] = f"{deel.bedrag:.2f}".replace(".", ",")
        return initial

    def get(self, request, *args, **kwargs):
        budget = self._budget()
        form = BudgetForm(initial=self._initial(budget))
        return self.render_to_response(self.get_context_data(form=form, budget=budget))

    def post(self, request, *args, **kwargs):
        form = BudgetForm(request.POST)
        budget = self._budget()
        if form.is_valid():
            data = form.cleaned_data
            gedaan = _service_errors(
                form,
                lambda: services.budget_vaststellen(
                    werkgebied=self.get_werkgebied(),
                    jaar=self.kwargs["jaar"],
                    bedragen={soort: data[soort] for soort in Deelsoort.values},
                    user=request.user,
                    reden=data.get("reden", ""),
                    expected_versie=data.get("versie") if budget else None,
                ),
            )
            if gedaan is not None:
                messages.success(request, _("Het budget is vastgesteld."))
                return redirect(self.urls()["publiek"])
        return self.render_to_response(self.get_context_data(form=form, budget=budget))

    def get_context_data(self, **kwargs):
        # The URL's own arguments (slug, jaar) come in too: they are passed explicitly.
        kwargs = {k: v for k, v in kwargs.items() if k not in self.kwargs}
        return super().get_context_data(
            werkgebied=self.get_werkgebied(), jaar=self.kwargs["jaar"], urls=self.urls(), **kwargs
        )


class KnelpuntenView(BudgetMixin, PermissionRequiredMixin, TemplateView):
    """The wijkmanager's knelpuntenbudget: what is available, the open reservations (each to
    pay or release) and the form to reserve a new expense."""

    permission_required = "budgets.book_knelpunt"
    template_name = "budgets/knelpunten.html"

    def _deel(self):
        deel = services.deel_van(self.get_werkgebied(), self.kwargs["jaar"], Deelsoort.KNELPUNTEN)
        if deel is None:
            raise Http404(_("Voor dit jaar is geen knelpuntenbudget vastgesteld."))
        return deel

    def _keuzes(self):
        knelpunt = apps.get_model("cycle", "Knelpunt")
        melding = apps.get_model("participation", "Melding")
        werkgebied = self.get_werkgebied()
        return {
            "knelpunten": knelpunt.objects.filter(
                initiatief__wijkprogramma__cyclus__werkgebied=werkgebied,
                initiatief__wijkprogramma__cyclus__jaar=self.kwargs["jaar"],
            )
            .select_related("initiatief")
            .order_by("-gemeld_op", "-pk"),
            "meldingen": melding.objects.filter(werkgebied=werkgebied),
        }

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        deel = self._deel()
        form = ReserverenForm(request.POST, **self._keuzes())
        if form.is_valid():
            data = form.cleaned_data
            knelpunt, melding = data.get("knelpunt"), data.get("melding")
            if knelpunt is not None:
                bron, bron_id = Bron.KNELPUNT, knelpunt.pk
                omschrijving = _("Knelpunt bij %(titel)s") % {"titel": knelpunt.initiatief.titel}
            else:
                bron, bron_id = Bron.MELDING, melding.pk
                omschrijving = _("Melding %(nummer)s") % {"nummer": melding.pk}
            gedaan = _service_errors(
                form,
                lambda: services.reserveren(
                    deel,
                    data["bedrag"],
                    user=request.user,
                    reden=data["reden"],
                    bron=bron,
                    bron_id=bron_id,
                    omschrijving=omschrijving,
                    knelpunt=knelpunt,
                    melding=melding,
                ),
            )
            if gedaan is not None:
                messages.success(request, _("Het bedrag is gereserveerd."))
                return redirect(self.urls()["knelpunten"])
        return self.render_to_response(self.get_context_data(form=form), status=200)

    def get_context_data(self, **kwargs):
        # The URL's own arguments (slug, jaar) come in too: they are passed explicitly.
        kwargs = {k: v for k, v in kwargs.items() if k not in self.kwargs}
        deel = self._deel()
        kwargs.setdefault("form", ReserverenForm(**self._keuzes()))
        reserveringen = _page(self.request, selectors.knelpunt_reserveringen(deel), 20)
        return super().get_context_data(
            werkgebied=self.get_werkgebied(),
            jaar=self.kwargs["jaar"],
            deel=deel,
            reserveringen=reserveringen,
            open_reserveringen=selectors.met_open(reserveringen.object_list),
            betalen_form=BetalenForm(),
            vrijgeven_form=VrijgevenForm(),
            urls=self.urls(),
            **kwargs,
        )


class KnelpuntBoekenView(BudgetMixin, PermissionRequiredMixin, View):
    """Pay or release one knelpunt reservation (POST only)."""

    permission_required = "budgets.book_knelpunt"
    http_method_names = ["post"]
    actie = ""

    def post(self, request, *args, **kwargs):
        werkgebied = self.get_werkgebied()
        reservering = get_object_or_404(
            Boeking.objects.select_related("deel__budget"),
            pk=self.kwargs["pk"],
            soort=Boekingsoort.RESERVERING,
            deel__soort=Deelsoort.KNELPUNTEN,
            deel__budget__werkgebied=werkgebied,
            deel__budget__jaar=self.kwargs["jaar"],
        )
        form = (BetalenForm if self.actie == "betalen" else VrijgevenForm)(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if self.actie == "betalen":
                call = lambda: services.betalen(  # noqa: E731
                    reservering, data["bedrag"], user=request.user, reden=data["reden"]
                )
                gelukt = _("De betaling is geboekt.")
            else:
                call = lambda: services.vrijgeven(  # noqa: E731
                    reservering, user=request.user, reden=data["reden"]
                )
                gelukt = _("Het bedrag is vrijgegeven.")
            if _service_errors(form, call) is not None:
                messages.success(request, gelukt)
                return redirect(self.urls()["knelpunten"])
        fouten = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Er is niets geboekt: %(fout)s") % {"fout": fouten})
        return redirect(self.urls()["knelpunten"] + f"#reservering-{reservering.pk}")


class GrootboekView(BudgetMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "budgets.view_grootboek"
    template_name = "budgets/grootboek.html"

    def get_context_data(self, **kwargs):
        # The URL's own arguments (slug, jaar) come in too: they are passed explicitly.
        kwargs = {k: v for k, v in kwargs.items() if k not in self.kwargs}
        werkgebied = self.get_werkgebied()
        jaar = self.kwargs["jaar"]
        boekingen = _page(self.request, selectors.grootboek(werkgebied, jaar), PAGE_SIZE)
        mag_corrigeren = self.request.user.has_perm("budgets.correct_booking", werkgebied)
        if mag_corrigeren:
            # Which rows of this page can still be corrected: one query for the page.
            gecorrigeerd = selectors.gecorrigeerd(boekingen.object_list)
            for b in boekingen.object_list:
                b.corrigeerbaar = b.soort != Boekingsoort.CORRECTIE and b.pk not in gecorrigeerd
        return super().get_context_data(
            werkgebied=werkgebied,
            jaar=jaar,
            delen=selectors.delen(werkgebied, jaar),
            boekingen=boekingen,
            mag_corrigeren=mag_corrigeren,
            urls=self.urls(),
            **kwargs,
        )


class CorrigerenView(BudgetMixin, PermissionRequiredMixin, TemplateView):
    """A booking corrected by a reversing booking, with a reason (the beheerder). The ledger
    itself is never edited; the service refuses a second correction, the correction of a
    correction, and one that would leave more paid than reserved."""

    permission_required = "budgets.correct_booking"
    template_name = "budgets/corrigeren.html"

    def _boeking(self) -> Boeking:
        return get_object_or_404(
            Boeking.objects.select_related("deel__budget"),
            pk=self.kwargs["pk"],
            deel__budget__werkgebied=self.get_werkgebied(),
            deel__budget__jaar=self.kwargs["jaar"],
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CorrigerenForm()))

    def post(self, request, *args, **kwargs):
        form = CorrigerenForm(request.POST)
        boeking = self._boeking()
        if form.is_valid():
            reden = form.cleaned_data["reden"]
            gedaan = _service_errors(
                form, lambda: services.corrigeren(boeking, user=request.user, reden=reden)
            )
            if gedaan is not None:
                messages.success(
                    request,
                    _("Boeking nr. %(nr)s is gecorrigeerd met tegenboeking nr. %(tegen)s.")
                    % {"nr": boeking.pk, "tegen": gedaan.pk},
                )
                return redirect(self.urls()["grootboek"])
        return self.render_to_response(self.get_context_data(form=form, boeking=boeking))

    def get_context_data(self, **kwargs):
        kwargs = {k: v for k, v in kwargs.items() if k not in self.kwargs}
        if "boeking" not in kwargs:
            kwargs["boeking"] = self._boeking()
        return super().get_context_data(
            werkgebied=self.get_werkgebied(), jaar=self.kwargs["jaar"], urls=self.urls(), **kwargs
        )


# The CSV's columns, in this order (documented in the README; never change their meaning).
CSV_KOLOMMEN = (
    "boeking_id",
    "datum",
    "werkgebied",
    "jaar",
    "deel",
    "soort",
    "bedrag",
    "mutatie_gereserveerd",
    "mutatie_betaald",
    "reservering_id",
    "gecorrigeerd_id",
    "bron",
    "bron_id",
    "omschrijving",
    "reden",
)


def _csv_veilig(tekst: str) -> str:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    return "'" + tekst if tekst[:1] in ("=", "+", "-", "@", "\t", "\r") else tekst


class ExportView(BudgetMixin, PermissionRequiredMixin, View):
    permission_required = "budgets.view_grootboek"

    def get(self, request, *args, **kwargs):
        werkgebied = self.get_werkgebied()
        jaar = self.kwargs["jaar"]
        rijen = (
            selectors.grootboek(werkgebied, jaar)
            .order_by("geboekt_op", "pk")
            .values_list(
                "pk",
                "geboekt_op",
                "deel__soort",
                "soort",
                "bedrag",
                "delta_gereserveerd",
                "delta_betaald",
                "reservering_id",
                "gecorrigeerd_id",
                "bron",
                "bron_id",
                "omschrijving",
                "reden",
            )
        )
        # One werkgebied's year is at most some hundreds of rows: built whole, so that the page
        # cache can keep it for the user (a streamed answer cannot be kept).
        uit = io.StringIO()
        writer = csv.writer(uit, lineterminator="\r\n")
        writer.writerow(CSV_KOLOMMEN)
        for rij in rijen:
            pk, op, deel, soort, bedrag, dg, db, res, gecorr, bron, bron_id, oms, reden = rij
            writer.writerow(
                [
                    pk,
                    localtime(op).isoformat(timespec="seconds"),
                    werkgebied.slug,
                    jaar,
                    deel,
                    soort,
                    f"{bedrag:.2f}",
                    f"{dg:.2f}",
                    f"{db:.2f}",
                    res or "",
                    gecorr or "",
                    bron,
                    bron_id or "",
                    _csv_veilig(oms),
                    _csv_veilig(reden),
                ]
            )

        response = HttpResponse(uit.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="grootboek-{werkgebied.slug}-{jaar}.csv"'
        )
        return response
