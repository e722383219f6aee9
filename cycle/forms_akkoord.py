"""Forms of the wijkakkoord (layout and input only; ``cycle.services_akkoord`` checks all of
it again), and the opgave and doel fields that the agendapunt and initiative forms get where
an adopted akkoord covers the cycle's year."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors_akkoord
from .forms import _hidden_field_error

# As in ``forms_agenda`` (which imports this module).
MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")
DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ONGELDIGE_DATUM = _("Vul een geldige datum in (dag-maand-jaar).")


def _tekst(label, *, max_length, required=True, rows=None, help_text="", verplicht=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={"required": verplicht, "max_length": MAX_LENGTE},
    )


class _AkkoordForm(forms.Form):
    """A form with the akkoord's version as hidden field and one submit button."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    knop = _("Opslaan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", self.knop))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


class WijkakkoordNieuwForm(forms.Form):
    startjaar = forms.IntegerField(
        label=_("Eerste jaar"),
        min_value=2000,
        max_value=2097,
        help_text=_("Het akkoord geldt vier programmajaren, vanaf dit jaar."),
        error_messages={
            "required": _("Vul het eerste jaar van het akkoord in."),
            "invalid": _("Vul een jaartal in, zoals 2026."),
            "min_value": _("Kies een eerste jaar tussen 2000 en 2097."),
            "max_value": _("Kies een eerste jaar tussen 2000 en 2097."),
        },
    )
    titel = _tekst(
        _("Titel"),
        max_length=200,
        required=False,
        help_text=_("Leeg: ‘Wijkakkoord <werkgebied> <jaren>’."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", _("Wijkakkoord starten")))


class WijkakkoordForm(_AkkoordForm):
    titel = _tekst(_("Titel"), max_length=200, verplicht=_("Geef het wijkakkoord een titel."))
    wijkvisie = _tekst(
        _("Wijkvisie"),
        max_length=10000,
        required=False,
        rows=10,
        help_text=_(
            "Het toekomstbeeld: hoe ziet de wijk er over vier jaar uit? Nodig om het akkoord "
            "voor advies voor te leggen."
        ),
    )


class OpgaveForm(_AkkoordForm):
    titel = _tekst(_("Titel"), max_length=200, verplicht=_("Geef de opgave een titel."))
    beschrijving = _tekst(
        _("Beschrijving"),
        max_length=5000,
        rows=5,
        verplicht=_("Beschrijf de opgave: wat moet er in de wijk gebeuren, en waarom?"),
    )


class DoelForm(_AkkoordForm):
    titel = _tekst(_("Doel"), max_length=300, verplicht=_("Beschrijf het doel."))


class ResultaatForm(_AkkoordForm):
    tekst = _tekst(
        _("Beoogd resultaat"),
        max_length=500,
        verplicht=_("Beschrijf het resultaat dat het doel moet opleveren."),
    )
    indicator = _tekst(
        _("Meetbare indicator (optioneel)"),
        max_length=300,
        required=False,
        help_text=_("Waaraan het resultaat te meten is, bijvoorbeeld ‘30% minder meldingen’."),
    )


class AdviesForm(_AkkoordForm):
    knop = _("Advies vastleggen")
    advies = _tekst(
        _("Advies"),
        max_length=10000,
        rows=8,
        verplicht=_("Schrijf het advies op."),
        help_text=_("Het advies is openbaar zodra het wijkakkoord is gepubliceerd."),
    )
    advies_van = _tekst(
        _("Advies van"),
        max_length=200,
        verplicht=_("Zeg van wie het advies is, bijvoorbeeld de wijkraad."),
    )
    advies_op = forms.DateField(
        label=_("Datum van het advies"),
        widget=DATUM,
        error_messages={
            "required": _("Vul de datum van het advies in."),
            "invalid": ONGELDIGE_DATUM,
        },
    )

    def clean_advies_op(self):
        datum = self.cleaned_data["advies_op"]
        if datum > datetime.date.today():
            raise forms.ValidationError(_("Het advies kan niet in de toekomst gegeven zijn."))
        return datum


class VaststellenForm(_AkkoordForm):
    knop = _("Vaststellen")
    vastgesteld_op = forms.DateField(
        label=_("Datum van het besluit"),
        widget=DATUM,
        error_messages={
            "required": _("Vul de datum van het besluit in."),
            "invalid": ONGELDIGE_DATUM,
        },
    )
    vastgesteld_door = _tekst(
        _("Vastgesteld door"),
        max_length=200,
        verplicht=_("Zeg wie het besloot, bijvoorbeeld de gemeenteraad."),
        help_text=_("In Rotterdam: de wijkraad bekrachtigt, college en gemeenteraad stellen vast."),
    )
    besluitreferentie = _tekst(
        _("Besluitreferentie"),
        max_length=100,
        verplicht=_("Vul de referentie van het besluit in."),
    )

    def clean_vastgesteld_op(self):
        datum = self.cleaned_data["vastgesteld_op"]
        if datum > datetime.date.today():
            raise forms.ValidationError(_("Het besluit kan niet in de toekomst liggen."))
        return datum


class StapForm(forms.Form):
    """A POST-only step (to advice, publish, remove): the status and version read."""

    versie = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    status = forms.CharField(max_length=20, required=False)


# ---------------------------------------- the opgave and doel on agendapunt and initiative


class _OpgaveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.volgorde}. {obj.titel}"


class _DoelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.opgave.volgorde}. {obj.opgave.titel} – {obj.titel}"


KOPPELVELDEN = ("wijkopgave", "doel")


def koppelvelden(form, cyclus, instance=None) -> list[str]:
    """Add the opgave and doel fields to ``form`` when an adopted akkoord covers ``cyclus``'s
    year; their choices are that akkoord's. Returns the names added (for the layout)."""
    akkoord = selectors_akkoord.geldend_akkoord(cyclus.werkgebied_id, cyclus.jaar)
    if akkoord is None:
        return []
    form.akkoord = akkoord
    form.fields["wijkopgave"] = _OpgaveChoiceField(
        queryset=selectors_akkoord.opgave_keuzes(akkoord),
        required=False,
        label=_("Wijkopgave"),
        empty_label=_("— geen opgave —"),
        help_text=_("De opgave uit het %(akkoord)s die dit dient.") % {"akkoord": akkoord.titel},
        error_messages={"invalid_choice": _("Kies een opgave uit het wijkakkoord.")},
    )
    form.fields["doel"] = _DoelChoiceField(
        queryset=selectors_akkoord.doel_keuzes(akkoord),
        required=False,
        label=_("Doel"),
        empty_label=_("— geen doel —"),
        help_text=_("Optioneel: het doel van die opgave waaraan dit bijdraagt."),
        error_messages={"invalid_choice": _("Kies een doel uit het wijkakkoord.")},
    )
    if instance is not None and instance.pk and not form.is_bound:
        form.initial.setdefault("wijkopgave", instance.wijkopgave_id)
        form.initial.setdefault("doel", instance.doel_id)
    return list(KOPPELVELDEN)


def koppel_layout(namen) -> list:
    return [Fieldset(_("Wijkakkoord"), *namen)] if namen else []


def check_koppelvelden(form, data) -> None:
    """The doel belongs to the chosen opgave (the service checks it again)."""
    opgave, doel = data.get("wijkopgave"), data.get("doel")
    if doel is not None and opgave is not None and doel.opgave_id != opgave.pk:
        form.add_error(
            "doel", _("Dit doel hoort bij een andere opgave. Kies een doel van de opgave.")
        )


def koppel_data(form) -> dict:
    """The opgave and doel for the service, when the form has the fields."""
    if "wijkopgave" not in form.fields:
        return {}
    return {naam: form.cleaned_data.get(naam) for naam in KOPPELVELDEN}
