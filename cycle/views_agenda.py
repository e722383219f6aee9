"""Pages that write the wijkagenda's content (agendapunten, their order, beleidssignalen) and
the page on which the addressee answers a beleidssignaal. Thin: the services check
permission, phase, status and version again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from . import services, services_agenda
from .forms_agenda import AgendapuntForm, AntwoordForm, BeleidssignaalForm, VersieForm
from .models import Agendapunt, Beleidssignaal, Signaalstatus
from .views import CyclusMixin


def _service_errors(form, call):
    """Run ``call``; put what the service refuses next to the form's fields (or above it).
    Returns the result, or None when refused."""
    try:
        return call()
    except services.TransitionError as exc:
        form.add_error(None, exc.message)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


class WijkagendaMixin(CyclusMixin, PermissionRequiredMixin):
    """Pages of the drafter: ``cycle.draft_wijkagenda`` (the werkgebied's task division)."""

    permission_required = "cycle.draft_wijkagenda"

    def get_agenda(self):
        agenda = self.get_cyclus().wijkagenda
        agenda.cyclus = self.get_cyclus()
        return agenda

    def get_permission_object(self):
        return self.get_agenda()

    def terug(self, anchor: str = ""):
        url = self.get_agenda().get_absolute_url()
        return redirect(f"{url}#{anchor}" if anchor else url)

    def niet_bewerkbaar(self):
        """A GET of a form while the agenda can no longer be changed: back to the agenda."""
        if self.request.user.has_perm("cycle.edit_product", self.get_agenda()):
            return None
        messages.info(self.request, _("Dit stuk kan in deze fase of status niet worden gewijzigd."))
        return self.terug()

    def get_agendapunt(self) -> Agendapunt:
        if not hasattr(self, "_punt"):
            self._punt = get_object_or_404(
                Agendapunt, pk=self.kwargs["pk"], wijkagenda=self.get_agenda()
            )
            self._punt.wijkagenda = self.get_agenda()
        return self._punt

    def get_signaal(self) -> Beleidssignaal:
        if not hasattr(self, "_signaal"):
            self._signaal = get_object_or_404(
                Beleidssignaal.objects.select_related("cluster", "partner"),
                pk=self.kwargs["pk"],
                wijkagenda=self.get_agenda(),
            )
            self._signaal.wijkagenda = self.get_agenda()
        return self._signaal


class _FormPage(WijkagendaMixin, FormView):
    """A form page of the drafter, with the agenda's version as hidden field."""

    def get(self, request, *args, **kwargs):
        return self.niet_bewerkbaar() or super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_agenda().versie}

    def get_context_data(self, **kwargs):
        agenda = self.get_agenda()
        return super().get_context_data(product=agenda, cyclus=agenda.cyclus, **kwargs)


class AgendapuntCreateView(_FormPage):
    template_name = "cycle/agenda/agendapunt_form.html"
    form_class = AgendapuntForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agenda": self.get_agenda()}

    def form_valid(self, form):
        data = form.cleaned_data
        punt = _service_errors(
            form,
            lambda: services_agenda.agendapunt_create(
                wijkagenda=self.get_agenda(),
                user=self.request.user,
                expected_versie=data["versie"],
                **form.service_data(),
            ),
        )
        if punt is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Agendapunt ‘%(titel)s’ is toegevoegd op plaats %(rang)d.")
            % {"titel": punt.titel, "rang": punt.rang},
        )
        return self.terug(f"punt-{punt.pk}")


class AgendapuntUpdateView(_FormPage):
    template_name = "cycle/agenda/agendapunt_form.html"
    form_class = AgendapuntForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "agenda": self.get_agenda(),
            "instance": self.get_agendapunt(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(punt=self.get_agendapunt(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        punt = _service_errors(
            form,
            lambda: services_agenda.agendapunt_update(
                agendapunt=self.get_agendapunt(),
                user=self.request.user,
                expected_versie=data["versie"],
                **form.service_data(),
            ),
        )
        if punt is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Agendapunt ‘%(titel)s’ is opgeslagen.") % {"titel": punt.titel}
        )
        return self.terug(f"punt-{punt.pk}")


class _DeleteView(_FormPage):
    """GET: asks to confirm; POST: removes the item (``get_item``) through ``delete``."""

    template_name = "cycle/agenda/verwijderen.html"
    form_class = VersieForm
    soort = ""  # "het agendapunt": what the confirmation page calls the item
    gelukt = ""  # the message after removing it, with ``%(titel)s``
    anker = ""  # where on the agenda to go back to

    def get_item(self):
        raise NotImplementedError

    def delete(self, item, *, user, expected_versie):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.get_item(), soort=self.soort, **kwargs)

    def form_valid(self, form):
        item = self.get_item()
        gelukt = _service_errors(
            form,
            lambda: (
                self.delete(
                    item, user=self.request.user, expected_versie=form.cleaned_data["versie"]
                )
                or True
            ),
        )
        if not gelukt:
            return self.form_invalid(form)
        messages.success(self.request, self.gelukt % {"titel": item.titel})
        return self.terug(self.anker)


class AgendapuntDeleteView(_DeleteView):
    soort = gettext_lazy("het agendapunt")
    gelukt = gettext_lazy(
        "Agendapunt ‘%(titel)s’ is verwijderd; de punten eronder schoven een plaats op."
    )
    anker = "agendapunten"

    def get_item(self):
        return self.get_agendapunt()

    def delete(self, item, *, user, expected_versie):
        services_agenda.agendapunt_delete(
            agendapunt=item, user=user, expected_versie=expected_versie
        )


class AgendapuntMoveView(WijkagendaMixin, FormView):
    """POST only: move a point one place up or down, then back to it on the agenda."""

    http_method_names = ["post"]
    form_class = VersieForm

    def form_invalid(self, form):
        messages.error(self.request, _("Deze stap kon niet worden verwerkt. Probeer het opnieuw."))
        return self.terug("agendapunten")

    def form_valid(self, form):
        punt = self.get_agendapunt()
        richting = form.cleaned_data["richting"]
        if not richting:
            return self.form_invalid(form)
        try:
            verplaatst = services_agenda.agendapunt_move(
                agendapunt=punt,
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                richting=richting,
            )
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
            return self.terug(f"punt-{punt.pk}")
        if verplaatst.rang == punt.rang:
            bericht = (
                _("Agendapunt ‘%(titel)s’ staat al bovenaan.")
                if richting == "op"
                else _("Agendapunt ‘%(titel)s’ staat al onderaan.")
            )
            messages.info(self.request, bericht % {"titel": punt.titel})
        else:
            messages.success(
                self.request,
                _("Agendapunt ‘%(titel)s’ staat nu op plaats %(rang)d.")
                % {"titel": punt.titel, "rang": verplaatst.rang},
            )
        return self.terug(f"punt-{punt.pk}")


class BeleidssignaalCreateView(_FormPage):
    template_name = "cycle/agenda/beleidssignaal_form.html"
    form_class = BeleidssignaalForm

    def form_valid(self, form):
        data = form.cleaned_data
        signaal = _service_errors(
            form,
            lambda: services_agenda.beleidssignaal_create(
                wijkagenda=self.get_agenda(),
                user=self.request.user,
                expected_versie=data["versie"],
                **{name: data[name] for name in BeleidssignaalForm.Meta.fields},
            ),
        )
        if signaal is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Beleidssignaal ‘%(titel)s’ is toegevoegd, gericht aan %(aan)s.")
            % {"titel": signaal.titel, "aan": signaal.geadresseerde},
        )
        return self.terug(f"signaal-{signaal.pk}")


class _OpenSignaalMixin:
    def get(self, request, *args, **kwargs):
        if self.get_signaal().status != Signaalstatus.OPEN:
            messages.info(
                request,
                _(
                    "Dit beleidssignaal is al in behandeling genomen of beantwoord; het kan niet "
                    "meer worden gewijzigd of verwijderd."
                ),
            )
            return self.terug(f"signaal-{self.get_signaal().pk}")
        return super().get(request, *args, **kwargs)


class BeleidssignaalUpdateView(_OpenSignaalMixin, _FormPage):
    template_name = "cycle/agenda/beleidssignaal_form.html"
    form_class = BeleidssignaalForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_signaal()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(signaal=self.get_signaal(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        signaal = _service_errors(
            form,
            lambda: services_agenda.beleidssignaal_update(
                beleidssignaal=self.get_signaal(),
                user=self.request.user,
                expected_versie=data["versie"],
                **{name: data[name] for name in BeleidssignaalForm.Meta.fields},
            ),
        )
        if signaal is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Beleidssignaal ‘%(titel)s’ is opgeslagen.") % {"titel": signaal.titel}
        )
        return self.terug(f"signaal-{signaal.pk}")


class BeleidssignaalDeleteView(_OpenSignaalMixin, _DeleteView):
    soort = gettext_lazy("het beleidssignaal")
    gelukt = gettext_lazy("Beleidssignaal ‘%(titel)s’ is verwijderd.")
    anker = "beleidssignalen"

    def get_item(self):
        return self.get_signaal()

    def delete(self, item, *, user, expected_versie):
        services_agenda.beleidssignaal_delete(
            beleidssignaal=item, user=user, expected_versie=expected_versie
        )


# ------------------------------------------------------ the addressee's answering page


class SignaalMixin(CyclusMixin, PermissionRequiredMixin):
    """The pages of the addressee: ``cycle.answer_beleidssignaal`` on the signal itself (the
    accounthouders of its own cluster)."""

    permission_required = "cycle.answer_beleidssignaal"

    def get_signaal(self) -> Beleidssignaal:
        if not hasattr(self, "_signaal"):
            cyclus = self.get_cyclus()
            self._signaal = get_object_or_404(
                Beleidssignaal.objects.select_related("cluster", "partner"),
                pk=self.kwargs["pk"],
                wijkagenda__cyclus=cyclus,
            )
            agenda = cyclus.wijkagenda
            agenda.cyclus = cyclus
            self._signaal.wijkagenda = agenda
        return self._signaal

    def get_permission_object(self):
        return self.get_signaal()

    def terug_naar_signaal(self):
        signaal = self.get_signaal()
        return redirect(f"{signaal.wijkagenda.get_absolute_url()}#signaal-{signaal.pk}")


class BeleidssignaalAntwoordView(SignaalMixin, FormView):
    template_name = "cycle/agenda/beantwoorden.html"
    form_class = AntwoordForm

    def get(self, request, *args, **kwargs):
        if self.get_signaal().status == Signaalstatus.BEANTWOORD:
            messages.info(request, _("Dit beleidssignaal is al beantwoord."))
            return self.terug_naar_signaal()
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"versie": self.get_signaal().versie}

    def get_context_data(self, **kwargs):
        signaal = self.get_signaal()
        return super().get_context_data(
            signaal=signaal,
            product=signaal.wijkagenda,
            cyclus=self.get_cyclus(),
            **kwargs,
        )

    def form_valid(self, form):
        signaal = _service_errors(
            form,
            lambda: services_agenda.beleidssignaal_beantwoorden(
                signaal=self.get_signaal(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
                antwoord=form.cleaned_data["antwoord"],
            ),
        )
        if signaal is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Uw antwoord op ‘%(titel)s’ is verstuurd; het staat openbaar bij de wijkagenda.")
            % {"titel": signaal.titel},
        )
        return redirect("mijn-werk")


class BeleidssignaalInBehandelingView(SignaalMixin, FormView):
    """POST only: the addressee takes the signal up (the drafter can no longer change it)."""

    http_method_names = ["post"]
    form_class = VersieForm

    def antwoord_pagina(self):
        signaal = self.get_signaal()
        cyclus = self.get_cyclus()
        return redirect(
            "beleidssignaal-beantwoorden",
            slug=cyclus.werkgebied.slug,
            jaar=cyclus.jaar,
            pk=signaal.pk,
        )

    def form_invalid(self, form):
        messages.error(self.request, _("Deze stap kon niet worden verwerkt. Probeer het opnieuw."))
        return self.antwoord_pagina()

    def form_valid(self, form):
        try:
            signaal = services_agenda.beleidssignaal_in_behandeling(
                signaal=self.get_signaal(),
                user=self.request.user,
                expected_versie=form.cleaned_data["versie"],
            )
        except services.TransitionError as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request,
                _("U heeft ‘%(titel)s’ in behandeling genomen.") % {"titel": signaal.titel},
            )
        return self.antwoord_pagina()
