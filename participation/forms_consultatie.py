"""Forms of consultations: reacting, the wijkmanager's dates and question, answering and
hiding a reaction. Input checks only; the services check again and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services_consultatie as services
from .services_volgen import EMAIL_MAX, schoon_email

_TEKST = {
    "required": _("Vul uw reactie in."),
    "max_length": _("Hoogstens %(limit_value)d tekens; dit zijn er %(show_value)d."),
}


class ReactieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Uw reactie"),
        max_length=services.TEKST_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_TEKST,
        help_text=_(
            "Uw reactie wordt openbaar, zonder uw naam of e-mailadres. Zet er zelf ook geen "
            "namen of adressen in."
        ),
    )
    onderdeel = forms.ChoiceField(
        label=_("Over welk onderdeel gaat uw reactie?"),
        required=False,
        error_messages={"invalid_choice": _("Kies een onderdeel van dit stuk uit de lijst.")},
    )
    # Only asked when not signed in (the view leaves it out otherwise).
    email = forms.CharField(
        label=_("Uw e-mailadres"),
        max_length=EMAIL_MAX,
        help_text=_(
            "U krijgt een e-mail met een link om uw reactie te plaatsen. Uw adres wordt nooit "
            "getoond."
        ),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "max_length": _("Een e-mailadres heeft hoogstens %(limit_value)d tekens."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people (and from screen readers), filled in by form robots.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False, max_length=200)

    def __init__(self, *args, onderdelen=(), ingelogd=False, **kwargs):
        super().__init__(*args, **kwargs)
        if onderdelen:
            self.fields["onderdeel"].choices = [("", _("— het stuk als geheel —")), *onderdelen]
        else:
            del self.fields["onderdeel"]
        if ingelogd:
            del self.fields["email"]

    def clean_tekst(self):
        return self.cleaned_data["tekst"].strip() or self._leeg()

    def _leeg(self):
        raise ValidationError(_("Vul uw reactie in."))

    def clean_email(self):
        try:
            return schoon_email(self.cleaned_data["email"])
        except ValidationError as exc:
            raise exc.error_dict["email"][0] from None


class ConsultatieForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    vraag = forms.CharField(
        label=_("Vraag aan bewoners"),
        max_length=services.VRAAG_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Vul de vraag aan bewoners in."),
            "max_length": _("Hoogstens %(limit_value)d tekens; dit zijn er %(show_value)d."),
        },
    )
    opent_op = forms.DateField(
        label=_("Opent op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in waarop de consultatie opent."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 2027-03-01."),
        },
    )
    sluit_op = forms.DateField(
        label=_("Sluit op (laatste dag om te reageren)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in waarop de consultatie sluit."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 2027-04-12."),
        },
    )

    def clean(self):
        data = super().clean()
        opent, sluit = data.get("opent_op"), data.get("sluit_op")
        if opent and sluit and sluit < opent:
            self.add_error("sluit_op", _("De consultatie kan niet sluiten vóór zij opent."))
        return data


class AntwoordForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    antwoord = forms.CharField(
        label=_("Antwoord"),
        max_length=services.ANTWOORD_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Vul het antwoord in."),
            "max_length": _("Hoogstens %(limit_value)d tekens; dit zijn er %(show_value)d."),
        },
        help_text=_("Openbaar, en deel van de nota van beantwoording."),
    )
    wat_veranderd = forms.CharField(
        label=_("Wat is er daardoor veranderd in het stuk?"),
        required=False,
        max_length=services.ANTWOORD_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Hoogstens %(limit_value)d tekens; dit zijn er %(show_value)d."),
        },
        help_text=_("Leeg: niets veranderd."),
    )


class VerbergenForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reden = forms.CharField(
        label=_("Reden van verbergen"),
        max_length=services.REDEN_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Geef de reden waarom u haar verbergt."),
            "max_length": _("Hoogstens %(limit_value)d tekens; dit zijn er %(show_value)d."),
        },
        help_text=_(
            "Openbaar: in plaats van de tekst staat er ‘verborgen door de wijkmanager’ met deze "
            "reden. De reactie wordt niet verwijderd."
        ),
    )
