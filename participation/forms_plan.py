"""Forms of the participation plan and the wijkraad's advice (layout and input only: the
services check all of it again)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycle.forms import _hidden_field_error
from cycle.forms_akkoord import DATUM, ONGELDIGE_DATUM, _tekst
from cycle.models import Participatieniveau

from .models import Adviesonderwerp, AntwoordVan, Draagvlaksoort, Middel


class _VersieForm(forms.Form):
    """A form with the version of the page as hidden field and one submit button."""

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


class PlanfaseForm(_VersieForm):
    niveau = forms.ChoiceField(
        label=_("Niveau op de participatieladder"),
        choices=[("", "---------"), *Participatieniveau.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een niveau van de participatieladder.")},
    )
    wel_invloed = _tekst(
        _("Waar bewoners invloed op hebben"),
        max_length=5000,
        required=False,
        rows=4,
        help_text=_(
            "De kaders: wat kunnen bewoners in deze fase veranderen? Nodig voordat een stuk van "
            "deze fase ter consultatie gaat."
        ),
    )
    geen_invloed = _tekst(
        _("Waar bewoners geen invloed op hebben"),
        max_length=5000,
        required=False,
        rows=4,
        help_text=_("Wat ligt al vast, en waarom? Ook dit is nodig voor de consultatie."),
    )
    doelgroepen = _tekst(
        _("Groepen die we willen bereiken"),
        max_length=2000,
        required=False,
        rows=3,
        help_text=_("Bijvoorbeeld jongeren, ondernemers in de winkelstraat, nieuwe bewoners."),
    )
    middelen = forms.MultipleChoiceField(
        label=_("Middelen"),
        choices=Middel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen middelen uit de lijst.")},
    )
    middelen_anders = _tekst(
        _("Ander middel"), max_length=200, required=False, help_text=_("Als u ‘anders’ kiest.")
    )
    draagvlak_aantal = forms.IntegerField(
        label=_("Genoeg draagvlak bij minimaal"),
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": _("Vul een geheel getal in."),
            "min_value": _("Vul een aantal in tussen 1 en 100.000."),
            "max_value": _("Vul een aantal in tussen 1 en 100.000."),
        },
    )
    draagvlak_soort = forms.ChoiceField(
        label=_("Wat er geteld wordt"),
        choices=[("", "---------"), *Draagvlaksoort.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies wat er geteld wordt.")},
    )

    def clean(self):
        data = super().clean()
        if "anders" in (data.get("middelen") or []) and not data.get("middelen_anders"):
            self.add_error("middelen_anders", _("Zeg welk ander middel u inzet."))
        aantal, soort = data.get("draagvlak_aantal"), data.get("draagvlak_soort")
        if aantal is not None and not soort and "draagvlak_soort" not in self.errors:
            self.add_error(
                "draagvlak_soort", _("Zeg wat er geteld wordt: steunbetuigingen, reacties…")
            )
        if soort and aantal is None and "draagvlak_aantal" not in self.errors:
            self.add_error("draagvlak_aantal", _("Vul het minimale aantal in."))
        return data


class VaststellenForm(_VersieForm):
    knop = _("Participatieplan vaststellen")


def _datum(label, *, verplicht, help_text=""):
    return forms.DateField(
        label=label,
        widget=DATUM,
        help_text=help_text,
        error_messages={"required": verplicht, "invalid": ONGELDIGE_DATUM},
    )


class _OnderwerpForm(forms.Form):
    """The subject of a new advice: what (``onderwerp``) and which (the year's cycle, or the
    wijkakkoord) among those of the werkgebied."""

    onderwerp = forms.ChoiceField(
        label=_("Waarover"),
        choices=Adviesonderwerp.choices,
        error_messages={
            "required": _("Kies waarover het advies gaat."),
            "invalid_choice": _("Kies waarover het advies gaat."),
        },
    )
    cyclus = forms.ModelChoiceField(
        label=_("Programmajaar"),
        queryset=None,
        required=False,
        help_text=_("Voor het participatieplan, de wijkagenda en het wijkprogramma."),
        error_messages={"invalid_choice": _("Kies een programmajaar van dit werkgebied.")},
    )
    wijkakkoord = forms.ModelChoiceField(
        label=_("Wijkakkoord"),
        queryset=None,
        required=False,
        help_text=_("Voor advies over het wijkakkoord."),
        error_messages={"invalid_choice": _("Kies een wijkakkoord van dit werkgebied.")},
    )
    knop = _("Opslaan")

    def __init__(self, *args, werkgebied, **kwargs):
        super().__init__(*args, **kwargs)
        from cycle.models import Werkcyclus, Wijkakkoord

        cycli = Werkcyclus.objects.filter(werkgebied=werkgebied).order_by("-jaar")
        self.fields["cyclus"].queryset = cycli
        self.fields["cyclus"].label_from_instance = lambda c: str(c.jaar)
        self.fields["wijkakkoord"].queryset = Wijkakkoord.objects.filter(
            werkgebied=werkgebied
        ).order_by("-startjaar")
        self.fields["wijkakkoord"].label_from_instance = lambda a: f"{a.titel} ({a.periode})"
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", self.knop))

    def clean(self):
        data = super().clean()
        onderwerp = data.get("onderwerp")
        if onderwerp == Adviesonderwerp.WIJKAKKOORD:
            if not data.get("wijkakkoord") and "wijkakkoord" not in self.errors:
                self.add_error("wijkakkoord", _("Kies het wijkakkoord."))
            data["cyclus"] = None
        elif onderwerp:
            if not data.get("cyclus") and "cyclus" not in self.errors:
                self.add_error("cyclus", _("Kies het programmajaar."))
            data["wijkakkoord"] = None
        return data


class AdviesVragenForm(_OnderwerpForm):
    knop = _("Advies vragen")
    vraag = _tekst(
        _("Adviesvraag"),
        max_length=5000,
        rows=5,
        verplicht=_("Schrijf op waarover u advies vraagt."),
    )
    termijn = _datum(
        _("Advies graag vóór"),
        verplicht=_("Vul de datum in waarvóór het advies nodig is."),
    )

    def clean_termijn(self):
        termijn = self.cleaned_data["termijn"]
        if termijn < timezone.localdate():
            raise forms.ValidationError(_("De termijn kan niet in het verleden liggen."))
        return termijn


class _AdviesTekst(forms.Form):
    advies = _tekst(
        _("Advies van de wijkraad"),
        max_length=10000,
        rows=8,
        verplicht=_("Schrijf het advies van de wijkraad op."),
        help_text=_("Het advies is openbaar."),
    )
    besluitdatum = _datum(
        _("Datum van het besluit van de wijkraad"),
        verplicht=_("Vul de datum van het besluit van de wijkraad in."),
    )

    def clean_besluitdatum(self):
        datum = self.cleaned_data["besluitdatum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("Het besluit van de wijkraad kan niet in de toekomst liggen.")
            )
        return datum


class OngevraagdAdviesForm(_OnderwerpForm, _AdviesTekst):
    knop = _("Ongevraagd advies vastleggen")
    field_order = ["onderwerp", "cyclus", "wijkakkoord", "advies", "besluitdatum"]


class AdviesGevenForm(_VersieForm, _AdviesTekst):
    knop = _("Advies vastleggen")


class BeantwoordenForm(_VersieForm):
    knop = _("Antwoord vastleggen")
    antwoord_van = forms.ChoiceField(
        label=_("Van wie is het antwoord"),
        choices=AntwoordVan.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Zeg van wie het antwoord is."),
            "invalid_choice": _("Zeg van wie het antwoord is."),
        },
    )
    antwoord = _tekst(
        _("Antwoord"),
        max_length=10000,
        rows=8,
        verplicht=_("Schrijf het antwoord op."),
        help_text=_("Het antwoord is openbaar, naast het advies."),
    )
