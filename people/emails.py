"""Mail that people get about their own account. Rendered when the notice is sent, so that a
password link's token exists only in the mail itself, never in the database or the broker."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def render_password_link(notice) -> tuple[str, str]:
    """(subject, body) of the mail with a link to set a new password for ``notice.user``."""
    user = notice.user
    if user is None or not user.is_active:
        raise LookupError("no active account to send a password link to")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "url": settings.SITE_URL + path, "site_url": settings.SITE_URL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("people/email/wachtwoord_onderwerp.txt", context)
        body = render_to_string("people/email/wachtwoord_bericht.txt", context)
    return " ".join(subject.split()), body


def render_aanmelden(notice) -> tuple[str, str]:
    """The one-time link that confirms a sign-up (its token exists only in the mail)."""
    from .tokens import aanmeld_token

    user = notice.user
    if user is None or user.is_active:
        raise LookupError("no account waiting for confirmation")
    path = reverse(
        "aanmelden-bevestigen",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": aanmeld_token.make_token(user),
        },
    )
    context = {"user": user, "url": settings.SITE_URL.rstrip("/") + path}
    body = render_to_string("people/email/aanmelden_bericht.txt", context)
    return notice.subject, body


def render_al_account(notice) -> tuple[str, str]:
    site = settings.SITE_URL.rstrip("/")
    body = render_to_string(
        "people/email/al_account_bericht.txt",
        {"login_url": site + reverse("login"), "reset_url": site + reverse("password_reset")},
    )
    return notice.subject, body
