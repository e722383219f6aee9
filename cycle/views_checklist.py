"""Pages of the checklist "Wat is er aan de hand in de wijk?": filling it in (residents and
professionals of the werkgebied) and the overview of all answers, where the wijkmanager quotes
answers in the analysis. Thin: reads from ``selectors_checklist``, writes from
``services_checklist`` and ``services_analyse``, permissions from ``cycle.rules``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import memoised_form_fragment

from . import selectors_checklist as selectors
from .forms_checklist import ChecklistForm, CitaatVerwijderenForm, CiterenForm
from .models import ChecklistAntwoord, Respondent, ThemaAnalyse
from .services import TransitionError
from .services_analyse import citaat_toevoegen, citaat_verwijderen
from .services_checklist import checklist_opslaan
from .views import ProductMixin


class ChecklistMixin(ProductMixin, PermissionRequiredMixin):
    """The cycle named in the URL and its wijkanalyse, which the permissions are asked on."""

    soort = "wijkanalyse"

    def get_wijkanalyse(self):
        return self.get_product()

    def get_permission_object(self):
        return self.get_wijkanalyse()

    def url(self, name: str) -> str:
        cyclus = self.get_cyclus()
        return reverse(name, kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar})


class ChecklistInvullenView(ChecklistMixin, FormView):
    """A respondent's own checklist: the form while it is open, read-only afterwards."""

    template_name = "cycle/checklist/invullen.html"
    form_class = ChecklistForm
    permission_required = "cycle.fill_checklist"

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return redirect_to_login(self.request.get_full_path())
        # Signed in, but not a resident or professional of this werkgebied: say whose the
        # checklist is, rather than only "no access".
        return render(
            self.request,
            "cycle/checklist/geen_toegang.html",
            {"cyclus": self.get_cyclus()},
            status=403,
        )

    def rollen(self) -> list[Respondent]:
        if not hasattr(self, "_rollen"):
            self._rollen = selectors.respondent_rollen(self.request.user, self.get_wijkanalyse())
        return self._rollen

    def get_respondent(self) -> str:
        """The type the user answers as: the one asked for (the page's choice, or the form's
        hidden field), else their first. A posted type they do not hold is refused by the
        service."""
        if self.request.method == "POST":
            return self.request.POST.get("respondent", "")[:20]
        gevraagd = self.request.GET.get("als", "")
        values = [r.value for r in self.rollen()]
        return gevraagd if gevraagd in values else values[0]

    def get_invulling(self):
        if not hasattr(self, "_invulling"):
            respondent = self.get_respondent()
            self._invulling = (
                selectors.eigen_invulling(self.get_wijkanalyse(), self.request.user, respondent)
                if respondent in Respondent.values
                else None
            )
        return self._invulling

    def is_open(self) -> bool:
        return self.request.user.has_perm("cycle.answer_checklist", self.get_wijkanalyse())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            groepen=self.groepen(),
            respondent=self.get_respondent(),
            invulling=self.get_invulling(),
        )
        return kwargs

    def groepen(self):
        if not hasattr(self, "_groepen"):
            self._groepen = selectors.vragen_per_groep()
        return self._groepen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        respondent = self.get_respondent()
        invulling = self.get_invulling()
        eigen = getattr(invulling, "per_nummer", {}) if invulling else {}
        basis = self.url("checklist-invullen")
        context.update(
            cyclus=self.get_cyclus(),
            wijkanalyse=self.get_wijkanalyse(),
            open=self.is_open(),
            respondent=respondent,
            respondent_label=Respondent(respondent).label
            if respondent in Respondent.values
            else "",
            rollen=[
                {
                    "label": r.label,
                    "url": f"{basis}?als={r.value}",
                    "huidig": r.value == respondent,
                }
                for r in self.rollen()
            ],
            invulling=invulling,
            # Read-only, once closed: every question with the user's answer (or none).
            gelezen=[
                {
                    "naam": groep["naam"],
                    "vragen": [(v, eigen.get(v.nummer)) for v in groep["vragen"]],
                }
                for groep in self.groepen()
            ],
            mag_antwoorden_zien=self.request.user.has_perm(
                "cycle.view_checklist_answers", self.get_wijkanalyse()
            ),
            antwoorden_url=self.url("checklist-antwoorden"),
        )
        return context

    def form_valid(self, form):
        respondent = form.cleaned_data["respondent"]
        try:
            invulling = checklist_opslaan(
                wijkanalyse=self.get_wijkanalyse(),
                user=self.request.user,
                respondent=respondent,
                antwoorden=form.antwoorden(),
                expected_versie=form.cleaned_data["versie"],
            )
        except TransitionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for veld, fouten in exc.error_dict.items():
                    form.add_error(veld if veld in form.fields else None, fouten)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        if invulling.gewijzigd:
            messages.success(
                self.request,
                _("Uw antwoorden zijn opgeslagen. U kunt ze wijzigen zolang de checklist open is."),
            )
        else:
            messages.info(self.request, _("Er was niets gewijzigd aan uw antwoorden."))
        if invulling.vastgehouden:
            messages.warning(
                self.request,
                _(
                    "Uw antwoord op vraag %(nummers)s is geciteerd in de wijkanalyse en is "
                    "daarom niet gewijzigd."
                )
                % {"nummers": ", ".join(str(n) for n in invulling.vastgehouden)},
            )
        return HttpResponseRedirect(f"{self.url('checklist-invullen')}?als={respondent}")


class ChecklistAntwoordenView(ChecklistMixin, TemplateView):
    """All answers, one group of questions per page, side by side per respondent type; who
    may edit the analysis now quotes them in a theme from here."""

    template_name = "cycle/checklist/antwoorden.html"
    permission_required = "cycle.view_checklist_answers"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        analyse = self.get_wijkanalyse()
        context.update(cyclus=self.get_cyclus(), wijkanalyse=analyse)
        context.update(
            inhoud_html=self.render_inhoud(analyse, context),
            # For the page's title: the group shown.
            groep_naam=selectors.groep_naam(self.request.GET.get("groep")),
        )
        return context

    def render_inhoud(self, analyse, context) -> str:
        """The overview of one group, kept for this user alone under the public version (every
        answer and every quote is audited, which bumps it), per group and version of the
        analysis (see ``memoised_form_fragment``): hundreds of answers, each with its quote
        form, are rendered once, not on every visit."""
        user = self.request.user
        groep = self.request.GET.get("groep", "")
        groep = groep if groep.isdigit() and len(groep) < 4 else ""

        def render(csrf_token):
            mag_citeren = user.has_perm("cycle.edit_product", analyse)
            return render_to_string(
                "cycle/checklist/_antwoorden_inhoud.html",
                {
                    **context,
                    "mag_citeren": mag_citeren,
                    "overzicht": selectors.antwoorden_overzicht(
                        analyse, groep or None, met_themas=mag_citeren
                    ),
                    "basis_url": self.url("checklist-antwoorden"),
                    "csrf_token": csrf_token,
                },
                request=self.request,
            )

        return memoised_form_fragment(
            self.request,
            f"checklist-antwoorden:{analyse.pk}",
            render,
            vary_on=[groep, analyse.versie, analyse.status],
        )


class CitaatStapView(ChecklistMixin, View):
    """POST only: quote an answer in (or remove it from) a theme of the analysis, then back
    to the answer in the overview."""

    http_method_names = ["post"]
    permission_required = "cycle.view_checklist_answers"

    def post(self, request, *args, **kwargs):
        antwoord = get_object_or_404(
            ChecklistAntwoord.objects.select_related("invulling", "vraag"), pk=kwargs["pk"]
        )
        try:
            bericht = self.stap(antwoord)
        except TransitionError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, bericht)
        groep = selectors.groep_van_vraag(antwoord.vraag_id)
        return HttpResponseRedirect(
            f"{self.url('checklist-antwoorden')}?groep={groep}#antwoord-{antwoord.pk}"
        )

    def stap(self, antwoord) -> str:
        raise NotImplementedError


class ChecklistCiterenView(CitaatStapView):
    def stap(self, antwoord) -> str:
        form = CiterenForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([m for fouten in form.errors.values() for m in fouten])
        thema = form.cleaned_data["thema"]
        citaat_toevoegen(
            wijkanalyse=self.get_wijkanalyse(),
            user=self.request.user,
            expected_versie=form.cleaned_data["versie"],
            antwoord=antwoord,
            thema=thema,
        )
        return _("Het antwoord op vraag %(nummer)s is geciteerd bij het thema ‘%(thema)s’.") % {
            "nummer": antwoord.vraag.nummer,
            "thema": thema.naam,
        }


class ChecklistCitaatVerwijderenView(CitaatStapView):
    def stap(self, antwoord) -> str:
        form = CitaatVerwijderenForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(
                _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
            )
        thema_analyse = (
            ThemaAnalyse.objects.select_related("thema")
            .filter(pk=form.cleaned_data["thema_analyse"], wijkanalyse=self.get_wijkanalyse())
            .first()
        )
        if antwoord.invulling.wijkanalyse_id != self.get_wijkanalyse().pk:
            raise ValidationError(
                _("Dit antwoord hoort niet bij de checklist van deze wijkanalyse.")
            )
        if thema_analyse is None:
            raise ValidationError(_("Dit citaat bestaat niet meer. Bekijk de actuele stand."))
        thema_analyse.wijkanalyse = self.get_wijkanalyse()
        citaat_verwijderen(
            thema_analyse=thema_analyse,
            user=self.request.user,
            expected_versie=form.cleaned_data["versie"],
            antwoord=antwoord,
        )
        return _(
            "Het citaat van het antwoord op vraag %(nummer)s is verwijderd uit het thema "
            "‘%(thema)s’."
        ) % {"nummer": antwoord.vraag.nummer, "thema": thema_analyse.thema.naam}
