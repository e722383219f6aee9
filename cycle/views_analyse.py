"""Pages that write the wijkanalyse's content: the analysis of one theme, removing a theme,
removing a quoted answer. Thin: the edit guard in the services checks permission, phase,
status and version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from . import services, services_analyse
from .forms_analyse import ThemaAnalyseForm, VersieForm
from .models import ThemaAnalyse, Wijkthema
from .views import CyclusMixin


class WijkanalyseMixin(CyclusMixin, PermissionRequiredMixin):
    permission_required = "cycle.draft_wijkanalyse"

    def get_analyse(self):
        return self.get_cyclus().wijkanalyse

    def get_permission_object(self):
        return self.get_analyse()

    def get_thema(self) -> Wijkthema:
        if not hasattr(self, "_thema"):
            self._thema = get_object_or_404(Wijkthema, slug=self.kwargs["thema"])
        return self._thema

    def terug(self, anchor: str = ""):
        url = self.get_analyse().get_absolute_url()
        return redirect(f"{url}#{anchor}" if anchor else url)


class ThemaAnalyseView(WijkanalyseMixin, FormView):
    template_name = "cycle/analyse/thema_form.html"
    form_class = ThemaAnalyseForm

    def get_bestaand(self):
        if not hasattr(self, "_bestaand"):
            self._bestaand = ThemaAnalyse.objects.filter(
                wijkanalyse=self.get_analyse(), thema=self.get_thema()
            ).first()
        return self._bestaand

    def dispatch(self, request, *args, **kwargs):
        thema = self.get_thema()
        if not thema.actief and self.get_bestaand() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("cycle.edit_product", self.get_analyse()):
            messages.info(request, _("Dit stuk kan in deze fase of status niet worden gewijzigd."))
            return self.terug()
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_bestaand()
        kwargs["initial"] = {"versie": self.get_analyse().versie}
        return kwargs

    def get_context_data(self, **kwargs):
        analyse = self.get_analyse()
        return super().get_context_data(
            product=analyse,
            cyclus=analyse.cyclus,
            thema=self.get_thema(),
            bestaand=self.get_bestaand(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            thema_analyse = services_analyse.thema_analyse_opslaan(
                wijkanalyse=self.get_analyse(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                thema=self.get_thema(),
                **{name: form.cleaned_data[name] for name in ThemaAnalyseForm.Meta.fields},
            )
        except services.TransitionError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De analyse van het thema ‘%(thema)s’ is opgeslagen.") % {"thema": self.get_thema()},
        )
        return self.terug(f"thema-{thema_analyse.thema.slug}")


class _ContentStepView(WijkanalyseMixin, FormView):
    """POST only: one change to the content, with the version the page was read at."""

    http_method_names = ["post"]
    form_class = VersieForm

    def form_invalid(self, form):
        messages.error(self.request, _("Deze stap kon niet worden verwerkt. Probeer het opnieuw."))
        return self.terug()

    def form_valid(self, form):
        try:
            message = self.change(form.cleaned_data["versie"])
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(self.request, message)
        return self.terug("themas")

    def change(self, versie: int) -> str:
        raise NotImplementedError

    def get_thema_analyse(self) -> ThemaAnalyse:
        return get_object_or_404(
            ThemaAnalyse.objects.select_related("thema", "wijkanalyse__cyclus__werkgebied"),
            wijkanalyse=self.get_analyse(),
            thema__slug=self.kwargs["thema"],
        )


class ThemaVerwijderenView(_ContentStepView):
    def change(self, versie):
        thema_analyse = self.get_thema_analyse()
        services_analyse.thema_analyse_verwijderen(
            thema_analyse=thema_analyse, user=self.request.user, expected_versie=versie
        )
        return _("Het thema ‘%(thema)s’ is uit de analyse gehaald.") % {
            "thema": thema_analyse.thema
        }


class CitaatVerwijderenView(_ContentStepView):
    def change(self, versie):
        thema_analyse = self.get_thema_analyse()
        antwoord = thema_analyse.citaten.filter(pk=self.kwargs["pk"]).first()
        if antwoord is None:
            raise Http404
        services_analyse.citaat_verwijderen(
            thema_analyse=thema_analyse,
            user=self.request.user,
            expected_versie=versie,
            antwoord=antwoord,
        )
        return _("Het citaat is weggehaald bij het thema ‘%(thema)s’.") % {
            "thema": thema_analyse.thema
        }
