"""Forms of the wijkagenda's content. Layout only; the choices come from
``cycle.selectors_agenda`` and every write goes through ``cycle.services_agenda`` (which checks
the same things again)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from people.models import Cluster, Partner

from . import selectors_agenda
from .forms import _hidden_field_error
from .forms_akkoord import check_koppelvelden, koppel_data, koppel_layout, koppelvelden
from .models import Agendapunt, Beleidssignaal

MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")


def _max_length_messages(form, names):
    for name in names:
        form.fields[name].error_messages["max_length"] = MAX_LENGTE


class CitaatChoiceField(forms.ModelMultipleChoiceField):
    """A quoted answer as its question number, the respondent's type and its text; never the
    respondent's name."""

    def label_from_instance(self, obj):
        return _("Vraag %(nummer)d, %(wie)s: “%(tekst)s”") % {
            "nummer": obj.vraag.nummer,
            "wie": obj.invulling.get_respondent_display(),
            "tekst": Truncator(obj.tekst).chars(200),
        }


class ThemaAnalyseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("De analyse van het thema ‘%(thema)s’") % {"thema": obj.thema}


class AgendapuntForm(forms.ModelForm):
    """One agendapunt. ``versie`` is the version of the agenda the page was read at."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    themaanalyses = ThemaAnalyseChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Gebaseerd op de analyse van deze thema's in de wijkanalyse"),
    )
    citaten = CitaatChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Geciteerde antwoorden uit de checklist"),
        help_text=_("De antwoorden die de wijkanalyse citeert."),
    )

    class Meta:
        model = Agendapunt
        fields = [
            "titel",
            "probleem",
            "thema",
            "wijken",
            "buurten",
            "themaanalyses",
            "citaten",
            "onderbouwing",
            "collectief",
        ]
        widgets = {
            "probleem": forms.Textarea(attrs={"rows": 4}),
            "onderbouwing": forms.Textarea(attrs={"rows": 3}),
            "wijken": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        self.fields["thema"].queryset = selectors_agenda.thema_keuzes(
            instance.thema_id if instance else None
        )
        self.fields["thema"].empty_label = _("— kies een thema —")
        self.fields["thema"].help_text = _("Nodig om de agenda vast te stellen.")
        self.fields["wijken"].queryset = agenda.cyclus.werkgebied.wijken.order_by("naam")
        self.fields["themaanalyses"].queryset = selectors_agenda.themaanalyse_keuzes(agenda)
        huidige = instance.citaten.values_list("pk", flat=True) if instance else ()
        self.fields["citaten"].queryset = selectors_agenda.citaat_keuzes(agenda, huidige)
        self.fields["titel"].error_messages["required"] = _("Geef het agendapunt een titel.")
        self.fields["probleem"].error_messages["required"] = _(
            "Beschrijf het probleem zoals bewoners het zeggen."
        )
        self.fields["onderbouwing"].help_text = _(
            "Cijfers, meldingen, gesprekken. Nodig om de agenda vast te stellen als u hierboven "
            "geen analyse of antwoord kiest."
        )
        collectief = self.fields["collectief"]
        collectief.required = True
        collectief.error_messages["required"] = _(
            "Op de wijkagenda staan alleen punten die een groep bewoners dienen. Bevestig dat "
            "dit punt dat doet; gaat het om één persoon of één adres, dan hoort het als melding "
            "bij de afhandeling van meldingen."
        )
        _max_length_messages(self, ["titel", "probleem", "buurten", "onderbouwing"])
        koppeling = koppelvelden(self, agenda.cyclus, instance)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "titel",
            "probleem",
            "thema",
            *koppel_layout(koppeling),
            Fieldset(_("Waar speelt het?"), "wijken", "buurten"),
            Fieldset(_("Waarop het punt rust"), "themaanalyses", "citaten", "onderbouwing"),
            "collectief",
            "versie",
        )
        self.helper.add_input(Submit("opslaan", _("Opslaan")))

    def clean_titel(self):
        return " ".join(self.cleaned_data["titel"].split())

    def clean(self):
        data = super().clean()
        check_koppelvelden(self, data)
        _hidden_field_error(self)
        return data

    def service_data(self) -> dict:
        """The cleaned values for ``agendapunt_create`` / ``agendapunt_update``."""
        return {
            **{name: self.cleaned_data[name] for name in self.Meta.fields},
            **koppel_data(self),
        }

    def validate_constraints(self, exclude=None):
        # The rank is the service's; "collectief" is a required field above.
        pass

    def validate_unique(self):
        pass


class BeleidssignaalForm(forms.ModelForm):
    versie = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Beleidssignaal
        fields = ["titel", "toelichting", "cluster", "partner"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.order_by("naam")
        self.fields["partner"].queryset = Partner.objects.order_by("naam")
        self.fields["cluster"].empty_label = _("— geen cluster —")
        self.fields["partner"].empty_label = _("— geen partner —")
        self.fields["cluster"].help_text = _(
            "Een cluster van de gemeente; de accounthouders ervan beantwoorden het signaal."
        )
        self.fields["partner"].help_text = _(
            "Of een partner (woningcorporatie, politie…); de wijkmanager legt diens antwoord vast."
        )
        self.fields["titel"].error_messages["required"] = _("Geef het signaal een titel.")
        self.fields["toelichting"].error_messages["required"] = _(
            "Leg uit welk beleid anders moet, en waarom."
        )
        _max_length_messages(self, ["titel", "toelichting"])
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "titel",
            "toelichting",
            Fieldset(_("Gericht aan (kies er één)"), "cluster", "partner"),
            "versie",
        )
        self.helper.add_input(Submit("opslaan", _("Opslaan")))

    def clean_titel(self):
        return " ".join(self.cleaned_data["titel"].split())

    def clean(self):
        data = super().clean()
        beide_gelezen = "cluster" in data and "partner" in data
        if beide_gelezen and (data["cluster"] is None) == (data["partner"] is None):
            self.add_error(
                "cluster",
                _("Richt het signaal aan één cluster óf één partner: kies er precies één."),
            )
        _hidden_field_error(self)
        return data

    def validate_constraints(self, exclude=None):
        pass


class AntwoordForm(forms.Form):
    """The written answer of the addressee. ``versie`` is the signal's own version."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    antwoord = forms.CharField(
        label=_("Antwoord"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Het antwoord is openbaar, bij de wijkagenda."),
        error_messages={
            "required": _("Schrijf het antwoord op het signaal."),
            "max_length": MAX_LENGTE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("beantwoorden", _("Antwoord versturen")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


class VersieForm(forms.Form):
    """A POST-only step (move, remove, take up): the version read."""

    versie = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    richting = forms.ChoiceField(choices=[("op", "op"), ("neer", "neer")], required=False)
