"""Forms of the twelve-month report. Every write goes through ``cycle.services_verslag``,
which checks the same things again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import _hidden_field_error
from .models import Afloop, Oordeel

MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")


class _Form(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    knop = _("Opslaan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", self.knop))
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = MAX_LENGTE

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


class AfloopForm(_Form):
    afloop = forms.ChoiceField(
        label=_("Hoe sloot dit initiatief het jaar af?"),
        choices=[
            (Afloop.GEREALISEERD, Afloop.GEREALISEERD.label),
            (Afloop.GESCHRAPT, Afloop.GESCHRAPT.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies gerealiseerd of geschrapt.")},
    )
    reden = forms.CharField(
        label=_("Reden van schrappen"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig bij schrappen; een gestopt initiatief houdt anders zijn stopreden."),
    )


class DoorschuivenForm(_Form):
    """Carry over; with ``punten`` (the agenda of the later programme being drafted) it asks
    which point the copy serves, without them it only records the carry-over."""

    knop = _("Doorschuiven naar volgend jaar")
    agendapunt = forms.ModelChoiceField(
        label=_("Dient in het nieuwe programma het agendapunt"),
        queryset=None,
        error_messages={
            "required": _("Kies het agendapunt dat dit initiatief in het nieuwe programma dient."),
            "invalid_choice": _("Kies een agendapunt van de wijkagenda van het nieuwe programma."),
        },
    )

    def __init__(self, *args, punten=None, **kwargs):
        super().__init__(*args, **kwargs)
        if punten is None:
            del self.fields["agendapunt"]
        else:
            self.fields["agendapunt"].queryset = punten
            self.fields["agendapunt"].label_from_instance = lambda p: f"{p.rang}. {p.titel}"


class OvernemenForm(DoorschuivenForm):
    """The drafter takes a carried-over initiative into this programme."""

    knop = _("Overnemen in dit programma")


class OordeelForm(_Form):
    knop = _("Oordeel opslaan")
    oordeel = forms.ChoiceField(
        label=_("Het oordeel van de wijkraad"),
        choices=Oordeel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een oordeel.")},
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
