"""Forms of bewonersinitiatieven. Input parsing and Dutch messages next to the field only;
``budgets.services_bi`` checks everything again and decides."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cycle.forms_programma import EuroField

from . import bonnen
from .models_bi import SPELREGELS, Bewonersinitiatief

MAX_KOSTENPOSTEN = 30
TEKST = {"rows": 3}


class AanvraagForm(forms.ModelForm):
    eigen_bijdrage = EuroField(label=_("Eigen bijdrage (euro)"))
    bijdrage_anderen = EuroField(label=_("Bijdrage van andere financiers (euro)"))

    class Meta:
        model = Bewonersinitiatief
        fields = [
            "titel",
            "wat",
            "voor_wie",
            "activiteit_datum",
            "uitvoerders",
            "eigen_bijdrage",
            "andere_financiers",
            "bijdrage_anderen",
            "geboortedatum",
            "verklaring_meerderjarig",
        ]
        widgets = {
            "wat": forms.Textarea(attrs=TEKST),
            "voor_wie": forms.Textarea(attrs=TEKST),
            "uitvoerders": forms.Textarea(attrs=TEKST),
            "andere_financiers": forms.Textarea(attrs=TEKST),
            "activiteit_datum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "geboortedatum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "titel": {"required": _("Geef uw initiatief een titel.")},
            "wat": {"required": _("Vertel wat u gaat doen.")},
            "voor_wie": {"required": _("Vertel voor wie het is.")},
            "activiteit_datum": {
                "required": _("Vul de datum van de activiteit in."),
                "invalid": _("Vul een geldige datum in."),
            },
            "uitvoerders": {"required": _("Vertel wie het uitvoert.")},
            "geboortedatum": {"invalid": _("Vul een geldige datum in.")},
        }


class KostenpostForm(forms.Form):
    onderdeel = forms.CharField(
        label=_("Onderdeel"),
        max_length=200,
        required=False,
    )
    bedrag = EuroField(label=_("Kosten (euro)"))

    def clean(self):
        data = super().clean()
        onderdeel = (data.get("onderdeel") or "").strip()
        bedrag = data.get("bedrag")
        if "bedrag" in self.errors:
            return data
        if onderdeel and not bedrag:
            self.add_error("bedrag", _("Vul de kosten van dit onderdeel in."))
        elif bedrag and not onderdeel:
            self.add_error("onderdeel", _("Zeg waarvoor deze kosten zijn."))
        return data


class _KostenFormSet(forms.BaseFormSet):
    def posten(self) -> list[tuple[str, Decimal]]:
        return [
            (f.cleaned_data["onderdeel"].strip(), f.cleaned_data["bedrag"])
            for f in self.forms
            if f.cleaned_data.get("onderdeel") and f.cleaned_data.get("bedrag")
        ]

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.posten():
            raise forms.ValidationError(_("Vul minstens één onderdeel met zijn kosten in."))


KostenFormSet = forms.formset_factory(
    KostenpostForm,
    formset=_KostenFormSet,
    extra=3,
    max_num=MAX_KOSTENPOSTEN,
    validate_max=True,
    absolute_max=MAX_KOSTENPOSTEN,
)


class MedeondertekenaarForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam"), max_length=150, error_messages={"required": _("Vul de naam in.")}
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )


class OndertekenenForm(forms.Form):
    bewoner_12_plus = forms.BooleanField(
        label=_("Ik woon in deze wijk en ben 12 jaar of ouder."),
        error_messages={
            "required": _("Alleen bewoners van de wijk van 12 jaar of ouder kunnen ondertekenen.")
        },
    )


class VerlengenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van de verlenging"),
        widget=forms.Textarea(attrs=TEKST),
        error_messages={"required": _("Geef de reden van de verlenging.")},
    )


class BesluitForm(forms.Form):
    """The decision with the seven spelregels, each marked and with a note."""

    besluit = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("toekennen", _("Toekennen")), ("afwijzen", _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies: toekennen of afwijzen.")},
    )
    bedrag = EuroField(label=_("Toegekend bedrag (euro)"))
    redenen = forms.CharField(
        label=_("Redenen van de afwijzing"), required=False, widget=forms.Textarea(attrs=TEKST)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in SPELREGELS:
            self.fields[f"voldoet_{code}"] = forms.ChoiceField(
                label=label,
                choices=[("ja", _("voldoet")), ("nee", _("voldoet niet"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Geef aan of het initiatief hieraan voldoet.")},
            )
            self.fields[f"toelichting_{code}"] = forms.CharField(
                label=_("Toelichting"),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Licht uw oordeel toe.")},
            )

    def spelregel_velden(self):
        return [
            (label, self[f"voldoet_{code}"], self[f"toelichting_{code}"])
            for code, label in SPELREGELS
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("besluit") == "toekennen"
            and not data.get("bedrag")
            and "bedrag" not in self.errors
        ):
            self.add_error("bedrag", _("Vul het toegekende bedrag in."))
        if data.get("besluit") == "afwijzen" and not (data.get("redenen") or "").strip():
            self.add_error("redenen", _("Geef de redenen van de afwijzing."))
        return data

    def toetsingen(self) -> dict:
        return {
            code: (
                self.cleaned_data[f"voldoet_{code}"] == "ja",
                self.cleaned_data[f"toelichting_{code}"],
            )
            for code, _label in SPELREGELS
        }


class UitbetalenForm(forms.Form):
    bedrag = EuroField(label=_("Uit te betalen bedrag (euro)"))

    def clean_bedrag(self):
        bedrag = self.cleaned_data["bedrag"]
        if not bedrag:
            raise forms.ValidationError(_("Vul het uit te betalen bedrag in."))
        return bedrag


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BonnenField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": bonnen.ACCEPT})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class VerantwoordingForm(forms.Form):
    verslag = forms.CharField(
        label=_("Wat heeft u gedaan?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Vertel wat u heeft gedaan.")},
    )
    werkelijke_kosten = EuroField(label=_("Werkelijke kosten (euro)"), required=True)
    bonnen = BonnenField(
        label=_("Bonnen (foto of PDF, hoogstens 10 MB per bestand)"),
        error_messages={"required": _("Voeg minstens één bon toe.")},
    )

    def clean_bonnen(self):
        uploads = self.cleaned_data.get("bonnen") or []
        if len(uploads) > bonnen.MAX_BONNEN:
            raise forms.ValidationError(
                _("Hoogstens %(n)s bonnen per verantwoording."), params={"n": bonnen.MAX_BONNEN}
            )
        return [bonnen.bon_verwerken(u) for u in uploads]
