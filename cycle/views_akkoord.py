"""Pages of the wijkakkoord: the akkoord page of a werkgebied (public once published; before
that for those involved), the drafter's pages (start it, the wijkvisie, opgaven, doelen,
resultaten), the wijkraad's advice, and the steps (to advice, adopt, publish). Thin: reads
from ``selectors_akkoord``, writes through ``services_akkoord``, which checks permission,
status and version again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from pagecache.services import memoised_form_fragment
from places.models import Werkgebied

from . import selectors_akkoord, services, services_akkoord
from .forms_akkoord import (
    AdviesForm,
    DoelForm,
    OpgaveForm,
    ResultaatForm,
    StapForm,
    VaststellenForm,
    WijkakkoordForm,
    WijkakkoordNieuwForm,
)
from .models import Akkoordstatus, Doel, Resultaat, Wijkopgave
from .panels import panels
from .views_agenda import _service_errors


class AkkoordMixin:
    def get_werkgebied(self) -> Werkgebied:
        if not hasattr(self, "_werkgebied"):
            self._werkgebied = get_object_or_404(
                Werkgebied.objects.select_related("gebied", "wijkraad"), slug=self.kwargs["slug"]
            )
        return self._werkgebied

    def get_akkoord(self):
        if not hasattr(self, "_akkoord"):
            akkoord = selectors_akkoord.akkoord_op_url(
                self.kwargs["slug"], self.kwargs["startjaar"]
            )
            if akkoord is None:
                raise Http404
            self._akkoord = akkoord
        return self._akkoord

    def get_permission_object(self):
        return self.get_akkoord()

    def terug(self, anchor: str = ""):
        url = self.get_akkoord().get_absolute_url()
        return redirect(f"{url}#{anchor}" if anchor else url)


class WijkakkoordDetailView(AkkoordMixin, PermissionRequiredMixin, TemplateView):
    """The akkoord and, per opgave, what each year's cycle did for it."""

    template_name = "cycle/akkoord/detail.html"
    permission_required = "cycle.view_wijkakkoord"

    def get_context_data(self, **kwargs):
        akkoord = self.get_akkoord()
        return super().get_context_data(
            akkoord=akkoord,
            werkgebied=akkoord.werkgebied,
            pagina_inhoud=self.render_inhoud(akkoord),
            **kwargs,
        )

    def render_inhoud(self, akkoord) -> str:
        """Everything under the page's heading (``cycle/akkoord/_inhoud.html``), kept for this
        user alone under the public version (see ``memoised_form_fragment``): every change to
        the akkoord, to an agendapunt or initiative that serves it, or to a role is audited
        and so bumps it. What each year did for each opgave is what the page costs."""
        user = self.request.user

        def render(csrf_token):
            opgaven = selectors_akkoord.opgaven(akkoord)
            bijdragen = selectors_akkoord.bijdragen(
                akkoord,
                alleen_openbaar=not user.has_perm("cycle.view_concept", akkoord.werkgebied),
            )
            for opgave in opgaven:
                opgave.jaren = bijdragen.get(opgave.pk, [])
            mag_opstellen = user.has_perm("cycle.draft_wijkakkoord", akkoord)
            mag_vaststellen = user.has_perm("cycle.adopt_wijkakkoord", akkoord)
            status = akkoord.status
            context = {
                "akkoord": akkoord,
                "werkgebied": akkoord.werkgebied,
                "opgaven": opgaven,
                "csrf_token": csrf_token,
                "mag_bewerken": user.has_perm("cycle.edit_wijkakkoord", akkoord),
                "mag_advies": user.has_perm("cycle.give_advies_wijkakkoord", akkoord),
                "mag_naar_advies": mag_opstellen and status == Akkoordstatus.CONCEPT,
                "mag_vaststellen": mag_vaststellen and status == Akkoordstatus.ADVIES,
                "mag_publiceren": mag_vaststellen and status == Akkoordstatus.VASTGESTELD,
                # What the apps above add (the wijkraad's formal advice on this akkoord).
                "panels": panels("wijkakkoord", akkoord),
            }
            if context["mag_naar_advies"]:
                context["ontbreekt"] = akkoord.ontbreekt_inhoud()
            elif context["mag_vaststellen"]:
                context["ontbreekt"] = akkoord.ontbreekt()
            return render_to_string("cycle/akkoord/_inhoud.html", context, request=self.request)

        return memoised_form_fragment(
            self.request,
            f"wijkakkoord-pagina:{akkoord.pk}",
            render,
            vary_on=[akkoord.versie, akkoord.status],
        )


class WijkakkoordCreateView(AkkoordMixin, PermissionRequiredMixin, FormView):
    template_name = "cycle/akkoord/form.html"
    form_class = WijkakkoordNieuwForm
    permission_required = "cycle.draft_wijkakkoord"

    def get_permission_object(self):
        return self.get_werkgebied()

    def get_initial(self):
        return {"startjaar": timezone.localdate().year + 1}

    def get_context_data(self, **kwargs):
        werkgebied = self.get_werkgebied()
        return super().get_context_data(
            werkgebied=werkgebied,
            kop=_("Nieuw wijkakkoord voor %(werkgebied)s") % {"werkgebied": werkgebied.naam},
            uitleg=_(
                "Een wijkakkoord legt voor vier jaar vast wat er in de wijk moet gebeuren: de "
                "wijkvisie, de wijkopgaven, en per opgave de doelen en de beoogde resultaten. "
                "De wijkraad geeft er advies over voordat het wordt vastgesteld."
            ),
            terug_url=reverse("werkgebied-detail", kwargs={"slug": werkgebied.slug}),
            **kwargs,
        )

    def form_valid(self, form):
        akkoord = _service_errors(
            form,
            lambda: services_akkoord.wijkakkoord_aanmaken(
                werkgebied=self.get_werkgebied(),
                user=self.request.user,
                startjaar=form.cleaned_data["startjaar"],
                titel=form.cleaned_data["titel"],
            ),
        )
        if akkoord is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("‘%(titel)s’ is aangemaakt, in concept.") % {"titel": akkoord.titel}
        )
        return redirect(akkoord.get_absolute_url())


class _DrafterPage(AkkoordMixin, PermissionRequiredMixin, FormView):
    """A form page of the drafter, with the akkoord's version as hidden field. Subclasses say
    what the page is (``kop``) and call their service in ``opslaan``."""

    template_name = "cycle/akkoord/form.html"
    permission_required = "cycle.draft_wijkakkoord"
    kop = ""
    uitleg = ""
    gelukt = ""
    anker = "opgaven"
    # The permission that says the page's form may be used now (phase and status).
    nu = "cycle.edit_wijkakkoord"
    niet_nu = gettext_lazy(
        "Het wijkakkoord is niet meer in concept en kan niet meer worden gewijzigd."
    )

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm(self.nu, self.get_akkoord()):
            messages.info(request, self.niet_nu)
            return self.terug()
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_akkoord().versie}

    def get_context_data(self, **kwargs):
        akkoord = self.get_akkoord()
        return super().get_context_data(
            akkoord=akkoord,
            werkgebied=akkoord.werkgebied,
            kop=self.get_kop(),
            uitleg=self.uitleg,
            terug_url=f"{akkoord.get_absolute_url()}#{self.anker}",
            **kwargs,
        )

    def get_kop(self):
        return self.kop

    def opslaan(self, data, versie):
        raise NotImplementedError

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        versie = data.pop("versie")
        gedaan = _service_errors(form, lambda: self.opslaan(data, versie) or True)
        if not gedaan:
            return self.form_invalid(form)
        messages.success(self.request, self.gelukt)
        return self.terug(self.anker)


class WijkakkoordUpdateView(_DrafterPage):
    form_class = WijkakkoordForm
    kop = gettext_lazy("Titel en wijkvisie bewerken")
    gelukt = gettext_lazy("Het wijkakkoord is opgeslagen.")
    anker = "wijkvisie"

    def get_initial(self):
        akkoord = self.get_akkoord()
        return {**super().get_initial(), "titel": akkoord.titel, "wijkvisie": akkoord.wijkvisie}

    def opslaan(self, data, versie):
        return services_akkoord.wijkakkoord_wijzigen(
            akkoord=self.get_akkoord(), user=self.request.user, expected_versie=versie, **data
        )


# ---------------------------------------------------------------- opgaven, doelen, resultaten


class _Onderdeel(_DrafterPage):
    """A page about one part of the akkoord (``model``, found by ``pk`` in the URL and within
    this akkoord)."""

    model = None
    scope = ""

    def get_onderdeel(self, kwarg="pk", model=None, scope=None):
        model, scope = model or self.model, scope or self.scope
        return get_object_or_404(model, pk=self.kwargs[kwarg], **{scope: self.get_akkoord()})


class OpgaveCreateView(_DrafterPage):
    form_class = OpgaveForm
    kop = gettext_lazy("Wijkopgave toevoegen")
    uitleg = gettext_lazy(
        "Een wijkopgave zegt wat er de komende vier jaar in de wijk moet gebeuren. Geef haar "
        "daarna doelen, en elk doel de resultaten die het moet opleveren."
    )
    gelukt = gettext_lazy("De wijkopgave is toegevoegd.")

    def opslaan(self, data, versie):
        return services_akkoord.opgave_toevoegen(
            akkoord=self.get_akkoord(), user=self.request.user, expected_versie=versie, **data
        )


class OpgaveUpdateView(_Onderdeel):
    form_class = OpgaveForm
    model, scope = Wijkopgave, "akkoord"
    kop = gettext_lazy("Wijkopgave bewerken")
    gelukt = gettext_lazy("De wijkopgave is opgeslagen.")

    def get_initial(self):
        opgave = self.get_onderdeel()
        return {
            **super().get_initial(),
            "titel": opgave.titel,
            "beschrijving": opgave.beschrijving,
        }

    def opslaan(self, data, versie):
        opgave = self.get_onderdeel()
        opgave.akkoord = self.get_akkoord()
        return services_akkoord.opgave_wijzigen(
            opgave=opgave, user=self.request.user, expected_versie=versie, **data
        )


class DoelCreateView(_Onderdeel):
    form_class = DoelForm
    uitleg = gettext_lazy("Een doel zegt wat de opgave moet bereiken.")
    gelukt = gettext_lazy("Het doel is toegevoegd.")

    def get_kop(self):
        opgave = self.get_onderdeel("opgave", Wijkopgave, "akkoord")
        return _("Doel toevoegen aan ‘%(opgave)s’") % {"opgave": opgave.titel}

    def opslaan(self, data, versie):
        opgave = self.get_onderdeel("opgave", Wijkopgave, "akkoord")
        opgave.akkoord = self.get_akkoord()
        return services_akkoord.doel_toevoegen(
            opgave=opgave, user=self.request.user, expected_versie=versie, **data
        )


class DoelUpdateView(_Onderdeel):
    form_class = DoelForm
    model, scope = Doel, "opgave__akkoord"
    kop = gettext_lazy("Doel bewerken")
    gelukt = gettext_lazy("Het doel is opgeslagen.")

    def get_initial(self):
        return {**super().get_initial(), "titel": self.get_onderdeel().titel}

    def opslaan(self, data, versie):
        doel = self.get_onderdeel()
        doel.opgave.akkoord = self.get_akkoord()
        return services_akkoord.doel_wijzigen(
            doel=doel, user=self.request.user, expected_versie=versie, **data
        )


class ResultaatCreateView(_Onderdeel):
    form_class = ResultaatForm
    uitleg = gettext_lazy(
        "Een resultaat is wat het doel concreet oplevert; met een indicator is het te meten."
    )
    gelukt = gettext_lazy("Het resultaat is toegevoegd.")

    def get_kop(self):
        doel = self.get_onderdeel("doel", Doel, "opgave__akkoord")
        return _("Resultaat toevoegen aan ‘%(doel)s’") % {"doel": doel.titel}

    def opslaan(self, data, versie):
        doel = self.get_onderdeel("doel", Doel, "opgave__akkoord")
        doel.opgave.akkoord = self.get_akkoord()
        return services_akkoord.resultaat_toevoegen(
            doel=doel, user=self.request.user, expected_versie=versie, **data
        )


class ResultaatUpdateView(_Onderdeel):
    form_class = ResultaatForm
    model, scope = Resultaat, "doel__opgave__akkoord"
    kop = gettext_lazy("Resultaat bewerken")
    gelukt = gettext_lazy("Het resultaat is opgeslagen.")

    def get_initial(self):
        resultaat = self.get_onderdeel()
        return {
            **super().get_initial(),
            "tekst": resultaat.tekst,
            "indicator": resultaat.indicator,
        }

    def opslaan(self, data, versie):
        resultaat = self.get_onderdeel()
        resultaat.doel.opgave.akkoord = self.get_akkoord()
        return services_akkoord.resultaat_wijzigen(
            resultaat=resultaat, user=self.request.user, expected_versie=versie, **data
        )


class _DeleteView(_Onderdeel):
    """GET: asks to confirm; POST: removes the part with what hangs from it."""

    template_name = "cycle/akkoord/verwijderen.html"
    form_class = StapForm
    gelukt = gettext_lazy("Het is verwijderd.")

    def post(self, request, *args, **kwargs):
        # Sent twice (a double click, the back button): it is gone already.
        if not self.model.objects.filter(
            pk=self.kwargs["pk"], **{self.scope: self.get_akkoord()}
        ).exists():
            messages.info(request, _("Dit onderdeel bestaat niet meer."))
            return self.terug(self.anker)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.get_onderdeel(), **kwargs)


class OpgaveDeleteView(_DeleteView):
    model, scope = Wijkopgave, "akkoord"
    kop = gettext_lazy("Wijkopgave verwijderen")
    uitleg = gettext_lazy("De opgave wordt verwijderd, met haar doelen en resultaten.")
    gelukt = gettext_lazy("De wijkopgave is verwijderd.")

    def opslaan(self, data, versie):
        services_akkoord.opgave_verwijderen(
            opgave=self.get_onderdeel(), user=self.request.user, expected_versie=versie
        )


class DoelDeleteView(_DeleteView):
    model, scope = Doel, "opgave__akkoord"
    kop = gettext_lazy("Doel verwijderen")
    uitleg = gettext_lazy("Het doel wordt verwijderd, met zijn resultaten.")
    gelukt = gettext_lazy("Het doel is verwijderd.")

    def opslaan(self, data, versie):
        services_akkoord.doel_verwijderen(
            doel=self.get_onderdeel(), user=self.request.user, expected_versie=versie
        )


class ResultaatDeleteView(_DeleteView):
    model, scope = Resultaat, "doel__opgave__akkoord"
    kop = gettext_lazy("Resultaat verwijderen")
    gelukt = gettext_lazy("Het resultaat is verwijderd.")

    def opslaan(self, data, versie):
        services_akkoord.resultaat_verwijderen(
            resultaat=self.get_onderdeel(), user=self.request.user, expected_versie=versie
        )


# ---------------------------------------------------------------- advice and the steps


class AdviesView(_DrafterPage):
    """The wijkraad's advice, recorded by a wijkraadslid of the werkgebied."""

    form_class = AdviesForm
    permission_required = "cycle.advise_wijkakkoord"
    nu = "cycle.give_advies_wijkakkoord"
    niet_nu = gettext_lazy("Advies wordt vastgelegd zolang het wijkakkoord voor advies voorligt.")
    kop = gettext_lazy("Advies van de wijkraad vastleggen")
    uitleg = gettext_lazy(
        "Leg het advies van de wijkraad over dit wijkakkoord vast. Het staat bij het akkoord "
        "en is openbaar zodra het akkoord is gepubliceerd."
    )
    gelukt = gettext_lazy("Het advies is vastgelegd.")
    anker = "levensloop"

    def get_initial(self):
        akkoord = self.get_akkoord()
        wijkraad = getattr(akkoord.werkgebied, "wijkraad", None)
        return {
            **super().get_initial(),
            "advies": akkoord.advies,
            "advies_van": akkoord.advies_van or (wijkraad.naam if wijkraad else ""),
            "advies_op": akkoord.advies_op or timezone.localdate(),
        }

    def opslaan(self, data, versie):
        return services_akkoord.advies_vastleggen(
            akkoord=self.get_akkoord(), user=self.request.user, expected_versie=versie, **data
        )


class VaststellenView(_DrafterPage):
    """Record the adoption decision and adopt the akkoord."""

    form_class = VaststellenForm
    permission_required = "cycle.adopt_wijkakkoord"
    nu = "cycle.adopt_wijkakkoord"
    kop = gettext_lazy("Wijkakkoord vaststellen")
    uitleg = gettext_lazy(
        "Leg het besluit vast waarmee het wijkakkoord is vastgesteld: de datum, wie het "
        "besloot en de referentie van het besluit."
    )
    gelukt = gettext_lazy("Het wijkakkoord is vastgesteld.")
    anker = "levensloop"

    def get(self, request, *args, **kwargs):
        if self.get_akkoord().status != Akkoordstatus.ADVIES:
            messages.info(
                request, _("Alleen een wijkakkoord dat voor advies lag, wordt vastgesteld.")
            )
            return self.terug()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ontbreekt=self.get_akkoord().ontbreekt(), **kwargs)

    def opslaan(self, data, versie):
        return services_akkoord.wijkakkoord_transition(
            akkoord=self.get_akkoord(),
            user=self.request.user,
            transition="vaststellen",
            expected_status=Akkoordstatus.ADVIES,
            expected_versie=versie,
            **data,
        )


class StapView(AkkoordMixin, PermissionRequiredMixin, FormView):
    """POST only: to advice (the drafter) or publish (who adopts)."""

    form_class = StapForm
    permission_required = "cycle.draft_wijkakkoord"
    STAPPEN = {
        "naar_advies": gettext_lazy("Het wijkakkoord ligt nu voor advies bij de wijkraad."),
        "publiceren": gettext_lazy("Het wijkakkoord is gepubliceerd."),
    }

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def form_invalid(self, form):
        messages.error(self.request, _("De stap is onvolledig verstuurd. Probeer het opnieuw."))
        return self.terug("levensloop")

    def form_valid(self, form):
        stap = self.request.POST.get("stap", "")
        if stap not in self.STAPPEN:
            messages.error(self.request, _("Deze stap bestaat niet."))
            return self.terug("levensloop")
        try:
            services_akkoord.wijkakkoord_transition(
                akkoord=self.get_akkoord(),
                user=self.request.user,
                transition=stap,
                expected_status=form.cleaned_data["status"],
                expected_versie=form.cleaned_data["versie"],
            )
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            messages.success(self.request, self.STAPPEN[stap])
        return self.terug("levensloop")
