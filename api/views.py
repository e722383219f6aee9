"""The page "API-sleutels": a user makes, lists and revokes their own API keys. Thin: the
services check permission and limits again and write the audit entries. Nobody sees or
revokes another user's keys here (a beheerder neither: the admin can only revoke)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .forms import SleutelForm
from .models import ApiSleutel
from .services import MAX_ACTIEVE_SLEUTELS, api_sleutel_intrekken, api_sleutel_maken


class SleutelsView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """GET: the user's keys and the form for a new one. POST: make a key and show it, once,
    in this very response (it is stored nowhere: reloading would make another key, which the
    service refuses under the same name)."""

    template_name = "api/sleutels.html"
    form_class = SleutelForm
    permission_required = "api.view_sleutels"

    def get_context_data(self, **kwargs):
        user = self.request.user
        sleutels = list(ApiSleutel.objects.filter(user=user).order_by("-aangemaakt", "-pk"))
        return super().get_context_data(
            actief=[s for s in sleutels if s.ingetrokken is None],
            ingetrokken=[s for s in sleutels if s.ingetrokken is not None],
            mag_maken=user.has_perm("api.create_sleutel"),
            max_sleutels=MAX_ACTIEVE_SLEUTELS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Who may still see their keys (to revoke them) may not always make one.
        if not request.user.has_perm("api.create_sleutel"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            sleutel, key = api_sleutel_maken(user=self.request.user, naam=form.cleaned_data["naam"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        except PermissionDenied:
            form.add_error(None, _("U kunt (nu) geen API-sleutels maken."))
            return self.form_invalid(form)
        response = self.render_to_response(
            self.get_context_data(form=SleutelForm(), nieuw=sleutel, nieuwe_sleutel=key)
        )
        # The key is in this page only: no cache, no back-button copy anywhere.
        response["Cache-Control"] = "no-store"
        return response


class SleutelIntrekkenView(LoginRequiredMixin, TemplateView):
    """GET: asks to confirm; POST: revokes the key. Another user's key does not exist here."""

    template_name = "api/sleutel_intrekken.html"

    def get_sleutel(self) -> ApiSleutel:
        sleutel = ApiSleutel.objects.filter(pk=self.kwargs["pk"], user=self.request.user).first()
        if sleutel is None:
            raise Http404
        return sleutel

    def get(self, request, *args, **kwargs):
        sleutel = self.get_sleutel()
        if sleutel.ingetrokken is not None:
            messages.info(request, _("Deze sleutel was al ingetrokken."))
            return redirect("api-sleutels")
        return self.render_to_response(self.get_context_data(sleutel=sleutel))

    def post(self, request, *args, **kwargs):
        sleutel = self.get_sleutel()
        al_ingetrokken = sleutel.ingetrokken is not None
        api_sleutel_intrekken(sleutel=sleutel, user=request.user)
        if al_ingetrokken:
            messages.info(request, _("Deze sleutel was al ingetrokken."))
        else:
            messages.success(
                request,
                _(
                    "De sleutel ‘%(naam)s’ is ingetrokken; systemen die hem gebruiken krijgen nu "
                    "geen toegang meer."
                )
                % {"naam": sleutel.naam},
            )
        return redirect("api-sleutels")
