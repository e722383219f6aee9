"""The form of the API keys page: a new key's name. The service checks it again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NAAM_MAX


class SleutelForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=NAAM_MAX,
        help_text=_(
            "Waarvoor gebruikt u hem? Bijvoorbeeld ‘Voortgang uit ons zaaksysteem’. Zo herkent "
            "u de sleutel later, als u hem wilt intrekken."
        ),
        error_messages={
            "required": _("Geef de sleutel een naam, zoals het systeem dat hem gebruikt."),
            "max_length": _("Maximaal %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naam"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.add_input(Submit("maken", _("Sleutel maken")))
