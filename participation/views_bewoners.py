"""Following a werkgebied or a wijk from "Mijn wijk" (residents with an account)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from . import bewoners
from .forms_bewoners import GebiedVolgenForm


class GebiedVolgenView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.view_mijn_wijk"
    template_name = "participation/gebied_volgen.html"

    def get(self, request):
        return render(request, self.template_name, {"form": GebiedVolgenForm()})

    def post(self, request):
        form = GebiedVolgenForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        volging = bewoners.gebied_volgen(
            user=request.user,
            werkgebied=form.cleaned_data["werkgebied"],
            wijk=form.cleaned_data["wijk"],
        )
        messages.success(
            request,
            _("U volgt nu %(gebied)s.") % {"gebied": volging.werkgebied or volging.wijk},
        )
        return redirect("mijn-wijk")


class GebiedOntvolgenView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "people.view_mijn_wijk"

    def post(self, request, pk):
        if bewoners.gebied_ontvolgen(user=request.user, volging_id=pk):
            messages.success(request, _("U volgt dit gebied niet meer."))
        else:
            messages.info(request, _("Dit gebied volgde u al niet meer."))
        return redirect("mijn-wijk")
