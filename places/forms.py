"""Forms of places. The checks of a file's content are in ``places.services``; the upload
page renders its one field itself (see ``places/wijkprofiel_import.html``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class WijkprofielImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Wijkprofielbestand (CSV)"),
        allow_empty_file=False,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "Een CSV-bestand in UTF-8 met komma's, met de kopregel "
            "wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index; hoogstens 1 MB."
        ),
        error_messages={
            "required": _("Kies een CSV-bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Dit is geen bestand. Kies een CSV-bestand."),
            "missing": _("Er is geen bestand meegestuurd. Kies een CSV-bestand."),
        },
    )
