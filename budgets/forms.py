"""Forms of the budget pages. Amounts are text fields parsed strictly by
``bedragen.parse_bedrag`` (Dutch or dot notation), so that a wrong amount gets its Dutch
message next to the field and never reaches the ledger; the services check them again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .bedragen import parse_bedrag
from .models import Deelsoort

REDEN_MAX = _("Houd de reden kort: hoogstens %(limit_value)d tekens.")


class BedragField(forms.CharField):
    def __init__(self, *args, nul_toegestaan=False, **kwargs):
        self.nul_toegestaan = nul_toegestaan
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Een bedrag kan niet hoger zijn dan € 10.000.000.")},
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            if self.nul_toegestaan:
                return parse_bedrag("0", nul_toegestaan=True)
            raise ValidationError(_("Vul een bedrag in."), code="required")
        return parse_bedrag(value, nul_toegestaan=self.nul_toegestaan)


def _reden(label, required=True):
    return forms.CharField(
        label=label,
        max_length=500,
        required=required,
        error_messages={"required": _("Geef een reden."), "max_length": REDEN_MAX},
    )


def _helper(knop):
    helper = FormHelper()
    helper.add_input(Submit("opslaan", knop))
    return helper


class BudgetForm(forms.Form):
    versie = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False
    )
    programma = BedragField(
        label=Deelsoort.PROGRAMMA.label,
        nul_toegestaan=True,
        help_text=_("In euro's, zoals 25.000 of 25000,00."),
    )
    bewonersinitiatieven = BedragField(
        label=Deelsoort.BEWONERSINITIATIEVEN.label, nul_toegestaan=True
    )
    knelpunten = BedragField(label=Deelsoort.KNELPUNTEN.label, nul_toegestaan=True)
    reden = _reden(_("Toelichting (optioneel)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Budget vaststellen"))


class ReserverenForm(forms.Form):
    bedrag = BedragField(label=_("Bedrag"), help_text=_("In euro's, zoals 350 of 349,95."))
    reden = _reden(_("Waarvoor is het nodig?"))
    knelpunt = forms.ModelChoiceField(
        label=_("Het knelpunt dat het oplost"),
        queryset=None,
        required=False,
        empty_label=_("— geen knelpunt —"),
        error_messages={"invalid_choice": _("Kies een knelpunt uit de lijst.")},
    )
    melding = forms.IntegerField(
        label=_("Of het nummer van de melding die het oplost"),
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={
            "invalid": _("Vul het nummer van een melding in."),
            "min_value": _("Vul het nummer van een melding in."),
            "max_value": _("Vul het nummer van een melding in."),
        },
    )

    def __init__(self, *args, knelpunten, meldingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["knelpunt"].queryset = knelpunten
        self.fields["knelpunt"].label_from_instance = lambda k: (
            f"{k.initiatief.titel}: {k.beschrijving[:80]}"
        )
        self._meldingen = meldingen
        self.helper = _helper(_("Reserveren"))
        self.helper.form_id = "reserveren"

    def clean_melding(self):
        nummer = self.cleaned_data.get("melding")
        if nummer is None:
            return None
        melding = self._meldingen.filter(pk=nummer).first()
        if melding is None:
            raise ValidationError(_("Er is geen melding met dit nummer in dit werkgebied."))
        return melding

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("knelpunt") and not data.get("melding"):
            raise ValidationError(
                _("Kies het knelpunt of vul de melding in die deze uitgave oplost.")
            )
        return data


class BetalenForm(forms.Form):
    bedrag = BedragField(label=_("Betaald bedrag"))
    reden = _reden(_("Factuur of toelichting"))


class VrijgevenForm(forms.Form):
    reden = _reden(_("Waarom vrijgeven?"))


class CorrigerenForm(forms.Form):
    reden = _reden(_("Waarom wordt deze boeking gecorrigeerd?"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tegenboeking maken"))
