"""Pages of following an initiative: the form (linked from the initiative's public page, so
that page holds no form and stays in the page cache), and the pages behind the links in the
mails, which confirm and unsubscribe with the follower's token (no account, no login). Every
answer to the form is the same, so that nobody learns whether an address already follows."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cycle import selectors_uitvoering
from pagecache.services import memoised

from . import services_volgen
from .forms_volgen import VolgenForm
from .views import _field_errors, _limited


def _initiatief_of_404(kwargs):
    # The form sets a CSRF cookie, so this page is never in the public page cache; the
    # initiative (a join of seven tables) is kept under the public version instead, which
    # every change to it bumps (on a GET only: see ``memoised``).
    slug, jaar, pk = kwargs["slug"], kwargs["jaar"], kwargs["pk"]
    initiatief = memoised(
        f"cycle.initiatief:{slug}:{jaar}:{pk}",
        lambda: selectors_uitvoering.initiatief(slug=slug, jaar=jaar, pk=pk),
    )
    if initiatief is None:
        raise Http404
    return initiatief


def _privé(response):
    # The token pages belong to one address: never in any cache, never a referrer elsewhere.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


class InitiatiefVolgenView(TemplateView):
    """ "Volg dit initiatief": an e-mail address, confirmed by a link in a mail."""

    template_name = "participation/initiatief_volgen.html"

    def dispatch(self, request, *args, **kwargs):
        self.initiatief = _initiatief_of_404(kwargs)
        if not request.user.has_perm("cycle.view_product", self.initiatief.wijkprogramma):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            initiatief=self.initiatief,
            cyclus=self.initiatief.wijkprogramma.cyclus,
            kan_volgen=services_volgen.kan_volgen(self.initiatief),
            form=kwargs.get("form")
            or VolgenForm(initial={"email": user.email if user.is_authenticated else ""}),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not services_volgen.kan_volgen(self.initiatief):
            return self.render_to_response(self.get_context_data())
        form = VolgenForm(request.POST)
        valid = form.is_valid()
        if valid and _limited(request, "volgen", settings.MELDING_RATE):
            form.add_error(
                None,
                _(
                    "Vanaf dit adres is net al vaak gevraagd om initiatieven te volgen. Probeer "
                    "het over een uur opnieuw."
                ),
            )
            valid = False
        if valid:
            if form.cleaned_data["website"]:
                # A form robot: the same answer as anyone gets, and nothing done.
                return self._gelukt(request, eigen=False)
            try:
                volger = services_volgen.volgen_aanmelden(
                    initiatief=self.initiatief, email=form.cleaned_data["email"], user=request.user
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            except services_volgen.VolgError as exc:
                form.add_error(None, exc.message)
            else:
                eigen = (
                    request.user.is_authenticated
                    and volger.is_bevestigd
                    and volger.email.casefold() == request.user.email.casefold()
                )
                return self._gelukt(request, eigen=eigen)
        return self.render_to_response(self.get_context_data(form=form))

    def _gelukt(self, request, *, eigen: bool):
        if eigen:
            messages.success(
                request, _("U volgt dit initiatief nu met het e-mailadres van uw account.")
            )
        else:
            messages.success(
                request,
                _(
                    "Dank u wel. Volgde u dit initiatief nog niet, dan ontvangt u een e-mail met "
                    "een link om te bevestigen. Pas daarna krijgt u berichten."
                ),
            )
        return redirect(services_volgen.initiatief_url(self.initiatief))


class _TokenView(TemplateView):
    """A page behind a link in a mail: GET asks (mail scanners follow links, and must not
    confirm or unsubscribe anyone), POST does it."""

    def get(self, request, token):
        volger = services_volgen.volger_per_token(token)
        response = self.render_to_response(
            {"volger": volger, "initiatief": volger.initiatief if volger else None},
            status=200 if volger else 404,
        )
        return _privé(response)


class VolgenBevestigenView(_TokenView):
    template_name = "participation/volgen_bevestigen.html"

    def post(self, request, token):
        try:
            volger = services_volgen.volgen_bevestigen(token=token)
        except services_volgen.VolgError as exc:
            return _privé(
                self.render_to_response({"fout": exc.message, "volger": None}, status=404)
            )
        messages.success(
            request,
            _(
                "U volgt dit initiatief nu. U krijgt een e-mail bij elke voortgang, met een link "
                "om u af te melden."
            ),
        )
        return redirect(services_volgen.initiatief_url(volger.initiatief))


class VolgenAfmeldenView(_TokenView):
    template_name = "participation/volgen_afmelden.html"

    def post(self, request, token):
        try:
            initiatief = services_volgen.volgen_afmelden(token=token)
        except services_volgen.VolgError as exc:
            return _privé(
                self.render_to_response({"fout": exc.message, "volger": None}, status=404)
            )
        messages.success(
            request,
            _("U bent afgemeld. U krijgt geen berichten meer over ‘%(titel)s’.")
            % {"titel": initiatief.titel},
        )
        return redirect(services_volgen.initiatief_url(initiatief))
