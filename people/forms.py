from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )

    error_messages = {
        "invalid_login": _(
            "Het e-mailadres of wachtwoord klopt niet. Let op hoofdletters in het wachtwoord."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")
