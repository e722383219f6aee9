"""Forms of the wijkprogramma's content: an initiative (the drafter's) and the owner's answer
(toezeggen or afwijzen). Layout and input parsing only; every write goes through
``cycle.services_programma``, which checks the same things again."""

import datetime
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Hidden, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.models import Cluster, Partner

from .forms import _hidden_field_error
from .forms_agenda import MAX_LENGTE, _max_length_messages
from .forms_akkoord import check_koppelvelden, koppel_data, koppel_layout, koppelvelden
from .models import Agendapunt, Financiering, Initiatief, Participatieniveau

# What each step of the ladder means for residents (seed 000, bijlage 1).
LADDER_UITLEG = {
    Participatieniveau.INFORMEREN: _("bewoners horen vooraf wat er gebeurt en waarom"),
    Participatieniveau.RAADPLEGEN: _(
        "bewoners geven hun mening; de eigenaar weegt die mee en beslist"
    ),
    Participatieniveau.ADVISEREN: _("bewoners geven advies; wie ervan afwijkt, legt uit waarom"),
    Participatieniveau.COPRODUCEREN: _(
        "bewoners doen mee en werken het samen met de professionals uit"
    ),
    Participatieniveau.MEEBESLISSEN: _("bewoners beslissen mee over wat er gebeurt"),
}

EIGENAARS = ("cluster", "partner", "bewonersgroep")

# The largest amount the database holds (12 digits, 2 after the comma).
MAX_BEDRAG = Decimal("9999999999.99")


class EuroField(forms.CharField):
    """An amount in euros as people type it: in Dutch "1.500,50", "1500", "1500,5",
    "€ 1.500,-"; a single separator followed by one or two digits is read as the decimal one
    ("1500.50"). The separators are the active language's (in English "1,500.50"). Empty is
    zero; an amount is shown back in the same format."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Vul een bedrag in euro's in, zoals 1500 of 1.500,50."),
        "negatief": _("Een bedrag kan niet negatief zijn."),
        "centen": _("Hoogstens twee cijfers achter de komma."),
        "te_groot": _("Dat bedrag is te groot: hoogstens € 9.999.999.999,99."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return value

    def _ongeldig(self, code="invalid"):
        return ValidationError(self.error_messages[code], code=code)

    def to_python(self, value):
        tekst = super().to_python(value)
        tekst = tekst.replace("€", "").replace("\u00a0", "").replace(" ", "")
        komma, punt = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
        if tekst.endswith(f"{komma}-"):
            tekst = tekst[:-2]
        if not tekst:
            return Decimal(0)
        if len(tekst) > 30:
            raise self._ongeldig()
        if tekst.startswith("-"):
            raise self._ongeldig("negatief")
        tekst = tekst.lstrip("+")
        groepen = re.compile(r"\d{1,3}(" + re.escape(punt) + r"\d{3})+")
        if komma in tekst:
            geheel, _sep, cent = tekst.rpartition(komma)
            if punt in geheel:
                # Separators before the decimal one group thousands, by three.
                if not groepen.fullmatch(geheel):
                    raise self._ongeldig()
                geheel = geheel.replace(punt, "")
        elif groepen.fullmatch(tekst):
            geheel, cent = tekst.replace(punt, ""), ""
        elif tekst.count(punt) == 1:
            # "1500.50" in Dutch: one separator and no thousands, so a decimal one.
            geheel, _sep, cent = tekst.partition(punt)
        else:
            geheel, cent = tekst, ""
        if not re.fullmatch(r"\d*", geheel) or not re.fullmatch(r"\d*", cent):
            raise self._ongeldig()
        if not (geheel or cent):
            raise self._ongeldig()
        if len(cent) > 2:
            raise self._ongeldig("centen")
        bedrag = Decimal(f"{geheel or '0'}.{cent or '0'}")
        if bedrag > MAX_BEDRAG:
            raise self._ongeldig("te_groot")
        return bedrag


class AgendapuntChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.rang}. {obj.titel}"


class InitiatiefForm(forms.ModelForm):
    """One initiative. ``versie`` is the version of the programme the page was read at. The
    owner is one of a cluster, a partner or a residents' group: the radio says which, and
    works without JavaScript (the other two fields stay empty)."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    soort_eigenaar = forms.ChoiceField(
        label=_("Wie is eigenaar?"),
        choices=[
            ("cluster", _("een cluster van de gemeente")),
            ("partner", _("een partner (woningcorporatie, politie, welzijn…)")),
            ("bewonersgroep", _("een groep bewoners")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "De eigenaar zegt het initiatief toe en noemt de trekker. Voor een cluster doet de "
            "accounthouder dat; voor een partner of bewonersgroep legt u hun antwoord vast."
        ),
    )
    agendapunt = AgendapuntChoiceField(
        queryset=Agendapunt.objects.none(),
        label=_("Agendapunt"),
        help_text=_("Het punt van de wijkagenda dat dit initiatief dient."),
    )
    bedrag = EuroField(
        label=_("Benodigd bedrag (euro)"),
        help_text=_("Bijvoorbeeld 1500 of 1.500,50. Laat leeg als er geen geld nodig is."),
    )

    class Meta:
        model = Initiatief
        fields = [
            "agendapunt",
            "titel",
            "beoogd_effect",
            "cluster",
            "partner",
            "bewonersgroep",
            "trekker_naam",
            "bijdragers",
            "participatieniveau",
            "start",
            "eind",
            "bedrag",
            "financiering",
            "succesindicator",
        ]
        widgets = {
            "beoogd_effect": forms.Textarea(attrs={"rows": 4}),
            "participatieniveau": forms.RadioSelect,
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "eind": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, programma, **kwargs):
        super().__init__(*args, **kwargs)
        self.programma = programma
        jaar = programma.cyclus.jaar
        self.eerste_dag = datetime.date(jaar - 1, 1, 1)
        self.laatste_dag = datetime.date(jaar + 5, 12, 31)
        f = self.fields
        f["agendapunt"].queryset = Agendapunt.objects.filter(
            wijkagenda__cyclus_id=programma.cyclus_id
        ).order_by("rang", "pk")
        f["agendapunt"].empty_label = _("— kies een agendapunt —")
        f["cluster"].queryset = Cluster.objects.order_by("naam")
        f["partner"].queryset = Partner.objects.order_by("naam")
        f["cluster"].empty_label = _("— geen cluster —")
        f["partner"].empty_label = _("— geen partner —")
        f["cluster"].label = _("Cluster")
        f["partner"].label = _("Partner")
        f["bewonersgroep"].label = _("Naam van de bewonersgroep")
        f["trekker_naam"].label = _("Trekker")
        f["trekker_naam"].help_text = _(
            "Wie zorgt dat het gebeurt? Mag nu leeg blijven: de eigenaar noemt de trekker dan "
            "bij de toezegging."
        )
        f["participatieniveau"].label = _("Participatie van bewoners")
        f["participatieniveau"].help_text = _(
            "Hoeveel invloed hebben bewoners? Zeg het vooraf, zodat niemand iets anders "
            "verwacht dan er kan."
        )
        f["participatieniveau"].choices = [
            (waarde, f"{label} – {LADDER_UITLEG[waarde]}")
            for waarde, label in Participatieniveau.choices
        ]
        f["start"].help_text = _("Wanneer begint het?")
        f["eind"].help_text = _("Wanneer is het klaar?")
        f["financiering"].help_text = _("Waar komt het geld vandaan, als er geld nodig is?")
        f["agendapunt"].error_messages["required"] = _("Kies het agendapunt dat dit dient.")
        f["agendapunt"].error_messages["invalid_choice"] = _(
            "Kies een agendapunt van de wijkagenda van dit jaar."
        )
        f["titel"].error_messages["required"] = _("Geef het initiatief een titel.")
        f["beoogd_effect"].error_messages["required"] = _(
            "Beschrijf wat het initiatief in de wijk verandert."
        )
        f["succesindicator"].error_messages["required"] = _(
            "Waaraan ziet iedereen aan het eind van het jaar dat het gelukt is?"
        )
        for naam, bericht in (
            ("start", _("Vul de geplande start in.")),
            ("eind", _("Vul het geplande einde in.")),
        ):
            f[naam].error_messages["required"] = bericht
            f[naam].error_messages["invalid"] = _("Vul een geldige datum in (dag-maand-jaar).")
        for naam in ("cluster", "partner"):
            f[naam].error_messages["invalid_choice"] = _("Kies een naam uit de lijst.")
        _max_length_messages(
            self,
            [
                "titel",
                "beoogd_effect",
                "bewonersgroep",
                "trekker_naam",
                "bijdragers",
                "succesindicator",
            ],
        )
        if self.instance.pk and not self.is_bound:
            self.initial["soort_eigenaar"] = next(
                (naam for naam in EIGENAARS if getattr(self.instance, naam)), None
            )
            self.initial["bedrag"] = self.instance.bedrag
        koppeling = koppelvelden(self, programma.cyclus, self.instance)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "agendapunt",
            *koppel_layout(koppeling),
            "titel",
            "beoogd_effect",
            Fieldset(
                _("Eigenaar (kies er één)"),
                "soort_eigenaar",
                "cluster",
                "partner",
                "bewonersgroep",
            ),
            Fieldset(_("Wie doen het?"), "trekker_naam", "bijdragers"),
            "participatieniveau",
            Fieldset(_("Planning"), "start", "eind"),
            Fieldset(_("Geld"), "bedrag", "financiering"),
            "succesindicator",
            "versie",
        )
        self.helper.add_input(Submit("opslaan", _("Opslaan")))

    def clean_titel(self):
        return " ".join(self.cleaned_data["titel"].split())

    def _check_datum(self, naam):
        datum = self.cleaned_data.get(naam)
        if datum and not self.eerste_dag <= datum <= self.laatste_dag:
            self.add_error(
                naam,
                gettext("Kies een datum tussen %(van)s en %(tot)s.")
                % {
                    "van": self.eerste_dag.strftime("%d-%m-%Y"),
                    "tot": self.laatste_dag.strftime("%d-%m-%Y"),
                },
            )

    def clean(self):
        data = super().clean()
        self._check_datum("start")
        self._check_datum("eind")
        start, eind = data.get("start"), data.get("eind")
        if start and eind and eind < start and "eind" not in self.errors:
            self.add_error("eind", _("Het einde ligt vóór de start."))
        self._check_eigenaar(data)
        check_koppelvelden(self, data)
        bedrag = data.get("bedrag")
        if bedrag and data.get("financiering") == Financiering.GEEN:
            self.add_error(
                "financiering",
                _("Zeg waar het geld vandaan komt: het wijkbudget of het eigen budget."),
            )
        _hidden_field_error(self)
        return data

    def _check_eigenaar(self, data):
        """Exactly one owner: the one the radio names (or the only one filled in)."""
        # A field that did not validate (an unknown cluster) counts as filled in.
        gevuld = [naam for naam in EIGENAARS if data.get(naam) or naam in self.errors]
        soort = data.get("soort_eigenaar")
        if not soort:
            if len(gevuld) == 1:
                data["soort_eigenaar"] = gevuld[0]
            elif not gevuld:
                self.add_error(
                    "soort_eigenaar",
                    _("Kies de eigenaar: een cluster, een partner of een bewonersgroep."),
                )
            else:
                self.add_error(
                    "soort_eigenaar",
                    _("Kies één eigenaar: een cluster, een partner óf een bewonersgroep."),
                )
            return
        if soort not in gevuld:
            self.add_error(
                soort,
                {
                    "cluster": _("Kies het cluster dat eigenaar is."),
                    "partner": _("Kies de partner die eigenaar is."),
                    "bewonersgroep": _("Vul de naam van de bewonersgroep in."),
                }[soort],
            )
        for naam in gevuld:
            if naam != soort and naam not in self.errors:
                self.add_error(
                    naam,
                    _(
                        "Een initiatief heeft één eigenaar. Maak dit veld leeg, of kies "
                        "hierboven een andere soort eigenaar."
                    ),
                )

    def service_data(self) -> dict:
        """The cleaned values for ``initiatief_toevoegen`` / ``initiatief_wijzigen``."""
        data = {naam: self.cleaned_data[naam] for naam in self.Meta.fields}
        data.update(koppel_data(self))
        soort = self.cleaned_data.get("soort_eigenaar")
        for naam in EIGENAARS:
            if naam != soort:
                data[naam] = "" if naam == "bewonersgroep" else None
        return data

    def _post_clean(self):
        # Only the service writes the initiative (see ``services_programma``); the form does
        # not touch the instance it was given, so a refused save leaves nothing half-set.
        pass


class ToezeggenForm(forms.Form):
    """The owner commits. ``versie`` is the initiative's own version."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    trekker_naam = forms.CharField(
        label=_("Trekker"),
        max_length=150,
        help_text=_("Wie zorgt namens de eigenaar dat het gebeurt? Een naam is genoeg."),
        error_messages={
            "required": _("Noem de trekker: wie zorgt dat dit gebeurt?"),
            "max_length": MAX_LENGTE,
        },
    )
    trekker_email = forms.EmailField(
        label=_("E-mailadres van de trekker (optioneel)"),
        required=False,
        max_length=254,
        help_text=_(
            "Heeft de trekker een account in het portaal? Met het e-mailadres van dat account "
            "meldt de trekker straks zelf de voortgang."
        ),
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, of laat het veld leeg."),
            "max_length": MAX_LENGTE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="toezeggen", **kwargs)
        self.fields["trekker_email"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.form_id = "toezeggen-form"
        self.helper.layout = Layout(
            Hidden("actie", "toezeggen"), "trekker_naam", "trekker_email", "versie"
        )
        self.helper.add_input(Submit("toezeggen-knop", _("Toezeggen")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


class _AfwijzenKnop(Submit):
    field_classes = "btn btn-outline-danger"


class AfwijzenForm(forms.Form):
    """The owner declines, with the reason the drafter needs."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
    reden = forms.CharField(
        label=_("Waarom wijst u het af?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_(
            "Alleen zichtbaar voor wie bij het werkgebied betrokken is. Zeg wat er anders moet, "
            "zodat de opsteller het initiatief kan aanpassen."
        ),
        error_messages={
            "required": _("Zeg waarom: de opsteller moet er iets mee kunnen."),
            "max_length": MAX_LENGTE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="afwijzen", **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "afwijzen-form"
        self.helper.layout = Layout(Hidden("actie", "afwijzen"), "reden", "versie")
        self.helper.add_input(_AfwijzenKnop("afwijzen-knop", _("Afwijzen")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data
