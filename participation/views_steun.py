"""A resident's "Ik steun dit" / "Steun intrekken" (a plain form POST, no JavaScript)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from cycle.models import Agendapunt, Initiatief

from . import services_steun


def _onderwerp(soort: str, pk: int):
    if soort == "agendapunt":
        return get_object_or_404(
            Agendapunt.objects.select_related("wijkagenda__cyclus__werkgebied"), pk=pk
        )
    if soort == "initiatief":
        return get_object_or_404(
            Initiatief.objects.select_related("wijkprogramma__cyclus__werkgebied"), pk=pk
        )
    raise Http404


def _product_url(soort: str, onderwerp) -> str:
    product = onderwerp.wijkagenda if soort == "agendapunt" else onderwerp.wijkprogramma
    cyclus = product.cyclus
    url = reverse(
        "product-detail",
        kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "soort": product.SOORT},
    )
    return f"{url}#steun-{soort}-{onderwerp.pk}"


class SteunView(View):
    http_method_names = ["get", "post"]

    def get(self, request, soort, pk):
        # The buttons post; a GET (a bookmarked or shared address) shows the item.
        return redirect(_product_url(soort, _onderwerp(soort, pk)))

    def post(self, request, soort, pk):
        onderwerp = _onderwerp(soort, pk)
        terug = request.POST.get("terug", "")
        if terug and url_has_allowed_host_and_scheme(
            terug, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            terug = f"{terug}#steun-{soort}-{onderwerp.pk}"
        else:
            terug = _product_url(soort, onderwerp)
        if not request.user.is_authenticated:
            return redirect_to_login(terug)
        product = onderwerp.wijkagenda if soort == "agendapunt" else onderwerp.wijkprogramma
        if not request.user.has_perm("cycle.view_product", product):
            raise PermissionDenied
        actie = request.POST.get("actie")
        if actie == "intrekken":
            gelukt = services_steun.steun_intrekken(user=request.user, onderwerp=onderwerp)
            messages.success(request, services_steun.melding_na_intrekken(gelukt))
        elif actie == "steunen":
            if not services_steun.mag_steunen(request.user, onderwerp):
                # A 403 that says why: the button is only offered to residents, so this is a
                # resident of another werkgebied, an ended registration or another role.
                return render(
                    request,
                    "participation/steun_geweigerd.html",
                    {"onderwerp": onderwerp, "werkgebied": onderwerp.werkgebied, "terug": terug},
                    status=403,
                )
            gelukt = services_steun.steunen(user=request.user, onderwerp=onderwerp)
            if gelukt:
                messages.success(request, services_steun.melding_na_steunen(gelukt))
            else:
                messages.info(request, services_steun.melding_na_steunen(gelukt))
        else:
            messages.error(request, _("Kies ‘Ik steun dit’ of ‘Steun intrekken’."))
        return redirect(terug)
