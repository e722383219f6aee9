"""Forms of the execution year: a progress update (one, or one row of the bulk update), a
knelpunt and its resolution. Layout and first checks only; every write goes through
``cycle.services_programma``, which checks the same things again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from .forms import _hidden_field_error
from .models import Uitvoeringsstatus
from .services_programma import STATUS_STAP

MAX_LENGTE = _("Maximaal %(limit_value)d tekens (nu %(show_value)d).")
PERCENTAGE_FOUT = _("Vul een percentage tussen 0 en 100 in.")
DATUM_FOUT = _("Vul een geldige datum in (dag-maand-jaar).")
# A date field accepts no year before 1900 or after 2100: absurd dates are typing errors.
MIN_JAAR, MAX_JAAR = 1900, 2100


def status_keuzes(initiatief) -> list[tuple[str, str]]:
    """ "Unchanged" and the execution statuses the state machine can reach from the current
    one (the service checks the transition, and who may take it, again)."""
    keuzes = [("", _("ongewijzigd (%(status)s)") % {"status": initiatief.get_status_display()})]
    for status, stap in STATUS_STAP.items():
        if status != initiatief.status and can_proceed(getattr(initiatief, stap)):
            keuzes.append((str(status), Uitvoeringsstatus(status).label))
    return keuzes


def stale_bericht(initiatief) -> str:
    """The message of a form read before someone else updated the initiative."""
    return _(
        "Iemand anders heeft de voortgang van ‘%(titel)s’ intussen bijgewerkt (de status is nu "
        "‘%(status)s’, %(percentage)d%% klaar). Er is niets opgeslagen. Uw invoer staat er nog: "
        "controleer die en sla opnieuw op."
    ) % {
        "titel": initiatief.titel,
        "status": initiatief.get_status_display(),
        "percentage": initiatief.percentage,
    }


class StatusVeld(forms.ChoiceField):
    """The new execution status: "" for unchanged. The current status itself (chosen on a page
    read before someone else changed it to that) also means unchanged."""

    huidig = None

    def to_python(self, value):
        value = super().to_python(value)
        return "" if self.huidig is not None and value == self.huidig else value


def _datum_veld(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATUM_FOUT, "required": _("Vul een datum in.")},
        **kwargs,
    )


def _redelijke_datum(form, name):
    datum = form.cleaned_data.get(name)
    if datum is not None and not MIN_JAAR <= datum.year <= MAX_JAAR:
        form.add_error(name, DATUM_FOUT)
        return None
    return datum


class _VoortgangVelden(forms.Form):
    """What a progress update says: the new status (with the expected date when delayed and
    the reason when stopped), the percentage and what happened. ``versie`` is the
    initiative's version the page was read at."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    status = StatusVeld(
        label=_("Nieuwe status"),
        required=False,
        error_messages={
            "invalid_choice": _("Deze status kan vanuit de huidige status niet worden gekozen.")
        },
    )
    percentage = forms.IntegerField(
        label=_("Voortgang (%)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": PERCENTAGE_FOUT,
            "min_value": PERCENTAGE_FOUT,
            "max_value": PERCENTAGE_FOUT,
        },
    )
    tekst = forms.CharField(
        label=_("Wat is er gebeurd?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": MAX_LENGTE},
    )
    verwacht_eind = _datum_veld(
        _("Verwachte nieuwe einddatum"),
        required=False,
        help_text=_("Alleen bij ‘vertraagd’: wanneer is het naar verwachting klaar?"),
    )
    stopreden = forms.CharField(
        label=_("Reden van stoppen"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen bij ‘gestopt’: waarom stopt het initiatief?"),
        error_messages={"max_length": MAX_LENGTE},
    )

    def __init__(self, *args, initiatief=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiatief = initiatief
        # Read before someone else updated the initiative (see ``clean``).
        self.verouderd = False
        if initiatief is not None:
            self.fields["status"].choices = status_keuzes(initiatief)
            self.fields["status"].huidig = str(initiatief.status)
            self.fields["percentage"].help_text = _("Nu %(percentage)d%%.") % {
                "percentage": initiatief.percentage
            }
        else:
            self.fields["status"].choices = [("", _("ongewijzigd"))]

    def clean_tekst(self):
        tekst = self.cleaned_data["tekst"]
        if not tekst:
            raise forms.ValidationError(_("Schrijf kort wat er gebeurd is."), code="required")
        return tekst

    def clean(self):
        data = super().clean()
        status = data.get("status")
        vandaag = timezone.localdate()
        verwacht = _redelijke_datum(self, "verwacht_eind")
        if status == Uitvoeringsstatus.VERTRAAGD:
            if verwacht is None and "verwacht_eind" not in self.errors:
                self.add_error(
                    "verwacht_eind", _("Wanneer is het naar verwachting klaar? Vul een datum in.")
                )
            elif verwacht is not None and verwacht < vandaag:
                self.add_error("verwacht_eind", _("De nieuwe datum ligt in het verleden."))
        stopreden_ontbreekt = not data.get("stopreden") and "stopreden" not in self.errors
        if status == Uitvoeringsstatus.GESTOPT and stopreden_ontbreekt:
            self.add_error("stopreden", _("Zeg waarom het initiatief stopt."))
        _hidden_field_error(self)
        # The service checks the version again (under a lock); saying it here already means
        # the user reads it together with anything else the form found.
        versie = data.get("versie")
        if self.initiatief is not None and versie is not None and versie != self.initiatief.versie:
            self.meld_verouderd()
        return data

    def meld_verouderd(self):
        """The page was read before someone else updated the initiative: say so, and carry
        the current version from now on (the form shows the current state), so that saving
        again is a decision taken knowing it."""
        self.verouderd = True
        self.add_error(None, stale_bericht(self.initiatief))
        self.data = self.data.copy()
        self.data[self.add_prefix("versie")] = str(self.initiatief.versie)

    def update_velden(self) -> dict:
        """The cleaned input as keyword arguments of ``services_programma.Update``."""
        data = self.cleaned_data
        return {
            "expected_versie": data["versie"],
            "tekst": data.get("tekst") or "",
            "percentage": data.get("percentage"),
            "status": data.get("status") or None,
            "verwacht_eind": data.get("verwacht_eind"),
            "stopreden": data.get("stopreden") or "",
        }


class VoortgangForm(_VoortgangVelden):
    """One progress update on the initiative's own page: also its date and a milestone."""

    datum = _datum_veld(
        _("Datum"), help_text=_("Waarover gaat deze update? Vandaag, of een dag ervoor.")
    )
    mijlpaal = forms.CharField(
        label=_("Mijlpaal"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: ‘plan van aanpak klaar’ of ‘eerste schoonmaakactie’."),
        error_messages={"max_length": MAX_LENGTE},
    )

    field_order = [
        "datum",
        "status",
        "verwacht_eind",
        "stopreden",
        "percentage",
        "mijlpaal",
        "tekst",
        "versie",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datum"].initial = timezone.localdate
        self.fields["tekst"].required = True
        self.fields["tekst"].error_messages["required"] = _("Schrijf kort wat er gebeurd is.")
        self.fields["tekst"].widget.attrs["rows"] = 5
        self.fields["percentage"].widget.attrs.update(min=0, max=100)
        self.fields["datum"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "datum",
            Fieldset(_("Status"), "status", "verwacht_eind", "stopreden"),
            Fieldset(_("Voortgang"), "percentage", "mijlpaal", "tekst"),
            "versie",
        )
        self.helper.add_input(Submit("opslaan", _("Voortgang opslaan")))

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("Een update gaat over wat er al gebeurd is: niet na vandaag (%(vandaag)s).")
                % {"vandaag": date_format(timezone.localdate(), "j F Y")},
                code="toekomst",
            )
        if datum.year < MIN_JAAR:
            raise forms.ValidationError(DATUM_FOUT, code="invalid")
        return datum

    def clean_mijlpaal(self):
        return " ".join(self.cleaned_data["mijlpaal"].split())

    def update_velden(self) -> dict:
        return {
            **super().update_velden(),
            "datum": self.cleaned_data.get("datum"),
            "mijlpaal": self.cleaned_data.get("mijlpaal") or "",
        }


class VoortgangRijForm(_VoortgangVelden):
    """One row of the bulk update: ``initiatief`` names it (the view loads it, within the
    user's own list). A row left empty is skipped (see ``has_changed``)."""

    initiatief_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    # The fields the user fills in: a row where none of them changed is empty.
    INVOER = ("status", "percentage", "tekst", "verwacht_eind", "stopreden")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tekst"].widget.attrs["rows"] = 2
        self.fields["stopreden"].widget = forms.TextInput()
        self.fields["percentage"].widget.attrs.update(min=0, max=100)
        for name, field in self.fields.items():
            # The table's column headers explain the fields.
            field.help_text = ""
            if name in self.INVOER:
                field.widget.attrs["class"] = "form-select" if name == "status" else "form-control"

    def full_clean(self):
        super().full_clean()
        self.markeer_fouten()

    def markeer_fouten(self):
        """Django marks a field with an error for assistive technology (aria-invalid, and
        aria-describedby pointing at ``<id>_error``); Bootstrap's class shows it."""
        for name in self.errors:
            if name in self.INVOER:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs["class"]:
                    attrs["class"] += " is-invalid"

    def has_changed(self):
        return any(name in self.changed_data for name in self.INVOER)

    def clean(self):
        data = super().clean()
        if self.initiatief is None:
            self.add_error(
                None,
                _(
                    "Dit initiatief staat niet (meer) op uw lijst: het is afgerond, of u meldt "
                    "er geen voortgang over. Laad de pagina opnieuw."
                ),
            )
        elif "initiatief_id" in self.errors or data.get("initiatief_id") != self.initiatief.pk:
            self.errors.pop("initiatief_id", None)
            self.add_error(
                None, _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")
            )
        return data


class BaseVoortgangFormSet(forms.BaseFormSet):
    """The rows of the bulk update, each with its initiative (``initiatieven``, by row)."""

    def __init__(self, *args, initiatieven=(), **kwargs):
        self.initiatieven = list(initiatieven)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        initiatief = self.initiatieven[index] if index < len(self.initiatieven) else None
        # An untouched row is skipped: it is not validated at all.
        return {"initiatief": initiatief, "empty_permitted": True, "use_required_attribute": False}

    def clean(self):
        gezien = set()
        for form in self.forms:
            if not form.has_changed() or form.initiatief is None:
                continue
            if form.initiatief.pk in gezien:
                form.add_error(None, _("Dit initiatief staat al eerder in de lijst."))
            gezien.add(form.initiatief.pk)

    def ingevuld(self):
        return [form for form in self.forms if form.has_changed()]


# Each page of the bulk update has at most this many rows.
PER_PAGINA = 50

VoortgangFormSet = forms.formset_factory(
    VoortgangRijForm,
    formset=BaseVoortgangFormSet,
    extra=0,
    max_num=PER_PAGINA,
    absolute_max=PER_PAGINA,
    validate_max=True,
)


class KnelpuntForm(forms.Form):
    beschrijving = forms.CharField(
        label=_("Wat zit er in de weg?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Het knelpunt is zichtbaar voor de wijkmanager, de wijkraad en de accounthouders "
            "van het werkgebied, niet voor het publiek."
        ),
        error_messages={
            "required": _("Beschrijf wat er in de weg zit."),
            "max_length": MAX_LENGTE,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("melden", _("Knelpunt melden")))


class OplossenForm(forms.Form):
    oplossing = forms.CharField(
        label=_("Hoe is het opgelost?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Schrijf op hoe het is opgelost."),
            "max_length": MAX_LENGTE,
        },
    )
    # Where to go back to: the initiative's page or the cycle's list of knelpunten.
    terug = forms.ChoiceField(
        choices=[("initiatief", "initiatief"), ("lijst", "lijst")],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("oplossen", _("Als opgelost afsluiten")))

    def clean(self):
        data = super().clean()
        # A tampered "back to" is not the user's problem: go back to the initiative.
        self.errors.pop("terug", None)
        data["terug"] = data.get("terug") or "initiatief"
        return data
