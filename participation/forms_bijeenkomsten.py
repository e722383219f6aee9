"""Forms of bijeenkomsten and the findings of a wijkschouw. Layout and first checks only;
``participation.services_bijeenkomsten`` checks everything again."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cycle.forms import _hidden_field_error
from cycle.models import Fase, Participatieniveau, Werkcyclus
from places import geo

from .models_bijeenkomsten import MAX_AANWEZIGEN, Soort
from .photos import FotosField

MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")
DATUMTIJD_FOUT = _("Vul een geldige datum en tijd in (dag-maand-jaar uur:minuut).")


def _datumtijd(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": DATUMTIJD_FOUT, "required": DATUMTIJD_FOUT},
    )


def _regel(label, *, required=True, max_length=200, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={"max_length": MAX_LENGTE, "required": _("Vul dit veld in.")},
    )


def _tekst(label, max_length, *, rows=5, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": MAX_LENGTE},
    )


class _CyclusKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.jaar)


class BijeenkomstForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    soort = forms.ChoiceField(
        label=_("Soort bijeenkomst"),
        choices=Soort.choices,
        error_messages={"invalid_choice": _("Kies een soort uit de lijst.")},
    )
    titel = _regel(_("Titel"))
    begin = _datumtijd(_("Begint om"))
    einde = _datumtijd(_("Eindigt om"))
    plaats = _regel(_("Plaats"), help_text=_("Bijvoorbeeld: buurthuis De Kroon."))
    adres = _regel(_("Adres (optioneel)"), required=False)
    niveau = forms.ChoiceField(
        label=_("Participatieniveau"),
        choices=Participatieniveau.choices,
        help_text=_("Wat bewoners hier kunnen beïnvloeden, op de participatieladder."),
        error_messages={"invalid_choice": _("Kies een niveau uit de lijst.")},
    )
    cyclus = _CyclusKeuze(
        queryset=Werkcyclus.objects.none(),
        label=_("Cyclus (optioneel)"),
        required=False,
        empty_label=_("— geen cyclus —"),
        error_messages={"invalid_choice": _("Kies een cyclus van dit werkgebied.")},
    )
    fase = forms.ChoiceField(
        label=_("Fase (optioneel)"),
        choices=[("", _("— geen fase —")), *Fase.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een fase uit de lijst.")},
    )
    agenda = _tekst(_("Agenda"), 5000)
    openbaar = forms.BooleanField(
        label=_("Openbaar (in de agenda en de agendafeed)"), required=False, initial=True
    )
    geannuleerd = forms.BooleanField(label=_("Geannuleerd"), required=False)
    verslag = _tekst(
        _("Verslag (na afloop)"),
        20000,
        rows=8,
        help_text=_("Wat er besproken en afgesproken is. Openbaar bij een openbare bijeenkomst."),
    )
    aantal_aanwezigen = forms.IntegerField(
        label=_("Aantal aanwezigen (na afloop)"),
        required=False,
        min_value=0,
        max_value=MAX_AANWEZIGEN,
        error_messages={
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Vul een aantal tussen 0 en %(max)d in.") % {"max": MAX_AANWEZIGEN},
            "max_value": _("Vul een aantal tussen 0 en %(max)d in.") % {"max": MAX_AANWEZIGEN},
        },
    )

    def __init__(self, *args, werkgebied, alleen_wijkraad=False, knop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cyclus"].queryset = Werkcyclus.objects.filter(werkgebied=werkgebied).order_by(
            "-jaar"
        )
        if alleen_wijkraad:
            self.fields["soort"].choices = [
                (Soort.WIJKRAADVERGADERING.value, Soort.WIJKRAADVERGADERING.label)
            ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", knop or _("Opslaan")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        begin, einde = data.get("begin"), data.get("einde")
        if begin and einde and einde <= begin:
            self.add_error("einde", _("De bijeenkomst moet eindigen na het begin."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "versie"}


_COORD = {
    "required": False,
    "max_digits": 9,
    "decimal_places": 6,
    "localize": False,
    "error_messages": {
        "invalid": _("Vul een getal in, of laat de plek leeg."),
        "max_digits": _("Vul een getal met hoogstens zes decimalen in."),
        "max_decimal_places": _("Vul een getal met hoogstens zes decimalen in."),
        "max_whole_digits": _("Vul een getal met hoogstens zes decimalen in."),
    },
}


class BevindingForm(forms.Form):
    """One finding; ``uuid`` is made by the phone's script (or by the page, without it)."""

    uuid = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
        },
    )
    tekst = forms.CharField(
        label=_("Bevinding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Beschrijf wat u ziet."),
            "max_length": MAX_LENGTE,
        },
    )
    foto = FotosField(
        label=_("Foto (optioneel)"),
        required=False,
        help_text=_("JPEG, PNG of WebP. We verwijderen de locatie en andere gegevens uit de foto."),
    )
    breedtegraad = forms.DecimalField(
        label=_("Breedtegraad (noord)"), min_value=Decimal(-90), max_value=Decimal(90), **_COORD
    )
    lengtegraad = forms.DecimalField(
        label=_("Lengtegraad (oost)"), min_value=Decimal(-180), max_value=Decimal(180), **_COORD
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One photo per finding: the field takes one file.
        self.fields["foto"].widget.allow_multiple_selected = False
        self.fields["foto"].widget.attrs["capture"] = "environment"

    def clean_tekst(self):
        tekst = self.cleaned_data["tekst"].strip()
        if not tekst:
            raise forms.ValidationError(_("Beschrijf wat u ziet."), code="leeg")
        return tekst

    def clean_foto(self):
        fotos = self.cleaned_data.get("foto") or []
        if len(fotos) > 1:
            raise forms.ValidationError(_("Eén foto per bevinding."), code="te_veel")
        return fotos[0] if fotos else None

    def clean(self):
        data = super().clean()
        if "uuid" in self.errors:
            del self.errors["uuid"]
            self.add_error(
                None, _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
            )
        data["wijk"], data["buurtcode"] = None, ""
        if "lengtegraad" in self.errors or "breedtegraad" in self.errors:
            return data
        lon, lat = data.get("lengtegraad"), data.get("breedtegraad")
        if (lon is None) != (lat is None):
            self.add_error(
                "lengtegraad" if lon is None else "breedtegraad",
                _("Een plek heeft twee getallen: vul beide in of laat beide leeg."),
            )
            return data
        if lon is None:
            return data
        wijken = geo.wijken_bij_punt(float(lon), float(lat))
        if not wijken:
            self.add_error(
                "breedtegraad",
                _("Dit punt ligt buiten Rotterdam. Controleer de getallen, of laat de plek leeg."),
            )
            return data
        data["wijk"] = wijken[0]
        buurt = geo.buurt_bij_punt(float(lon), float(lat))
        data["buurtcode"] = buurt.code if buurt else ""
        return data


class MeldingenMakenForm(forms.Form):
    """Choose findings and the theme (and, for findings without a point, the wijk) of the
    meldingen made of them."""

    bevindingen = forms.TypedMultipleChoiceField(
        label=_("Bevindingen"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies de bevindingen waarvan u meldingen maakt."),
            "invalid_choice": _("Kies alleen bevindingen uit de lijst (zonder melding)."),
        },
    )
    thema = forms.ModelChoiceField(
        queryset=None,
        label=_("Thema van de meldingen"),
        empty_label=_("Kies een thema"),
        error_messages={
            "required": _("Kies het thema van de meldingen."),
            "invalid_choice": _("Kies een thema uit de lijst."),
        },
    )
    wijk = forms.ModelChoiceField(
        queryset=None,
        label=_("Wijk voor bevindingen zonder plek"),
        required=False,
        empty_label=_("Kies een wijk"),
        error_messages={"invalid_choice": _("Kies een wijk van dit werkgebied.")},
    )

    def __init__(self, *args, bevindingen, werkgebied, **kwargs):
        super().__init__(*args, **kwargs)
        from places.models import Wijk

        from .models import Thema

        self.fields["bevindingen"].choices = [
            (b.pk, b.tekst[:80]) for b in bevindingen if b.melding_id is None
        ]
        self.fields["thema"].queryset = Thema.objects.filter(actief=True)
        self.fields["wijk"].queryset = Wijk.objects.filter(werkgebied=werkgebied).order_by("naam")
        self.fields["wijk"].label_from_instance = lambda w: w.naam
