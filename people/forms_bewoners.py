"""Forms of a resident's own account: signing up, settings, deleting the account."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from places.models import Wijk

from .models import Frequentie, User, normalise_email

_EMAIL_ERRORS = {
    "required": _("Vul uw e-mailadres in."),
    "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
    "max_length": _("Een e-mailadres heeft hoogstens 254 tekens."),
}


class WijkField(forms.ModelChoiceField):
    """A resident thinks in wijken: they pick theirs, the werkgebied follows."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Wijk.objects.select_related("werkgebied").order_by("naam"),
            label=_("Uw wijk"),
            empty_label=_("Kies uw wijk"),
            error_messages={
                "required": _("Kies de wijk waar u woont."),
                "invalid_choice": _("Kies een wijk uit de lijst."),
            },
            **kwargs,
        )

    def clean(self, value):
        wijk = super().clean(value)
        if wijk is not None and wijk.werkgebied_id is None:
            raise forms.ValidationError(
                _(
                    "%(wijk)s heeft geen wijkraad en hoort daarom bij geen werkgebied. Kies de "
                    "wijk ernaast waar u bij wilt horen."
                )
                % {"wijk": wijk.naam},
                code="geen_werkgebied",
            )
        return wijk


class AanmeldenForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages=_EMAIL_ERRORS,
    )
    naam = forms.CharField(
        label=_("Naam (mag u leeg laten)"),
        max_length=150,
        required=False,
        help_text=_("Zo noemen we u in het portaal. Anderen zien uw naam niet bij uw meldingen."),
        error_messages={"max_length": _("Een naam heeft hoogstens 150 tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul het wachtwoord nog een keer in.")},
    )
    wijk = WijkField()

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_naam(self):
        naam = self.cleaned_data["naam"]
        if any(ord(ch) < 32 for ch in naam):
            raise forms.ValidationError(_("Een naam past op één regel."), code="invalid")
        return " ".join(naam.split())

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        if len(password) > 128:
            raise forms.ValidationError(
                _("Een wachtwoord heeft hoogstens 128 tekens."), code="max_length"
            )
        return password

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif p1:
            # Judged against a user with the typed address and name (too similar is refused).
            try:
                password_validation.validate_password(
                    p1, User(email=cleaned.get("email") or "", naam=cleaned.get("naam") or "")
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class FrequentieForm(forms.Form):
    frequentie = forms.ChoiceField(
        label=_("E-mail over nieuwe berichten"),
        choices=Frequentie.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe u berichten wilt krijgen."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )


class VerhuizenForm(forms.Form):
    wijk = WijkField()


class AccountVerwijderenForm(forms.Form):
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Vul uw wachtwoord in om te bevestigen."),
            "max_length": _("Het wachtwoord klopt niet."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Het wachtwoord klopt niet."), code="invalid")
        return password
