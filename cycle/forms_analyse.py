"""Forms of the wijkanalyse's content. Layout only; writes go through
``cycle.services_analyse``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import _hidden_field_error
from .models import ThemaAnalyse


class ThemaAnalyseForm(forms.ModelForm):
    """Strengths, problems, opportunities and evidence of one theme. ``versie`` is the version
    of the wijkanalyse the page was read at."""

    versie = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ThemaAnalyse
        fields = ["sterktes", "problemen", "kansen", "onderbouwing"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sterktes", "problemen", "kansen", "onderbouwing"):
            self.fields[name].error_messages["max_length"] = _(
                "Maximaal %(limit_value)d tekens (nu %(show_value)d)."
            )
        self.fields["onderbouwing"].help_text = _(
            "Welke cijfers, meldingen of gesprekken laten dit zien? Antwoorden uit de checklist "
            "citeert u vanuit het overzicht van de antwoorden."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("opslaan", _("Opslaan")))

    def clean(self):
        data = super().clean()
        _hidden_field_error(self)
        return data

    def validate_unique(self):
        # The service creates or updates the one analysis of this theme.
        pass


class VersieForm(forms.Form):
    """A POST-only step on the content (remove a theme, remove a quote): the version read."""

    versie = forms.IntegerField(min_value=0)
