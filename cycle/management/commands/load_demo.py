from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from cycle.demo import load_demo
from people.demo import DEMO_PASSWORD
from places.models import Werkgebied


class Command(BaseCommand):
    help = "Maakt demo-accounts voor elke rol en een werkgebied in elke fase (idempotent)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "De demo bevat accounts met een openbaar wachtwoord en wordt met deze "
                "instellingen (productie) niet geladen."
            )
        if not Werkgebied.objects.exists():
            raise CommandError("Laad eerst de plaatsen: manage.py import_rotterdam")
        # The demo's own history should not fill the console (or an inbox) with notices.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            accounts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo geladen. Demo-accounts (wachtwoord: {DEMO_PASSWORD}):")
        )
        for rol, user in accounts.items():
            self.stdout.write(f"  {rol:<24} {user.email}")
