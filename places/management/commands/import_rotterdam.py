from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.services import DATA_DIR, ReferenceDataError, reference_data_import


class Command(BaseCommand):
    help = "Laadt gebieden, wijken, wijkraden en Wijkprofiel uit CSV-bestanden (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=DATA_DIR,
            help="Map met gebieden.csv, wijkraden.csv, wijken.csv en wijkprofiel.csv.",
        )

    def handle(self, *args, **options):
        try:
            result = reference_data_import(directory=options["dir"])
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.gebieden} gebieden, {result.werkgebieden} werkgebieden, "
                f"{result.wijken} wijken, {result.wijkprofielscores} Wijkprofielscores geladen."
            )
        )
