"""Forms of following an initiative, and of linking a melding to the initiative it led to."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services_volgen import EMAIL_MAX, schoon_email


class VolgenForm(forms.Form):
    # A CharField, not an EmailField: the service's own check gives the one set of messages
    # (and an overlong address its own one, not the browser's cut-off).
    email = forms.CharField(
        label=_("Uw e-mailadres"),
        max_length=EMAIL_MAX,
        strip=True,
        help_text=_(
            "U krijgt eerst een e-mail met een link om te bevestigen. Daarna krijgt u bericht "
            "bij elke voortgang; in elk bericht staat een link om u af te melden."
        ),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "max_length": _("Een e-mailadres heeft hoogstens %(limit_value)d tekens."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people (and from screen readers), filled in by form robots.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False, max_length=200)

    def clean_email(self):
        try:
            return schoon_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise exc.error_dict["email"][0] from None


class InitiatiefForm(forms.Form):
    """Link a melding taken into the cycle to an initiative of that cycle (empty: unlink)."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    initiatief = forms.ModelChoiceField(
        label=_("Initiatief"),
        required=False,
        queryset=None,
        empty_label=_("— geen initiatief —"),
        help_text=_(
            "Het initiatief uit het wijkprogramma dat uit deze melding is voortgekomen. De "
            "melder ziet het met zijn voortgang op de volgpagina zodra het programma openbaar is."
        ),
        error_messages={"invalid_choice": _("Kies een initiatief uit de lijst.")},
    )

    def __init__(self, *args, initiatieven, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatief"].queryset = initiatieven
