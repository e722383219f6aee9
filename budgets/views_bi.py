"""Pages of bewonersinitiatieven: applying, the application page with every next step, the
decider's list, the co-signer's link and the public list. Thin: the forms parse, the services
decide, the same ``rules`` permissions guard the page and the step."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from places.models import Werkgebied

from . import services_bi as s
from .forms_bi import (
    AanvraagForm,
    BesluitForm,
    KostenFormSet,
    MedeondertekenaarForm,
    OndertekenenForm,
    UitbetalenForm,
    VerantwoordingForm,
    VerlengenForm,
)
from .models_bi import Bewonersinitiatief, BIStatus

LIJST_GROOTTE = 25
TOEGEKEND = (BIStatus.TOEGEKEND, BIStatus.UITBETAALD, BIStatus.VERANTWOORD)


def _werkgebied(slug) -> Werkgebied:
    return get_object_or_404(Werkgebied, slug=slug)


def _initiatief(slug, pk) -> Bewonersinitiatief:
    bi = (
        Bewonersinitiatief.objects.select_related("werkgebied", "aanvrager")
        .filter(pk=pk, werkgebied__slug=slug)
        .first()
    )
    if bi is None:
        raise Http404
    return bi


def _versie(request) -> int:
    try:
        return int(request.POST.get("versie", ""))
    except ValueError:
        return -1


def _form_errors(form, exc: s.BIError) -> None:
    veld = exc.field if exc.field in form.fields else None
    form.add_error(veld, exc.message)


class BIPubliekView(View):
    """Awarded initiatives of a werkgebied, by title and amount: no personal data."""

    def get(self, request, slug):
        werkgebied = _werkgebied(slug)
        qs = (
            Bewonersinitiatief.objects.filter(werkgebied=werkgebied, status__in=TOEGEKEND)
            # The state too: a deferred FSM field is loaded row by row by the mixin.
            .only("titel", "status", "toegekend_bedrag", "besloten_op")
            .order_by("-besloten_op", "-pk")
        )
        page = Paginator(qs, LIJST_GROOTTE).get_page(request.GET.get("pagina"))
        return render(
            request,
            "budgets/bi_publiek.html",
            {
                "werkgebied": werkgebied,
                "page": page,
                "totaal": s.toegekend_totaal(werkgebied),
                "mag_aanvragen": request.user.has_perm(
                    "budgets.apply_bewonersinitiatief", werkgebied
                ),
            },
        )


class BILijstView(LoginRequiredMixin, View):
    """The deciders' list: every submitted application, overdue ones first flagged."""

    def get(self, request, slug):
        werkgebied = _werkgebied(slug)
        if not request.user.has_perm("budgets.list_bewonersinitiatieven", werkgebied):
            raise PermissionDenied
        status = request.GET.get("status", "")
        qs = Bewonersinitiatief.objects.filter(werkgebied=werkgebied).exclude(
            status=BIStatus.CONCEPT
        )
        if status in BIStatus.values:
            qs = qs.filter(status=status)
        qs = qs.only(
            "titel",
            "status",
            "gevraagd_bedrag",
            "toegekend_bedrag",
            "ingediend_op",
            "beslis_uiterlijk",
            "werkgebied_id",
        ).order_by("-ingediend_op", "-pk")
        page = Paginator(qs, LIJST_GROOTTE).get_page(request.GET.get("pagina"))
        return render(
            request,
            "budgets/bi_lijst.html",
            {
                "werkgebied": werkgebied,
                "page": page,
                "status": status,
                "statussen": BIStatus.choices[1:],
                "vandaag": timezone.localdate(),
                "open": (BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING),
            },
        )


class _AanvraagBase(LoginRequiredMixin, View):
    template = "budgets/bi_aanvraag.html"

    def _render(self, request, werkgebied, form, formset, bi=None, status=200):
        return render(
            request,
            self.template,
            {"werkgebied": werkgebied, "form": form, "formset": formset, "bi": bi},
            status=status,
        )

    def _opslaan(self, request, werkgebied, bi=None):
        form = AanvraagForm(request.POST, instance=None)
        formset = KostenFormSet(request.POST, prefix="kosten")
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, werkgebied, form, formset, bi, status=400)
        aanvraag = s.Aanvraag(
            kostenposten=formset.posten(),
            **{k: form.cleaned_data[k] for k in AanvraagForm.Meta.fields},
        )
        try:
            bi = s.aanvraag_opslaan(
                user=request.user,
                werkgebied=werkgebied,
                aanvraag=aanvraag,
                initiatief=bi,
                expected_versie=_versie(request) if bi else None,
            )
        except s.BIError as exc:
            _form_errors(form, exc)
            return self._render(request, werkgebied, form, formset, bi, status=400)
        messages.success(request, _("Uw aanvraag is opgeslagen."))
        return redirect(bi.get_absolute_url())


class BIAanvragenView(_AanvraagBase):
    def _check(self, request, werkgebied):
        if not request.user.has_perm("budgets.apply_bewonersinitiatief", werkgebied):
            raise PermissionDenied

    def get(self, request, slug):
        werkgebied = _werkgebied(slug)
        self._check(request, werkgebied)
        return self._render(request, werkgebied, AanvraagForm(), KostenFormSet(prefix="kosten"))

    def post(self, request, slug):
        werkgebied = _werkgebied(slug)
        self._check(request, werkgebied)
        return self._opslaan(request, werkgebied)


class BIWijzigenView(_AanvraagBase):
    def _check(self, request, bi):
        if not request.user.has_perm("budgets.change_bewonersinitiatief", bi):
            raise PermissionDenied

    def get(self, request, slug, pk):
        bi = _initiatief(slug, pk)
        self._check(request, bi)
        formset = KostenFormSet(
            prefix="kosten",
            initial=[{"onderdeel": k.onderdeel, "bedrag": k.bedrag} for k in bi.kostenposten.all()],
        )
        return self._render(request, bi.werkgebied, AanvraagForm(instance=bi), formset, bi)

    def post(self, request, slug, pk):
        bi = _initiatief(slug, pk)
        self._check(request, bi)
        return self._opslaan(request, bi.werkgebied, bi)


def _detail_context(request, bi, **forms):
    user = request.user
    mag = {
        "wijzigen": user.has_perm("budgets.change_bewonersinitiatief", bi),
        "beslissen": user.has_perm("budgets.decide_bewonersinitiatief", bi.werkgebied),
        "betalen": user.has_perm("budgets.pay_bewonersinitiatief", bi.werkgebied),
        "verantwoorden": user.has_perm("budgets.account_bewonersinitiatief", bi),
    }
    regeling = s.regeling_van(bi.werkgebied)
    context = {
        "bi": bi,
        "werkgebied": bi.werkgebied,
        "mag": mag,
        "regeling": regeling,
        "kostenposten": list(bi.kostenposten.all()),
        "ondertekeningen": list(bi.medeondertekeningen.all()),
        "toetsingen": list(bi.toetsingen.all()),
        "bonnen": list(bi.bonnen.all()),
        "bezwaren": (
            s.bezwaren_indienen(bi, regeling, vandaag=timezone.localdate())
            if bi.status == BIStatus.CONCEPT
            else []
        ),
        "mede_form": MedeondertekenaarForm(),
        "verleng_form": VerlengenForm(),
        "besluit_form": BesluitForm(initial={"bedrag": bi.gevraagd_bedrag}),
        "verantwoording_form": VerantwoordingForm(),
        "uitbetalen_form": UitbetalenForm(initial={"bedrag": bi.toegekend_bedrag}),
    }
    context.update(forms)
    return context


class BIDetailView(LoginRequiredMixin, View):
    def get(self, request, slug, pk):
        bi = _initiatief(slug, pk)
        if not request.user.has_perm("budgets.view_bewonersinitiatief", bi):
            raise PermissionDenied
        return render(request, "budgets/bi_detail.html", _detail_context(request, bi))


class BIStapView(LoginRequiredMixin, View):
    """One step on the application page. A refused step shows its Dutch message next to the
    field (or at the top) on the same page, with what was typed; nothing is saved or booked."""

    STAPPEN = (
        "medeondertekenaar",
        "indienen",
        "beoordelen",
        "verlengen",
        "besluit",
        "uitbetalen",
        "verantwoorden",
    )

    def post(self, request, slug, pk, stap):
        bi = _initiatief(slug, pk)
        if stap not in self.STAPPEN:
            raise Http404
        if not request.user.has_perm("budgets.view_bewonersinitiatief", bi):
            raise PermissionDenied
        versie = _versie(request)
        form, naam = None, None
        try:
            if stap == "medeondertekenaar":
                form, naam = MedeondertekenaarForm(request.POST), "mede_form"
                if form.is_valid():
                    s.medeondertekenaar_toevoegen(
                        user=request.user,
                        initiatief=bi,
                        expected_versie=versie,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("De bewoner krijgt een e-mail om te ondertekenen."))
            elif stap == "indienen":
                s.indienen(user=request.user, initiatief=bi, expected_versie=versie)
                messages.success(request, _("Uw aanvraag is ingediend."))
            elif stap == "beoordelen":
                s.in_beoordeling_nemen(user=request.user, initiatief=bi, expected_versie=versie)
                messages.success(request, _("De aanvraag is in beoordeling."))
            elif stap == "verlengen":
                form, naam = VerlengenForm(request.POST), "verleng_form"
                if form.is_valid():
                    s.termijn_verlengen(
                        user=request.user,
                        initiatief=bi,
                        reden=form.cleaned_data["reden"],
                        expected_versie=versie,
                    )
                    messages.success(request, _("De beslistermijn is verlengd."))
            elif stap == "besluit":
                form, naam = BesluitForm(request.POST), "besluit_form"
                if form.is_valid():
                    if form.cleaned_data["besluit"] == "toekennen":
                        s.toekennen(
                            user=request.user,
                            initiatief=bi,
                            bedrag=form.cleaned_data["bedrag"],
                            toetsingen=form.toetsingen(),
                            expected_versie=versie,
                        )
                        messages.success(request, _("Het initiatief is toegekend."))
                    else:
                        s.afwijzen(
                            user=request.user,
                            initiatief=bi,
                            redenen=form.cleaned_data["redenen"],
                            toetsingen=form.toetsingen(),
                            expected_versie=versie,
                        )
                        messages.success(request, _("Het initiatief is afgewezen."))
            elif stap == "uitbetalen":
                form, naam = UitbetalenForm(request.POST), "uitbetalen_form"
                if form.is_valid():
                    s.uitbetalen(
                        user=request.user,
                        initiatief=bi,
                        expected_versie=versie,
                        bedrag=form.cleaned_data["bedrag"],
                    )
                    messages.success(request, _("De betaling is geboekt."))
            elif stap == "verantwoorden":
                form, naam = VerantwoordingForm(request.POST, request.FILES), "verantwoording_form"
                if form.is_valid():
                    s.verantwoorden(
                        user=request.user,
                        initiatief=bi,
                        verslag=form.cleaned_data["verslag"],
                        werkelijke_kosten=form.cleaned_data["werkelijke_kosten"],
                        bonnen=form.cleaned_data["bonnen"],
                        expected_versie=versie,
                    )
                    messages.success(request, _("Dank u wel: uw verantwoording is ontvangen."))
        except s.BIStaleError as exc:
            messages.warning(request, exc.message)
            return redirect(bi.get_absolute_url())
        except s.BIError as exc:
            bi = _initiatief(slug, pk)
            if form is not None:
                _form_errors(form, exc)
                return render(
                    request,
                    "budgets/bi_detail.html",
                    _detail_context(request, bi, **{naam: form}),
                    status=400,
                )
            return render(
                request,
                "budgets/bi_detail.html",
                _detail_context(request, bi, fout=exc.message),
                status=400,
            )
        if form is not None and not form.is_valid():
            bi = _initiatief(slug, pk)
            return render(
                request,
                "budgets/bi_detail.html",
                _detail_context(request, bi, **{naam: form}),
                status=400,
            )
        return redirect(bi.get_absolute_url())


class BIOndertekenenView(View):
    """The co-signer's one-time link: the plan in short, and one confirmation."""

    def _context(self, ondertekening, form=None, fout=None):
        return {
            "ondertekening": ondertekening,
            "bi": ondertekening.initiatief if ondertekening else None,
            "form": form or OndertekenenForm(),
            "fout": fout,
        }

    def get(self, request, token):
        ondertekening = s.ondertekening_per_token(token)
        if ondertekening is not None and (
            ondertekening.is_bevestigd or ondertekening.initiatief.status != BIStatus.CONCEPT
        ):
            ondertekening = None
        return render(request, "budgets/bi_ondertekenen.html", self._context(ondertekening))

    def post(self, request, token):
        ondertekening = s.ondertekening_per_token(token)
        form = OndertekenenForm(request.POST)
        if ondertekening is None:
            return render(request, "budgets/bi_ondertekenen.html", self._context(None), status=400)
        if not form.is_valid():
            return render(
                request,
                "budgets/bi_ondertekenen.html",
                self._context(ondertekening, form),
                status=400,
            )
        try:
            s.medeondertekening_bevestigen(token=token, bewoner_12_plus=True)
        except s.BIError as exc:
            return render(
                request,
                "budgets/bi_ondertekenen.html",
                self._context(None, fout=exc.message),
                status=400,
            )
        return render(request, "budgets/bi_ondertekend.html", {"bi": ondertekening.initiatief})


class BonView(LoginRequiredMixin, View):
    """A receipt, only for whoever may see the application; never a public media URL."""

    def get(self, request, slug, pk, bon):
        bi = _initiatief(slug, pk)
        if not request.user.has_perm("budgets.view_bewonersinitiatief", bi):
            raise PermissionDenied
        item = bi.bonnen.filter(pk=bon).first()
        if item is None:
            raise Http404
        response = FileResponse(item.bestand.open("rb"), content_type=item.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "attachment"
        return response
