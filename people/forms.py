from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User, normalise_email


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

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])


class WachtwoordVergetenForm(PasswordResetForm):
    """Asks for a password link. Whether or not the address has an account, the answer is the
    same, and the mail goes out from the outbox (Celery), not from this request."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )

    def get_users(self, email):
        # Unlike Django's default, accounts without a usable password (made by a beheerder,
        # never activated) can also ask for a link.
        return User.objects.filter(email=normalise_email(email), is_active=True)

    def save(self, **kwargs):
        from .services import password_link_requested

        for user in self.get_users(self.cleaned_data["email"]):
            password_link_requested(user=user)
