"""Pages of bijeenkomsten: the public calendars (per werkgebied and city-wide), a meeting's page,
the iCalendar feeds, the planning form, and the findings of a wijkschouw. Thin: reads from
``participation.selectors_bijeenkomsten``, writes through
``participation.services_bijeenkomsten``, which checks permission and version again."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pagecache.services import pagina_param
from places.models import Werkgebied

from . import selectors_bijeenkomsten as selectors
from . import services_bijeenkomsten as services
from .forms_bijeenkomsten import BevindingForm, BijeenkomstForm, MeldingenMakenForm
from .models_bijeenkomsten import Bijeenkomst, Soort

PER_PAGINA = 20
BEVINDINGEN_PER_PAGINA = 50


def _fouten_bij_velden(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc)
    else:
        form.add_error(None, exc.message)


def _weiger(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _werkgebied(slug) -> Werkgebied:
    return get_object_or_404(Werkgebied.objects.select_related("gebied"), slug=slug)


# ----------------------------------------------------------------------- the calendars


class WerkgebiedKalenderView(TemplateView):
    """The public calendar of one werkgebied: coming meetings first, then those that took
    place with their outcome."""

    template_name = "participation/bijeenkomsten/kalender.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        werkgebied = _werkgebied(kwargs["slug"])
        context.update(
            werkgebied=werkgebied,
            bijeenkomsten=Paginator(
                selectors.openbare_bijeenkomsten(werkgebied=werkgebied), PER_PAGINA
            ).get_page(pagina_param(self.request)),
            mag_plannen=self.request.user.has_perm("participation.plan_bijeenkomsten", werkgebied),
            now=timezone.now(),
        )
        return context


class StadKalenderView(TemplateView):
    """Every public meeting in the city, filtered by werkgebied and kind."""

    template_name = "participation/bijeenkomsten/stad.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.request.GET.get("werkgebied", "")
        soort = self.request.GET.get("soort", "")
        # Unknown values are ignored, not errors: it is a filter.
        werkgebied = (
            Werkgebied.objects.filter(slug=slug).first() if slug and len(slug) <= 100 else None
        )
        if soort not in Soort.values:
            soort = ""
        query = {}
        if werkgebied is not None:
            query["werkgebied"] = werkgebied.slug
        if soort:
            query["soort"] = soort
        context.update(
            werkgebied=werkgebied,
            soort=soort,
            soorten=Soort.choices,
            werkgebieden=Werkgebied.objects.order_by("naam").values("slug", "naam"),
            bijeenkomsten=Paginator(
                selectors.openbare_bijeenkomsten(werkgebied=werkgebied, soort=soort), PER_PAGINA
            ).get_page(pagina_param(self.request)),
            filter_query=urlencode(query),
            now=timezone.now(),
        )
        return context


class BijeenkomstMixin:
    """The meeting named in the URL (of the werkgebied named there). A meeting that is not
    public is seen only by whoever may change it or walks it."""

    def get_bijeenkomst(self) -> Bijeenkomst:
        if not hasattr(self, "_bijeenkomst"):
            self.werkgebied = _werkgebied(self.kwargs["slug"])
            bijeenkomst = selectors.bijeenkomst(self.werkgebied, self.kwargs["pk"])
            if bijeenkomst is None:
                raise Http404
            self._bijeenkomst = bijeenkomst
        return self._bijeenkomst

    def mag_zien(self, user, bijeenkomst) -> bool:
        return (
            bijeenkomst.openbaar
            or user.has_perm("participation.change_bijeenkomst", bijeenkomst)
            or user.has_perm("participation.view_bevindingen", bijeenkomst)
        )


class BijeenkomstDetailView(BijeenkomstMixin, TemplateView):
    template_name = "participation/bijeenkomsten/detail.html"

    def get(self, request, *args, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        if not self.mag_zien(request.user, bijeenkomst):
            return _weiger(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        user = self.request.user
        return super().get_context_data(
            bijeenkomst=bijeenkomst,
            werkgebied=self.werkgebied,
            mag_wijzigen=user.has_perm("participation.change_bijeenkomst", bijeenkomst),
            mag_bevindingen=user.has_perm("participation.view_bevindingen", bijeenkomst),
            **kwargs,
        )


# --------------------------------------------------------------------------- the feeds


def _ics_tekst(bijeenkomst, url) -> str:
    delen = [
        bijeenkomst.get_soort_display(),
        _("Participatieniveau: %(niveau)s") % {"niveau": bijeenkomst.get_niveau_display()},
    ]
    if bijeenkomst.agenda:
        delen += ["", bijeenkomst.agenda]
    delen += ["", url]
    return "\n".join(delen)


def ics_agenda(bijeenkomsten, *, naam: str, request) -> bytes:
    """An iCalendar (RFC 5545) calendar of ``bijeenkomsten``, made with ``icalendar``."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Gemeente Rotterdam//Wijkaanpak//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", naam)
    host = request.get_host()
    stamp = timezone.now()
    for bijeenkomst in bijeenkomsten:
        url = request.build_absolute_uri(bijeenkomst.get_absolute_url())
        event = Event()
        event.add("uid", f"bijeenkomst-{bijeenkomst.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("last-modified", bijeenkomst.gewijzigd_op)
        event.add("sequence", bijeenkomst.versie)
        event.add("dtstart", bijeenkomst.begin)
        event.add("dtend", bijeenkomst.einde)
        event.add("summary", f"{bijeenkomst.titel} ({bijeenkomst.werkgebied.naam})")
        plek = ", ".join(p for p in (bijeenkomst.plaats, bijeenkomst.adres) if p)
        event.add("location", plek)
        event.add("description", _ics_tekst(bijeenkomst, url))
        event.add("url", url)
        event.add("categories", [bijeenkomst.get_soort_display()])
        event.add("status", "CANCELLED" if bijeenkomst.geannuleerd else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


class FeedView(View):
    """``.ics``: the public meetings of a werkgebied (with ``slug``) or of the city."""

    def get(self, request, slug=None):
        werkgebied = _werkgebied(slug) if slug else None
        naam = (
            _("Bijeenkomsten %(werkgebied)s") % {"werkgebied": werkgebied.naam}
            if werkgebied
            else _("Bijeenkomsten in de Rotterdamse wijken")
        )
        inhoud = ics_agenda(selectors.feed(werkgebied=werkgebied), naam=naam, request=request)
        response = HttpResponse(inhoud, content_type="text/calendar; charset=utf-8")
        bestand = f"bijeenkomsten-{werkgebied.slug}.ics" if werkgebied else "bijeenkomsten.ics"
        response["Content-Disposition"] = f'inline; filename="{bestand}"'
        return response


# ---------------------------------------------------------------------- planning form


class BijeenkomstFormView(BijeenkomstMixin, FormView):
    """Plan a meeting (no ``pk``) or change one (its plan, cancellation, outcome)."""

    template_name = "participation/bijeenkomsten/form.html"
    form_class = BijeenkomstForm

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            allowed = request.user.has_perm(
                "participation.change_bijeenkomst", self.get_bijeenkomst()
            )
        else:
            self.werkgebied = _werkgebied(kwargs["slug"])
            allowed = request.user.has_perm("participation.plan_bijeenkomsten", self.werkgebied)
        if not allowed:
            return _weiger(request)
        return super().dispatch(request, *args, **kwargs)

    def bestaand(self) -> Bijeenkomst | None:
        return self.get_bijeenkomst() if "pk" in self.kwargs else None

    def get_initial(self):
        bijeenkomst = self.bestaand()
        if bijeenkomst is None:
            return {"versie": 0, "openbaar": True}
        initial = {name: getattr(bijeenkomst, name) for name in services.VELDEN}
        for name in ("begin", "einde"):
            initial[name] = timezone.localtime(initial[name])
        return {"versie": bijeenkomst.versie, **initial}

    def get_form_kwargs(self):
        user = self.request.user
        alleen_wijkraad = not (
            user.has_perm(
                "participation.change_bijeenkomst",
                Bijeenkomst(werkgebied=self.werkgebied, soort=Soort.THEMABIJEENKOMST),
            )
        )
        knop = _("Bijeenkomst plannen") if self.bestaand() is None else _("Wijzigingen opslaan")
        return {
            **super().get_form_kwargs(),
            "werkgebied": self.werkgebied,
            "alleen_wijkraad": alleen_wijkraad,
            "knop": knop,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            werkgebied=self.werkgebied, bijeenkomst=self.bestaand(), **kwargs
        )

    def form_valid(self, form):
        data = form.service_data()
        bijeenkomst = self.bestaand()
        try:
            if bijeenkomst is None:
                bijeenkomst = services.bijeenkomst_plannen(
                    werkgebied=self.werkgebied, user=self.request.user, **data
                )
                bericht = _("De bijeenkomst is gepland.")
            else:
                bijeenkomst = services.bijeenkomst_wijzigen(
                    bijeenkomst_id=bijeenkomst.pk,
                    user=self.request.user,
                    expected_versie=form.cleaned_data["versie"],
                    **data,
                )
                bericht = _("De bijeenkomst is opgeslagen.")
        except services.StaleBijeenkomstError as exc:
            self._bijeenkomst = selectors.bijeenkomst(self.werkgebied, bijeenkomst.pk)
            form.add_error(None, exc.message)
            form.data = form.data.copy()
            form.data["versie"] = str(self._bijeenkomst.versie)
            return self.render_to_response(self.get_context_data(form=form, verouderd=True))
        except (ValidationError, services.BijeenkomstError) as exc:
            _fouten_bij_velden(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, bericht)
        return redirect(bijeenkomst.get_absolute_url())


# ------------------------------------------------------------- findings of a wijkschouw

SYNC_HEADER = "HTTP_X_BEVINDING_SYNC"


def _fouten_json(form) -> dict:
    return {
        name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()
    }


class BevindingenView(BijeenkomstMixin, TemplateView):
    """The findings of a wijkschouw, for those who walk it: a form made for a phone (which
    keeps unsent findings on the phone while there is no connection, see
    static/js/wijkschouw.js; without JavaScript it posts as any form), the findings so far,
    and for the wijkmanager the step that turns chosen findings into meldingen."""

    template_name = "participation/bijeenkomsten/bevindingen.html"

    def dispatch(self, request, *args, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        perm = (
            "participation.add_bevinding"
            if request.method == "POST"
            else "participation.view_bevindingen"
        )
        if not request.user.has_perm(perm, bijeenkomst):
            if request.method == "POST" and request.META.get(SYNC_HEADER):
                status = 403 if request.user.is_authenticated else 401
                return JsonResponse({"fouten": {"__all__": [_("Geen toegang.")]}}, status=status)
            return _weiger(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        user = self.request.user
        bevindingen = Paginator(
            selectors.bevindingen_qs(bijeenkomst), BEVINDINGEN_PER_PAGINA
        ).get_page(pagina_param(self.request))
        mag_maken = user.has_perm("participation.maak_meldingen_van_bevindingen", bijeenkomst)
        context = {
            "bijeenkomst": bijeenkomst,
            "werkgebied": self.werkgebied,
            "bevindingen": bevindingen,
            "mag_toevoegen": user.has_perm("participation.add_bevinding", bijeenkomst),
            "mag_maken": mag_maken,
            "form": BevindingForm(initial={"uuid": uuid.uuid4()}),
        }
        if mag_maken:
            context["maak_form"] = MeldingenMakenForm(
                bevindingen=bevindingen.object_list, werkgebied=self.werkgebied
            )
        context.update(kwargs)
        maak_form = context.get("maak_form")
        context["gekozen"] = (
            set(maak_form.cleaned_data.get("bevindingen") or [])
            if maak_form is not None and maak_form.is_bound and hasattr(maak_form, "cleaned_data")
            else set()
        )
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        sync = bool(request.META.get(SYNC_HEADER))
        form = BevindingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bevinding, nieuw = services.bevinding_toevoegen(
                    bijeenkomst_id=bijeenkomst.pk,
                    user=request.user,
                    uuid=data["uuid"],
                    tekst=data["tekst"],
                    foto=data["foto"],
                    lengtegraad=data["lengtegraad"],
                    breedtegraad=data["breedtegraad"],
                    wijk=data["wijk"],
                    buurtcode=data["buurtcode"],
                )
            except (ValidationError, services.BijeenkomstError) as exc:
                _fouten_bij_velden(form, exc)
            else:
                if sync:
                    return JsonResponse(
                        {"uuid": str(bevinding.uuid), "nieuw": nieuw, "tekst": bevinding.tekst},
                        status=201 if nieuw else 200,
                    )
                messages.success(
                    request,
                    _("De bevinding is opgeslagen.")
                    if nieuw
                    else _("Deze bevinding was al opgeslagen."),
                )
                return redirect(
                    reverse(
                        "bijeenkomst-bevindingen",
                        kwargs={"slug": self.werkgebied.slug, "pk": bijeenkomst.pk},
                    )
                )
        if sync:
            return JsonResponse({"fouten": _fouten_json(form)}, status=400)
        return self.render_to_response(self.get_context_data(form=form), status=200)


class MeldingenMakenView(BijeenkomstMixin, View):
    """POST: turn the chosen findings into meldingen, in one step."""

    def post(self, request, *args, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        if not request.user.has_perm("participation.maak_meldingen_van_bevindingen", bijeenkomst):
            return _weiger(request)
        terug = reverse(
            "bijeenkomst-bevindingen", kwargs={"slug": self.werkgebied.slug, "pk": bijeenkomst.pk}
        )
        bevindingen = selectors.bevindingen_qs(bijeenkomst).filter(melding__isnull=True)
        form = MeldingenMakenForm(
            request.POST, bevindingen=list(bevindingen[:1000]), werkgebied=self.werkgebied
        )
        if form.is_valid():
            try:
                meldingen = services.bevindingen_naar_meldingen(
                    bijeenkomst_id=bijeenkomst.pk,
                    user=request.user,
                    bevinding_ids=form.cleaned_data["bevindingen"],
                    thema=form.cleaned_data["thema"],
                    wijk=form.cleaned_data["wijk"],
                )
            except (ValidationError, services.BijeenkomstError) as exc:
                _fouten_bij_velden(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)d meldingen gemaakt: %(codes)s.")
                    % {"n": len(meldingen), "codes": ", ".join(m.code for m in meldingen)},
                )
                return redirect(terug)
        view = BevindingenView()
        view.setup(request, *args, **kwargs)
        view._bijeenkomst, view.werkgebied = bijeenkomst, self.werkgebied
        return view.render_to_response(view.get_context_data(maak_form=form))


class BevindingFotoView(BijeenkomstMixin, View):
    """The photo of a finding, for those who may see the findings."""

    def get(self, request, *args, **kwargs):
        bijeenkomst = self.get_bijeenkomst()
        if not request.user.has_perm("participation.view_bevindingen", bijeenkomst):
            return _weiger(request)
        bevinding = get_object_or_404(selectors.bevindingen_qs(bijeenkomst), pk=kwargs["bevinding"])
        if not bevinding.foto:
            raise Http404
        response = FileResponse(bevinding.foto.open("rb"), content_type=bevinding.foto_type)
        response["Cache-Control"] = "private, no-store"
        return response
