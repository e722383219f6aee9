"""Forms of the werkcyclus pages. Layout only; every write goes through ``cycle.services``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from places.models import Wijk

from .models import WERKFASEN, Werkcyclus


class WijkKiezenForm(forms.Form):
    """Choose your wijk, grouped by gebied. The template renders the select itself: Django's
    widget templates would render each of the 71 options through the template engine, on the
    busiest page of the portal."""

    wijk = forms.ChoiceField(label=_("Uw wijk"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for slug, naam, gebied in Wijk.objects.values_list("slug", "naam", "gebied__naam").order_by(
            "gebied__naam", "naam"
        ):
            groups.setdefault(gebied, []).append((slug, naam))
        self.groups = list(groups.items())
        self.fields["wijk"].choices = self.groups
        self.fields["wijk"].error_messages["required"] = _("Kies een wijk uit de lijst.")
        self.fields["wijk"].error_messages["invalid_choice"] = _(
            "Deze wijk kennen we niet. Kies een wijk uit de lijst."
        )


class WerkcyclusForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Programmajaar"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Vul het programmajaar in."),
            "invalid": _("Vul een jaartal in, bijvoorbeeld 2027."),
            "min_value": _("Het programmajaar moet 2000 of later zijn."),
            "max_value": _("Het programmajaar moet 2100 of eerder zijn."),
        },
        help_text=_("Het jaar waarin het wijkprogramma wordt uitgevoerd."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].initial = timezone.localdate().year + 1
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", _("Cyclus starten")))


class PlanningForm(forms.ModelForm):
    # The version of the cycle the form was loaded with: a stale form overwrites nothing.
    versie = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Werkcyclus
        fields = [f"{fase}_{deel}" for fase in WERKFASEN for deel in ("begin", "eind")]
        widgets = {
            f"{fase}_{deel}": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for fase in WERKFASEN
            for deel in ("begin", "eind")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Vul een datum in.")
            field.error_messages["invalid"] = _("Vul een geldige datum in (dag-maand-jaar).")
        # One fieldset per phase, its name as legend, begin and end side by side (stacked on
        # a phone); inside the named group "Begin" and "Einde" say enough.
        for fase in WERKFASEN:
            self.fields[f"{fase}_begin"].label = _("Begin")
            self.fields[f"{fase}_eind"].label = _("Einde")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[
                Fieldset(
                    format_lazy("{}. {}", index, capfirst(fase.label)),
                    Row(
                        Column(f"{fase}_begin", css_class="col-sm-6"),
                        Column(f"{fase}_eind", css_class="col-sm-6"),
                    ),
                    css_class="planning-fase mb-3",
                )
                for index, fase in enumerate(WERKFASEN, start=1)
            ]
        )
        self.helper.layout.append("versie")
        self.helper.add_input(Submit("opslaan", _("Planning opslaan")))

    def clean(self):
        data = super().clean()
        for fase in WERKFASEN:
            begin, eind = data.get(f"{fase}_begin"), data.get(f"{fase}_eind")
            if begin and eind and eind < begin:
                self.add_error(f"{fase}_eind", _("Het einde ligt vóór het begin van deze fase."))
        _hidden_field_error(self)
        return data

    def validate_constraints(self, exclude=None):
        # The begin/end constraints are checked per field in clean(), with a clearer message.
        pass


def _hidden_field_error(form) -> None:
    """A hidden field has no place to show its error: say it above the form."""
    if "versie" in form.errors:
        del form.errors["versie"]
        form.add_error(None, _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw."))


class ProductForm(forms.ModelForm):
    """Title and text sections of a product; ``versie`` guards against overwriting."""

    versie = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titel"].error_messages["required"] = _("Geef het stuk een titel.")
        for naam in self._meta.model.VERPLICHTE_SECTIES:
            self.fields[naam].help_text = _("Nodig om het stuk vast te stellen.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", _("Opslaan")))

    def clean_titel(self):
        # A title is one line: it becomes the subject of mail, where a line break could
        # inject headers.
        return " ".join(self.cleaned_data["titel"].split())

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data


def product_form_class(model):
    """The form for one kind of product."""
    return forms.modelform_factory(
        model,
        form=ProductForm,
        fields=["titel", *model.SECTIES],
        widgets={naam: forms.Textarea(attrs={"rows": 6}) for naam in model.SECTIES},
    )


class TransitionForm(forms.Form):
    """One step. ``verwacht`` and ``versie`` are the state and version the user read."""

    overgang = forms.CharField(widget=forms.HiddenInput, max_length=50)
    verwacht = forms.CharField(widget=forms.HiddenInput, max_length=30)
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    reden = forms.CharField(label=_("Toelichting (optioneel)"), required=False, max_length=500)
    bevestigd = forms.BooleanField(required=False)
    besluitreferentie = forms.CharField(required=False, max_length=100)


class OpmerkingForm(forms.Form):
    tekst = forms.CharField(
        label=_("Uw opmerking voor de opsteller"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages={
            "required": _("Schrijf eerst uw opmerking."),
            "max_length": _("Een opmerking is hoogstens 3000 tekens (nu %(show_value)d)."),
        },
        help_text=_("Alleen zichtbaar voor wie bij dit werkgebied betrokken is; niet openbaar."),
    )
