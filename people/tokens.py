"""The one-time link that confirms a resident's address at sign-up. Django's own token
generator with its own salt, hashing the account's state: once the account is active (or its
password or address changed, as by a newer sign-up for the same address) the link no longer
works. The token is never stored: it exists only in the mail (rendered when sent)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AanmeldTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "people.tokens.AanmeldTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{user.email}{timestamp}"


aanmeld_token = AanmeldTokenGenerator()
