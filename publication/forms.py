from django import forms
from django.utils.translation import gettext_lazy as _

from places.models import Gebied, Werkgebied, Wijk

from .models import SOORTEN


class ArchiefFilterForm(forms.Form):
    """The filters of the public archive. Unknown values are ignored, not errors."""

    gebied = forms.ModelChoiceField(
        Gebied.objects.only("slug", "naam"),
        to_field_name="slug",
        required=False,
        label=_("Gebied"),
        empty_label=_("alle"),
    )
    werkgebied = forms.ModelChoiceField(
        Werkgebied.objects.only("slug", "naam").order_by("naam"),
        to_field_name="slug",
        required=False,
        label=_("Werkgebied"),
        empty_label=_("alle"),
    )
    wijk = forms.ModelChoiceField(
        Wijk.objects.only("slug", "naam", "werkgebied_id").order_by("naam"),
        to_field_name="slug",
        required=False,
        label=_("Wijk"),
        empty_label=_("alle"),
    )
    jaar = forms.TypedChoiceField(coerce=int, required=False, label=_("Jaar"), empty_value=None)
    soort = forms.ChoiceField(choices=[("", _("alle")), *SOORTEN], required=False, label=_("Soort"))

    def __init__(self, *args, jaren=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [("", _("alle")), *((j, j) for j in jaren)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict | None:
        """The filters for ``Publicatie.objects.filter``; None when nothing can match."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        if data.get("gebied"):
            filters["werkgebied__gebied"] = data["gebied"]
        if data.get("werkgebied"):
            filters["werkgebied"] = data["werkgebied"]
        if data.get("wijk"):
            # A wijk's publications are those of its werkgebied; a wijk without a wijkraad has
            # none.
            if data["wijk"].werkgebied_id is None:
                return None
            filters["werkgebied_id"] = data["wijk"].werkgebied_id
        if data.get("jaar"):
            filters["jaar"] = data["jaar"]
        if data.get("soort"):
            filters["soort"] = data["soort"]
        return filters
