from django import forms
from django.utils.translation import gettext_lazy as _

from places.models import Werkgebied, Wijk


class GebiedVolgenForm(forms.Form):
    """Follow a werkgebied or one wijk (one of the two)."""

    werkgebied = forms.ModelChoiceField(
        queryset=Werkgebied.objects.order_by("naam"),
        required=False,
        label=_("Werkgebied"),
        empty_label=_("Kies een werkgebied"),
        error_messages={"invalid_choice": _("Kies een werkgebied uit de lijst.")},
    )
    wijk = forms.ModelChoiceField(
        queryset=Wijk.objects.order_by("naam"),
        required=False,
        label=_("Of één wijk"),
        empty_label=_("Kies een wijk"),
        error_messages={"invalid_choice": _("Kies een wijk uit de lijst.")},
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("werkgebied") and cleaned.get("wijk"):
            self.add_error("wijk", _("Kies een werkgebied óf een wijk, niet allebei."))
        elif not cleaned.get("werkgebied") and not cleaned.get("wijk"):
            self.add_error("werkgebied", _("Kies het werkgebied of de wijk die u wilt volgen."))
        return cleaned
