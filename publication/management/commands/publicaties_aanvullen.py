from django.core.management.base import BaseCommand

from publication import services


class Command(BaseCommand):
    help = (
        "Maakt versie 1 van elk gepubliceerd stuk dat nog geen versie heeft (gepubliceerd "
        "voordat het portaal versies bijhield); de PDF's worden daarna door Celery gemaakt."
    )

    def handle(self, *args, **options):
        gemaakt = services.publicaties_aanvullen()
        self.stdout.write(self.style.SUCCESS(f"{gemaakt} versie(s) gemaakt."))
