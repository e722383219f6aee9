"""Pages of meldingen: reporting (no account needed), the tracking page, the public list, and
the triage of the wijkmanager and the answer of the cluster's accounthouder. Thin: reads come
from selectors, writes from services, permissions from ``participation.rules``."""

import re
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited

from cycle.models import Agendapunt, Fase, Initiatief, Werkcyclus
from pagecache.services import memoised, memoised_for_user
from places.models import Werkgebied, Wijk

from . import selectors, services
from .forms import (
    AgendapuntForm,
    DubbelForm,
    MeldingForm,
    OpgelostForm,
    PubliceerbaarForm,
    TriageFilterForm,
    TriageForm,
    WaarEnWatForm,
)
from .forms_volgen import InitiatiefForm
from .models import OPEN_STATUSSEN, Melding, Meldingstatus, Thema

PAGE_SIZE = 25
# What a slug in a query string may look like before it is used in a cache key.
_SLUG = re.compile(r"[-\w]{1,100}", re.ASCII)


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("pagina"))


def _client(group, request) -> str:
    # The client's address as the login throttle sees it (behind a proxy: the configured hop).
    return get_client_ip_address(request) or "onbekend"


def _limited(request, group: str, rate: str, key=_client) -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


# ---------------------------------------------------------------------------- reporting


class MeldingNieuwView(TemplateView):
    """Step one (``?wijk=&thema=`` by GET) asks where and what, and so can show, in step two,
    what was already reported there ("Is dit al gemeld?") above the rest of the form."""

    template_name = "participation/melding_nieuw.html"

    def get(self, request, *args, **kwargs):
        if "thema" in request.GET:
            wijk, thema = request.GET.get("wijk", ""), request.GET["thema"]
            if _SLUG.fullmatch(wijk) and _SLUG.fullmatch(thema):
                # Step two before anything was typed is the same for every visitor of this
                # wijk and theme today: it comes from the page cache under the public version
                # (a choice that is not valid is never kept); only the CSRF token around it is
                # the visitor's own.
                stap2 = memoised(
                    f"melding-stap2:{get_language()}:{timezone.localdate()}:{wijk}:{thema}",
                    lambda: self._leeg_stap2(request.GET),
                )
                if stap2 is not None:
                    boven, velden = stap2
                    return self.render_to_response({"boven": boven, "velden": velden})
        stap1 = WaarEnWatForm(
            request.GET if "thema" in request.GET else None,
            initial={"wijk": request.GET.get("wijk", "")},
        )
        if stap1.is_bound and stap1.is_valid():
            boven, velden = self._leeg_stap2(request.GET, stap1)
            return self.render_to_response({"boven": boven, "velden": velden})
        return self.render_to_response({"stap1": stap1})

    def _leeg_stap2(self, query, stap1=None):
        """The two parts of an empty step two, or None when the wijk or theme is not valid."""
        stap1 = stap1 or WaarEnWatForm(query)
        if not stap1.is_valid():
            return None
        wijk, thema = stap1.cleaned_data["wijk"], stap1.cleaned_data["thema"]
        form = MeldingForm(initial={"wijk": wijk.pk, "thema": thema.pk, "betreft_groep": "0"})
        context = self._stap2(form, wijk=wijk, thema=thema)
        return (
            render_to_string("participation/_stap2_boven.html", context),
            render_to_string("participation/_stap2_velden.html", context),
        )

    def post(self, request, *args, **kwargs):
        form = MeldingForm(request.POST, request.FILES)
        valid = form.is_valid()
        wijk, thema = form.cleaned_data.get("wijk"), form.cleaned_data.get("thema")
        if valid and _limited(request, "melding", settings.MELDING_RATE):
            form.add_error(
                None,
                _(
                    "U heeft vanaf dit adres net al meldingen gedaan. Probeer het over een uur "
                    "opnieuw; uw tekst staat nog hieronder."
                ),
            )
            valid = False
        if valid:
            data = form.cleaned_data
            try:
                melding = services.melding_create(
                    gegevens=services.NieuweMelding(
                        tekst=data["tekst"],
                        thema=thema,
                        wijk=wijk,
                        plek=data["plek"],
                        lengtegraad=data["lengtegraad"],
                        breedtegraad=data["breedtegraad"],
                        buurtcode=data["buurtcode"],
                        betreft_groep=data["betreft_groep"],
                        email=data["email"],
                        melder=request.user if request.user.is_authenticated else None,
                    ),
                    fotos=data["fotos"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Dank u wel. Uw melding is ontvangen met volgcode %(code)s.")
                    % {"code": melding.code},
                )
                return redirect(melding)
        return self.render_to_response(self._stap2(form, wijk=wijk, thema=thema), status=200)

    def _stap2(self, form, *, wijk, thema) -> dict:
        return {
            "form": form,
            "wijk": wijk,
            "thema": thema,
            "vergelijkbaar": selectors.vergelijkbaar(wijk=wijk, thema=thema)
            if wijk is not None and thema is not None
            else [],
        }


class MeldingSteunenView(TemplateView):
    """ "Ik heb dit ook": one anonymous support, once per address per melding per day. The
    pages that offer it link here (GET, a confirmation with the form), so that they hold no
    form themselves and can be served from the page cache."""

    template_name = "participation/melding_steunen.html"

    def get(self, request, code):
        melding = get_object_or_404(
            Melding.objects.select_related("thema", "wijk").defer("email", "notitie"),
            code=code.upper(),
        )
        if not melding.is_open or melding.hoofdmelding_id is not None:
            messages.info(request, _("Deze melding is al afgesloten; steunen kan niet meer."))
            return redirect(melding)
        return self.render_to_response({"melding": melding})

    def post(self, request, code):
        melding = get_object_or_404(Melding.objects.only("pk", "code"), code=code.upper())
        if _limited(
            request,
            "steun",
            "1/d",
            key=lambda group, req: f"{_client(group, req)}:{melding.pk}",
        ) or _limited(request, "steun-adres", settings.MELDING_RATE):
            messages.info(request, _("Uw steun voor deze melding is al geteld."))
            return redirect(melding)
        try:
            services.melding_steunen(melding_id=melding.pk)
        except services.MeldingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Dank u wel. Uw steun is bij deze melding opgeteld; u hoeft niets meer "
                    "te melden."
                ),
            )
        return redirect(melding)


class MeldingVolgenView(TemplateView):
    """The tracking page: anyone with the code. Never the address or the photos; the text only
    once the wijkmanager has marked it publishable."""

    template_name = "participation/melding_volgen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        melding = get_object_or_404(
            Melding.objects.select_related(
                "thema",
                "wijk",
                "werkgebied",
                "cyclus__werkgebied",
                "agendapunt__wijkagenda__cyclus__werkgebied",
                "initiatief__wijkprogramma__cyclus__werkgebied",
            ).defer(
                "email",
                "notitie",
                "initiatief__beoogd_effect",
                "initiatief__wijkprogramma__toelichting",
                "initiatief__wijkprogramma__bestedingsvoorstel",
            ),
            code=kwargs["code"].upper(),
        )
        agendapunt = melding.agendapunt
        initiatief = melding.initiatief
        context.update(
            melding=melding,
            # The agendapunt it feeds, once the agenda is public.
            agendapunt=agendapunt if agendapunt and agendapunt.wijkagenda.is_openbaar else None,
            # The initiative that came from it, with its progress, once the programme is public.
            initiatief=initiatief if initiatief and initiatief.wijkprogramma.is_openbaar else None,
            historie=selectors.historie(melding),
            spoor=melding.spoor.select_related("cyclus__werkgebied"),
            opgelost_form=kwargs.get("opgelost_form")
            or (OpgelostForm() if melding.kan_heropenen() else None),
            mag_behandelen=self.request.user.has_perm("participation.view_melding", melding),
        )
        return context

    def post(self, request, code):
        melding = get_object_or_404(Melding.objects.only("pk", "code"), code=code.upper())
        form = OpgelostForm(request.POST)
        if form.is_valid():
            try:
                services.melding_opgelost(
                    code=melding.code,
                    opgelost=form.cleaned_data["opgelost"],
                    reactie=form.cleaned_data["reactie"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except services.MeldingError as exc:
                messages.error(request, exc.message)
                return redirect(melding)
            else:
                messages.success(
                    request,
                    _("Dank u wel voor uw reactie.")
                    if form.cleaned_data["opgelost"]
                    else _("Uw melding is opnieuw in behandeling genomen."),
                )
                return redirect(melding)
        return self.render_to_response(self.get_context_data(code=code, opgelost_form=form))


class MeldingListView(TemplateView):
    """Public list of meldingen: theme, wijk and status; the text only where publishable."""

    template_name = "participation/melding_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = WaarEnWatForm(self.request.GET)
        form.is_valid()  # Unknown values are ignored, not errors: it is a filter.
        wijk = form.cleaned_data.get("wijk")
        thema = form.cleaned_data.get("thema")
        status = self.request.GET.get("status", "")
        if status not in {"open", *Meldingstatus.values}:
            status = ""
        context.update(
            wijk=wijk,
            thema=thema,
            status=status,
            themas=Thema.objects.all(),
            wijken=Wijk.objects.values("slug", "naam").order_by("naam"),
            statussen=Meldingstatus.choices,
            meldingen=_page(
                self.request, selectors.openbare_meldingen(wijk=wijk, thema=thema, status=status)
            ),
            filter_query=_query_without_page(self.request),
        )
        return context


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


# ------------------------------------------------------------------------------- triage


# The filters of the triage list as they may vary a kept fragment: known words and short
# numbers only, so that no one fills the cache with variants of their own page.
_TRIAGE_FILTERS = {
    "status": lambda v: v in {"", "open", *Meldingstatus.values},
    "thema": lambda v: v == "" or (v.isdigit() and len(v) < 7),
    "wijk": lambda v: v == "" or (v.isdigit() and len(v) < 7),
    "leeftijd": lambda v: v in {"", "week", "maand", "ouder"},
    "te_laat": lambda v: v in {"", "on"},
    "pagina": lambda v: v == "" or (v.isdigit() and len(v) < 6),
}


class TriageListView(LoginRequiredMixin, TemplateView):
    """The meldingen of one werkgebied for whoever triages them.

    The whole answer (whether this user may see it, and the list) is a fragment kept for this
    user alone under the public version (as "Mijn werk" is), varied by the filters: every change
    of roles, accounts or meldingen bumps that version and a role that starts or ends changes
    the date in the key, so the permission is never older than the last change. Filters that
    are not plainly valid are answered without the cache."""

    template_name = "participation/triage_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Without a slug: the meldingen of wijken without a wijkraad, for beheerders.
        slug = kwargs.get("slug")
        raw = {name: self.request.GET.get(name, "") for name in _TRIAGE_FILTERS}
        plain = len(slug or "") <= 100 and all(
            ok(raw[name]) for name, ok in _TRIAGE_FILTERS.items()
        )
        has_filters = any(name in self.request.GET for name in _TRIAGE_FILTERS if name != "pagina")

        def compute():
            return self._answer(slug, has_filters)

        if plain:
            answer = memoised_for_user(
                self.request.user,
                "triage" if slug else "triage-zonder-wijkraad",
                compute,
                vary_on=(slug or "", has_filters, *raw.values()),
            )
        else:
            answer = compute()
        if answer["status"] == 404:
            raise Http404
        if answer["status"] == 403:
            raise PermissionDenied
        context.update(werkgebied=answer["werkgebied"], inhoud=answer["inhoud"])
        return context

    def _answer(self, slug: str | None, has_filters: bool) -> dict:
        if slug is None:
            if not self.request.user.has_perm("participation.triage_zonder_wijkraad"):
                return {"status": 403}
            werkgebied = None
            kop = {
                "naam": _("wijken zonder wijkraad"),
                "kruimel": _("Mijn werk"),
                "get_absolute_url": reverse("mijn-werk"),
            }
        else:
            werkgebied = Werkgebied.objects.filter(slug=slug).first()
            if werkgebied is None:
                return {"status": 404}
            if not self.request.user.has_perm("participation.triage_melding", werkgebied):
                return {"status": 403}
            kop = {
                "naam": werkgebied.naam,
                "kruimel": werkgebied.naam,
                "get_absolute_url": werkgebied.get_absolute_url(),
            }
        form = TriageFilterForm(self.request.GET if has_filters else None, werkgebied=werkgebied)
        filters = {"status": "open", "thema": None, "wijk": None, "leeftijd": "", "te_laat": False}
        if form.is_bound and form.is_valid():
            filters = {name: form.cleaned_data[name] for name in filters}
        # The pages' links carry the filters as understood, never the raw query string.
        query = {
            name: getattr(value, "pk", value)
            for name, value in filters.items()
            if name == "status" or value not in (None, "", False)
        }
        inhoud = render_to_string(
            "participation/_triage_inhoud.html",
            {
                "werkgebied": werkgebied,
                "form": form,
                "today": timezone.localdate(),
                "open_statussen": OPEN_STATUSSEN,
                "meldingen": _page(
                    self.request, selectors.triage_lijst(werkgebied=werkgebied, **filters)
                ),
                "filter_query": urlencode(query),
            },
        )
        return {"status": 200, "werkgebied": kop, "inhoud": inhoud}


def _melding_for(user, code, perm="participation.view_melding") -> Melding:
    # Only the relations every melding has: planning a join of eight tables cost PostgreSQL
    # five times the whole query (measured at city scale), and a cluster, partner, cycle or
    # main melding is read only where the melding has one.
    melding = get_object_or_404(
        Melding.objects.select_related("thema", "wijk", "werkgebied"), code=code.upper()
    )
    if not user.has_perm(perm, melding):
        raise PermissionDenied
    return melding


class MeldingBehandelenView(LoginRequiredMixin, TemplateView):
    """The melding as whoever handles it sees it, with the steps they may take."""

    template_name = "participation/melding_behandelen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        melding = kwargs.get("melding") or _melding_for(user, kwargs["code"])
        triage = user.has_perm("participation.triage_melding", melding)
        stappen = [
            {"name": t.name, "label": t.custom.get("label", t.name)}
            for t in melding.get_available_user_status_transitions(user)
            if t.name in services.TRIAGE_OVERGANGEN
        ]
        cycli = (
            Werkcyclus.objects.filter(werkgebied_id=melding.werkgebied_id)
            .exclude(fase=Fase.AFGEROND)
            .select_related("werkgebied")
        )
        context.update(
            melding=melding,
            triage=triage,
            stappen=stappen,
            form=kwargs.get("form") or TriageForm(initial={"versie": melding.versie}, cycli=cycli),
            fout_stap=kwargs.get("fout_stap", ""),
            dubbel_form=kwargs.get("dubbel_form") or DubbelForm(initial={"versie": melding.versie}),
            fotos=list(melding.fotos.all()) if triage else [],
            historie=selectors.historie(melding),
            dubbelen=list(melding.dubbelen.only("code", "status")) if triage else [],
            agendapunt_form=kwargs.get("agendapunt_form") or _agendapunt_form(melding, triage),
            initiatief_form=kwargs.get("initiatief_form") or _initiatief_form(melding, triage),
        )
        return context

    def post(self, request, code):
        user = request.user
        melding = _melding_for(user, code)
        actie = request.POST.get("actie", "stap")
        if actie == "dubbel":
            return self._dubbel(request, melding)
        if actie == "publiceerbaar":
            return self._publiceerbaar(request, melding)
        if actie == "agendapunt":
            return self._agendapunt(request, melding)
        if actie == "initiatief":
            return self._initiatief(request, melding)
        cycli = Werkcyclus.objects.filter(werkgebied_id=melding.werkgebied_id).exclude(
            fase=Fase.AFGEROND
        )
        form = TriageForm(request.POST, cycli=cycli)
        if not form.is_valid():
            return self._again(melding, form=form, fout_stap=request.POST.get("overgang", ""))
        data = form.cleaned_data
        try:
            services.melding_transition(
                melding_id=melding.pk,
                user=user,
                transition=data["overgang"],
                expected_versie=data["versie"],
                antwoord=data["antwoord"],
                notitie=data["notitie"],
                cluster=data["cluster"],
                partner=data["partner"],
                cyclus=data["cyclus"],
            )
        except ValidationError as exc:
            _field_errors(form, exc)
            return self._again(melding, form=form, fout_stap=data["overgang"])
        except services.MeldingError as exc:
            # Show the melding as it is now, with what the user wrote still in the form.
            fresh = _melding_for(user, code)
            post = request.POST.copy()
            post["versie"] = str(fresh.versie)
            form = TriageForm(post, cycli=cycli)
            form.is_valid()
            form.add_error(None, exc.message)
            return self._again(fresh, form=form, fout_stap=data["overgang"])
        messages.success(request, _("De melding is bijgewerkt."))
        if user.has_perm("participation.view_melding", Melding.objects.get(pk=melding.pk)):
            return redirect("melding-behandelen", code=melding.code)
        return redirect("mijn-werk")

    def _again(self, melding, **kwargs):
        return self.render_to_response(self.get_context_data(melding=melding, **kwargs))

    def _dubbel(self, request, melding):
        form = DubbelForm(request.POST)
        if form.is_valid():
            try:
                services.melding_als_dubbel(
                    melding_id=melding.pk,
                    hoofdcode=form.cleaned_data["hoofdcode"],
                    user=request.user,
                    expected_versie=form.cleaned_data["versie"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.MeldingError as exc:
                messages.error(request, exc.message)
                return redirect("melding-behandelen", code=melding.code)
            else:
                messages.success(request, _("De melding is gekoppeld aan haar hoofdmelding."))
                return redirect("melding-behandelen", code=melding.code)
        return self._again(melding, dubbel_form=form)

    def _publiceerbaar(self, request, melding):
        form = PubliceerbaarForm(request.POST)
        if form.is_valid():
            try:
                services.melding_publiceerbaar(
                    melding_id=melding.pk,
                    user=request.user,
                    publiceerbaar=form.cleaned_data["publiceerbaar"],
                    expected_versie=form.cleaned_data["versie"],
                )
            except services.MeldingError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Vastgelegd of de tekst openbaar mag."))
        else:
            messages.error(
                request, _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
            )
        return redirect("melding-behandelen", code=melding.code)

    def _agendapunt(self, request, melding):
        form = _agendapunt_form(melding, True, request.POST)
        if form is None:
            messages.error(
                request,
                _("Alleen een melding die in de wijkaanpak is opgenomen, hoort bij de agenda."),
            )
            return redirect("melding-behandelen", code=melding.code)
        if form.is_valid():
            try:
                services.melding_agendapunt(
                    melding_id=melding.pk,
                    user=request.user,
                    agendapunt=form.cleaned_data["agendapunt"],
                    expected_versie=form.cleaned_data["versie"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.MeldingError as exc:
                messages.error(request, exc.message)
                return redirect("melding-behandelen", code=melding.code)
            else:
                punt = form.cleaned_data["agendapunt"]
                messages.success(
                    request,
                    _("De melding hoort nu bij het agendapunt ‘%(titel)s’.") % {"titel": punt}
                    if punt
                    else _("De melding hoort niet meer bij een agendapunt."),
                )
                return redirect("melding-behandelen", code=melding.code)
        return self._again(melding, agendapunt_form=form)

    def _initiatief(self, request, melding):
        form = _initiatief_form(melding, True, request.POST)
        if form is None:
            messages.error(
                request,
                _(
                    "Alleen een melding die in de wijkaanpak is opgenomen, kan bij een "
                    "initiatief horen."
                ),
            )
            return redirect("melding-behandelen", code=melding.code)
        if form.is_valid():
            try:
                services.melding_initiatief(
                    melding_id=melding.pk,
                    user=request.user,
                    initiatief=form.cleaned_data["initiatief"],
                    expected_versie=form.cleaned_data["versie"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services.MeldingError as exc:
                messages.error(request, exc.message)
                return redirect("melding-behandelen", code=melding.code)
            else:
                gekozen = form.cleaned_data["initiatief"]
                messages.success(
                    request,
                    _("De melding hoort nu bij het initiatief ‘%(titel)s’.")
                    % {"titel": gekozen.titel}
                    if gekozen
                    else _("De melding hoort niet meer bij een initiatief."),
                )
                return redirect("melding-behandelen", code=melding.code)
        return self._again(melding, initiatief_form=form)


def _initiatief_form(melding, triage: bool, data=None):
    """The form to link a melding taken into the cycle to an initiative of that cycle's
    programme (None when it does not apply)."""
    if not triage or melding.status != Meldingstatus.OPGENOMEN or melding.cyclus_id is None:
        return None
    initiatieven = (
        Initiatief.objects.filter(wijkprogramma__cyclus_id=melding.cyclus_id)
        .select_related("wijkprogramma")
        .only("titel", "status", "toezegging", "wijkprogramma__cyclus_id")
        .order_by("agendapunt__rang", "pk")
    )
    return InitiatiefForm(
        data,
        initiatieven=initiatieven,
        initial={"versie": melding.versie, "initiatief": melding.initiatief_id},
    )


def _agendapunt_form(melding, triage: bool, data=None):
    """The form to link a melding taken into the cycle to one of that cycle's agendapunten
    (None when it does not apply)."""
    if not triage or melding.status != Meldingstatus.OPGENOMEN or melding.cyclus_id is None:
        return None
    punten = Agendapunt.objects.filter(wijkagenda__cyclus_id=melding.cyclus_id).order_by("rang")
    return AgendapuntForm(
        data,
        agendapunten=punten,
        initial={"versie": melding.versie, "agendapunt": melding.agendapunt_id},
    )


def _field_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class FotoView(LoginRequiredMixin, View):
    """A photo of a melding, only for whoever triages it; never a public media URL."""

    def get(self, request, code, pk):
        melding = _melding_for(request.user, code, perm="participation.triage_melding")
        foto = melding.fotos.filter(pk=pk).first()
        if foto is None:
            raise Http404
        response = FileResponse(foto.bestand.open("rb"), content_type=foto.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
