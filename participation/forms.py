"""Forms of meldingen. Layout and input checks only; every write goes through
``participation.services``."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Cluster, Partner
from places import geo
from places.models import Wijk

from .models import Meldingstatus, Thema
from .photos import FotosField

LEEFTIJDEN = [
    ("", _("alle")),
    ("week", _("jonger dan een week")),
    ("maand", _("jonger dan een maand")),
    ("ouder", _("ouder dan een maand")),
]


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, wijk):
        return wijk.naam


def _wijk_field(**kwargs):
    return WijkChoiceField(
        queryset=Wijk.objects.only("pk", "naam", "slug", "werkgebied_id").order_by("naam"),
        label=_("Wijk"),
        empty_label=_("Kies uw wijk"),
        error_messages={
            "required": _("Kies de wijk waar het over gaat."),
            "invalid_choice": _("Deze wijk kennen we niet. Kies een wijk uit de lijst."),
        },
        **kwargs,
    )


def _thema_field(**kwargs):
    return forms.ModelChoiceField(
        queryset=Thema.objects.filter(actief=True),
        label=_("Thema"),
        empty_label=_("Kies een thema"),
        error_messages={
            "required": _("Kies het thema dat het best past."),
            "invalid_choice": _("Dit thema kennen we niet. Kies een thema uit de lijst."),
        },
        **kwargs,
    )


class WaarEnWatForm(forms.Form):
    """Step one, by GET: the wijk and the theme, so the next step can show what was already
    reported there."""

    wijk = _wijk_field(to_field_name="slug")
    thema = _thema_field(to_field_name="slug")


_COORD = {
    "required": False,
    "max_digits": 9,
    "decimal_places": 6,
    "localize": False,
    "error_messages": {
        "invalid": _("Vul een getal in, of laat de kaart leeg."),
        "max_digits": _("Vul een getal met hoogstens zes decimalen in."),
        "max_decimal_places": _("Vul een getal met hoogstens zes decimalen in."),
        "max_whole_digits": _("Vul een getal met hoogstens zes decimalen in."),
    },
}


class MeldingForm(forms.Form):
    tekst = forms.CharField(
        label=_("Wat is er aan de hand?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschrijf wat u ziet of meemaakt. Noem geen namen of adressen van anderen."),
        error_messages={
            "required": _("Beschrijf wat er aan de hand is."),
            "max_length": _(
                "Schrijf hoogstens %(limit_value)d tekens (u schreef er %(show_value)d)."
            ),
        },
    )
    wijk = _wijk_field()
    thema = _thema_field()
    plek = forms.CharField(
        label=_("Straat of plek (optioneel)"),
        max_length=200,
        required=False,
        help_text=_(
            "Bijvoorbeeld: hoek Putselaan en Hilledijk, of het speelveld achter de school."
        ),
        error_messages={"max_length": _("Schrijf hoogstens %(limit_value)d tekens.")},
    )
    lengtegraad = forms.DecimalField(
        label=_("Lengtegraad (oost)"), min_value=Decimal(-180), max_value=Decimal(180), **_COORD
    )
    breedtegraad = forms.DecimalField(
        label=_("Breedtegraad (noord)"), min_value=Decimal(-90), max_value=Decimal(90), **_COORD
    )
    betreft_groep = forms.TypedChoiceField(
        label=_("Voor wie speelt dit?"),
        choices=[("0", _("Alleen voor mij")), ("1", _("Voor een groep bewoners of de buurt"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
        error_messages={"required": _("Kies voor wie dit speelt.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres voor updates (optioneel)"),
        required=False,
        max_length=254,
        help_text=_(
            "Dan krijgt u bericht als er iets verandert. Zonder adres volgt u uw melding "
            "met de volgcode."
        ),
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        },
    )
    fotos = FotosField(
        label=_("Foto's (optioneel, hoogstens 3)"),
        required=False,
        help_text=_(
            "JPEG, PNG of WebP, elk hoogstens 10 MB. We verwijderen de locatie en andere "
            "gegevens uit de foto. Als het formulier een fout meldt, kies de foto's dan opnieuw."
        ),
    )
    # A honeypot: hidden from people (and from screen readers), filled in by form robots.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False, max_length=200)

    def clean_tekst(self):
        tekst = self.cleaned_data["tekst"].strip()
        if not tekst:
            raise forms.ValidationError(_("Beschrijf wat er aan de hand is."), code="leeg")
        return tekst

    def clean_plek(self):
        return " ".join(self.cleaned_data["plek"].split())

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Het formulier kon niet worden verstuurd. Laad de pagina opnieuw."),
                code="honeypot",
            )
        lon, lat = data.get("lengtegraad"), data.get("breedtegraad")
        data["buurtcode"] = ""
        if "lengtegraad" in self.errors or "breedtegraad" in self.errors:
            return data
        if (lon is None) != (lat is None):
            self.add_error(
                "lengtegraad" if lon is None else "breedtegraad",
                _(
                    "Een plek op de kaart heeft twee getallen. Kies de plek opnieuw of laat "
                    "beide leeg."
                ),
            )
            return data
        if lon is None:
            return data
        wijken = geo.wijken_bij_punt(float(lon), float(lat))
        if not wijken:
            self.add_error(
                "lengtegraad",
                _(
                    "Dit punt ligt buiten de wijken van Rotterdam. Kies een plek binnen een wijk, "
                    "of laat de kaart leeg."
                ),
            )
            return data
        wijk = data.get("wijk")
        if wijk is not None and wijk.pk not in {w.pk for w in wijken}:
            self.add_error(
                "wijk",
                _("De plek op de kaart ligt in %(punt)s, niet in %(wijk)s. Kies de juiste wijk.")
                % {"punt": " / ".join(w.naam for w in wijken), "wijk": wijk.naam},
            )
        buurt = geo.buurt_bij_punt(float(lon), float(lat))
        data["buurtcode"] = buurt.code if buurt else ""
        return data


class OpgelostForm(forms.Form):
    opgelost = forms.TypedChoiceField(
        label=_("Is het opgelost?"),
        choices=[("ja", _("Ja, het is opgelost")), ("nee", _("Nee, het is niet opgelost"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    reactie = forms.CharField(
        label=_("Wat is er nog niet opgelost?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nodig als het niet is opgelost. Noem geen namen of adressen van anderen."),
        error_messages={"max_length": _("Schrijf hoogstens %(limit_value)d tekens.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("opgelost") is False and not (data.get("reactie") or "").strip():
            self.add_error("reactie", _("Schrijf wat er nog niet is opgelost."))
        return data


# ----------------------------------------------------------------------------- triage


class TriageFilterForm(forms.Form):
    """Filters of a werkgebied's triage list (by GET; anything unknown is ignored)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("open")), ("", _("alle")), *Meldingstatus.choices],
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"), required=False, queryset=Thema.objects.all(), empty_label=_("alle")
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), required=False, queryset=Wijk.objects.none(), empty_label=_("alle")
    )
    leeftijd = forms.ChoiceField(label=_("Leeftijd"), required=False, choices=LEEFTIJDEN)
    te_laat = forms.BooleanField(label=_("Alleen over de termijn"), required=False)

    def __init__(self, *args, werkgebied, **kwargs):
        super().__init__(*args, **kwargs)
        # No werkgebied: the wijken without a wijkraad.
        wijken = werkgebied.wijken if werkgebied else Wijk.objects.filter(werkgebied__isnull=True)
        self.fields["wijk"].queryset = wijken.order_by("naam")


class TriageForm(forms.Form):
    """One triage step; ``versie`` is the version of the melding the user read."""

    overgang = forms.CharField(widget=forms.HiddenInput, max_length=50)
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), required=False, queryset=Cluster.objects.all(), empty_label="—"
    )
    partner = forms.ModelChoiceField(
        label=_("Of een partner"), required=False, queryset=Partner.objects.all(), empty_label="—"
    )
    notitie = forms.CharField(
        label=_("Notitie voor het cluster of de partner"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Schrijf hoogstens %(limit_value)d tekens.")},
    )
    cyclus = forms.ModelChoiceField(
        label=_("Cyclus"), required=False, queryset=None, empty_label="—"
    )
    antwoord = forms.CharField(
        label=_("Antwoord aan de melder"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De melder leest dit op de volgpagina en per e-mail. Noem geen namen."),
        error_messages={"max_length": _("Schrijf hoogstens %(limit_value)d tekens.")},
    )

    def __init__(self, *args, cycli, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cyclus"].queryset = cycli


class DubbelForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    hoofdcode = forms.CharField(
        label=_("Volgcode van de hoofdmelding"),
        max_length=20,
        error_messages={"required": _("Vul de volgcode van de hoofdmelding in.")},
    )


class PubliceerbaarForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    publiceerbaar = forms.BooleanField(required=False)


class AgendapuntForm(forms.Form):
    """Link a melding taken into the cycle to an agendapunt of that cycle (empty: unlink)."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    agendapunt = forms.ModelChoiceField(
        label=_("Agendapunt"),
        required=False,
        queryset=None,
        empty_label=_("— geen agendapunt —"),
        help_text=_(
            "Het agendapunt van de wijkagenda waar deze melding bij hoort. De melder ziet het "
            "op de volgpagina zodra de agenda openbaar is."
        ),
        error_messages={"invalid_choice": _("Kies een agendapunt uit de lijst.")},
    )

    def __init__(self, *args, agendapunten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agendapunt"].queryset = agendapunten
