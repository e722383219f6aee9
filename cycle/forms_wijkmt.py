"""Forms of the wijk-MT: the wijkraad delegation, a meeting, a decision of its besluitenlijst.
Layout and first checks only; ``cycle.services_wijkmt`` checks everything again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User

from . import selectors_wijkmt
from .forms import _hidden_field_error
from .models import Initiatief, Knelpunt

MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")
DATUM_FOUT = _("Vul een geldige datum in (dag-maand-jaar).")


def _datum_veld(label, *, required, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATUM_FOUT, "required": _("Vul een datum in.")},
    )


def _tekst_veld(label, max_length, *, required=False, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": MAX_LENGTE},
    )


class _Versie(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


class _Naam(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.naam or obj.email


class DelegatieForm(_Versie):
    leden = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Wijkraadsleden in het wijk-MT"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Alleen wijkraadsleden van dit werkgebied met een lopende rol. Loopt hun rol af, "
            "dan staan ze vanzelf niet meer in het wijk-MT."
        ),
        error_messages={
            "invalid_choice": _("Kies alleen wijkraadsleden uit de lijst."),
            "invalid_pk_value": _("Kies alleen wijkraadsleden uit de lijst."),
        },
    )

    def __init__(self, *args, werkgebied, **kwargs):
        super().__init__(*args, **kwargs)
        from .services_wijkmt import wijkraadsleden_van

        veld = self.fields["leden"]
        veld.queryset = User.objects.filter(
            pk__in=wijkraadsleden_van(werkgebied).values("user_id")
        ).order_by("naam", "pk")
        veld.label_from_instance = lambda u: u.naam or u.email
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", _("Delegatie opslaan")))


class OverlegForm(_Versie):
    datum = _datum_veld(_("Datum"), required=True)
    locatie = forms.CharField(
        label=_("Locatie"),
        required=False,
        max_length=200,
        error_messages={"max_length": MAX_LENGTE},
    )
    agenda = _tekst_veld(_("Agenda"), 5000, help_text=_("Wat er besproken wordt, punt voor punt."))
    notities = _tekst_veld(
        _("Verslag en notities"),
        20000,
        rows=8,
        help_text=_("De besluiten zelf legt u daarna vast in de besluitenlijst."),
    )

    def __init__(self, *args, knop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", knop or _("Overleg opslaan")))


class _InitiatiefKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.titel} ({obj.wijkprogramma.cyclus.jaar})"


class _KnelpuntKeuze(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        tekst = obj.beschrijving if len(obj.beschrijving) <= 80 else obj.beschrijving[:79] + "…"
        return f"{obj.initiatief.titel}: {tekst}"


class BesluitForm(_Versie):
    tekst = _tekst_veld(_("Besluit"), 3000, required=True, rows=3)
    actiehouder = _Naam(
        queryset=User.objects.none(),
        label=_("Actiehouder uit het wijk-MT"),
        required=False,
        empty_label=_("— niemand uit het wijk-MT —"),
        error_messages={"invalid_choice": _("Kies een lid van het wijk-MT uit de lijst.")},
    )
    actiehouder_naam = forms.CharField(
        label=_("Of: naam van de actiehouder"),
        required=False,
        max_length=150,
        help_text=_("Voor iemand buiten het wijk-MT, bijvoorbeeld een partner."),
        error_messages={"max_length": MAX_LENGTE},
    )
    deadline = _datum_veld(_("Deadline"), required=False)
    initiatief = _InitiatiefKeuze(
        queryset=Initiatief.objects.none(),
        label=_("Over het initiatief"),
        required=False,
        empty_label=_("— geen initiatief —"),
        error_messages={"invalid_choice": _("Kies een initiatief uit de lijst.")},
    )
    knelpunt = _KnelpuntKeuze(
        queryset=Knelpunt.objects.none(),
        label=_("Over het knelpunt"),
        required=False,
        empty_label=_("— geen knelpunt —"),
        help_text=_("De open knelpunten van dit werkgebied."),
        error_messages={"invalid_choice": _("Kies een knelpunt uit de lijst.")},
    )

    def __init__(self, *args, werkgebied, besluit=None, knop=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services_wijkmt import mogelijke_actiehouders

        f = self.fields
        f["actiehouder"].queryset = User.objects.filter(
            pk__in=mogelijke_actiehouders(werkgebied)
            | ({besluit.actiehouder_id} if besluit and besluit.actiehouder_id else set())
        ).order_by("naam", "pk")
        f["initiatief"].queryset = selectors_wijkmt.te_koppelen_initiatieven(
            werkgebied, huidig_id=besluit.initiatief_id if besluit else None
        )
        f["knelpunt"].queryset = selectors_wijkmt.te_koppelen_knelpunten(
            werkgebied, huidig_id=besluit.knelpunt_id if besluit else None
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", knop or _("Besluit opslaan")))

    def clean(self):
        data = super().clean()
        if data.get("actiehouder") and data.get("actiehouder_naam"):
            self.add_error(
                "actiehouder_naam",
                _("Kies een lid van het wijk-MT óf schrijf een naam op, niet allebei."),
            )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "versie"}


class VerwijderForm(_Versie):
    """A POST-only step: the version read."""
