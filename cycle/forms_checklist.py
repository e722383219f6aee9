"""Forms of the checklist pages. Layout and input checks only; the writes are
``cycle.services_checklist`` (answering) and ``cycle.services_analyse`` (quoting)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import _hidden_field_error
from .models import Wijkthema
from .services_checklist import MAX_LENGTE, veldnaam

GECITEERD_HELP = _(
    "Dit antwoord is geciteerd in de wijkanalyse en ligt daarom vast. Wilt u het wijzigen? "
    "Vraag de wijkmanager het citaat eerst te verwijderen."
)


class ChecklistForm(forms.Form):
    """The questions as text fields, in a fieldset per group; all optional. ``versie`` is the
    version of the respondent's checklist the form was loaded with (empty: not filled in
    yet); ``respondent`` the type they answer as (chosen on the page, not in the form)."""

    respondent = forms.CharField(widget=forms.HiddenInput, max_length=20)
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, groepen, respondent: str, invulling=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respondent"].initial = respondent
        self.fields["versie"].initial = invulling.versie if invulling else None
        eigen = getattr(invulling, "per_nummer", {}) if invulling else {}
        self.vraagvelden = []
        fieldsets = []
        for groep in groepen:
            namen = []
            for vraag in groep["vragen"]:
                naam = veldnaam(vraag.nummer)
                antwoord = eigen.get(vraag.nummer)
                veld = forms.CharField(
                    label=f"{vraag.nummer}. {vraag.tekst}",
                    required=False,
                    max_length=MAX_LENGTE,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=antwoord.tekst if antwoord else "",
                    error_messages={
                        "max_length": _(
                            "Een antwoord is ten hoogste %(limit_value)d tekens lang (dit zijn "
                            "er %(show_value)d). Maak het korter."
                        ),
                    },
                )
                if antwoord is not None and antwoord.geciteerd:
                    veld.disabled = True
                    veld.help_text = GECITEERD_HELP
                self.fields[naam] = veld
                self.vraagvelden.append((vraag.nummer, naam))
                namen.append(naam)
            fieldsets.append(Fieldset(groep["naam"], *namen, css_class="mb-4"))
        self.heeft_vastgehouden = any(self.fields[n].disabled for _, n in self.vraagvelden)
        self.helper = FormHelper()
        self.helper.layout = Layout(*fieldsets, "respondent", "versie")
        self.helper.add_input(Submit("opslaan", _("Antwoorden opslaan")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        if "respondent" in self.errors:
            del self.errors["respondent"]
            self.add_error(
                None, _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
            )
        ingevuld = any(
            (data.get(naam) or "").strip()
            for _, naam in self.vraagvelden
            if not self.fields[naam].disabled
        )
        if not ingevuld and not self.heeft_vastgehouden and not self.errors:
            self.add_error(
                None, _("Vul minstens één vraag in. U hoeft niet alle vragen te beantwoorden.")
            )
        return data

    def antwoorden(self) -> dict[int, str]:
        """The answers to send to the service (a quoted answer is not sent: it is kept)."""
        return {
            nummer: self.cleaned_data.get(naam, "")
            for nummer, naam in self.vraagvelden
            if not self.fields[naam].disabled
        }


class CiterenForm(forms.Form):
    """Quote one answer in the analysis of a theme. ``versie`` is the version of the
    wijkanalyse the overview was loaded with. The overview renders its fields itself (one
    small form per answer)."""

    thema = forms.ModelChoiceField(
        queryset=Wijkthema.objects.filter(actief=True),
        error_messages={
            "required": _("Kies het thema waarbij u het antwoord wilt citeren."),
            "invalid_choice": _("Dit thema bestaat niet (meer). Kies een ander thema."),
        },
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CitaatVerwijderenForm(forms.Form):
    thema_analyse = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
