import json

from django.core.management.base import BaseCommand, CommandError

from cycle.scale import BENCH_EMAILS, DEFAULT_SEED, SCALE_EMAIL_DOMAIN, ScaleDataError, generate


class Command(BaseCommand):
    help = (
        "Bouwt een verzonnen, reproduceerbare stad op schaal boven op de echte plaatsen (eerst "
        "import_rotterdam): per werkgebied één cyclus per programmajaar, met producten, "
        "geschiedenis, berichten en accounts van elke rol. --factor vermenigvuldigt wat kan "
        "groeien: het aantal accounts per rol, de bewerkingen per product (dus logregels en "
        "versies) en daarmee de berichten; het aantal cycli blijft één per werkgebied per jaar "
        "(een databaseregel). Alleen waar SCALE_DATA_ALLOWED aan staat (lokaal, tests) of met "
        "WIJKAANPAK_ALLOW_SCALE_DATA=1 (een eigen benchmarkdatabase). De laatste regel is JSON "
        "met de benchmarkaccounts en een drukke cyclus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="Aantal programmajaren.")
        parser.add_argument(
            "--factor",
            type=int,
            default=1,
            help="Vermenigvuldigt accounts, bewerkingen (logregels) en berichten; niet de cycli.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--until-year",
            type=int,
            default=None,
            help="Het nieuwste programmajaar (standaard volgend jaar).",
        )
        parser.add_argument(
            "--werkgebieden",
            type=int,
            default=None,
            help="Alleen de eerste N werkgebieden (op naam), voor een snelle kleine stad.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Verwijder eerst alle werkcycli (met producten en hun logregels en berichten), "
                f"de taakverdelingen en de accounts @{SCALE_EMAIL_DOMAIN} van een vorige keer."
            ),
        )
        parser.add_argument(
            "--bench-password",
            default=None,
            help=(
                "Wachtwoord voor de benchmarkaccounts "
                f"({', '.join(BENCH_EMAILS.values())}); zonder: onbruikbaar, zoals alle andere."
            ),
        )

    def handle(self, *args, **options):
        try:
            summary = generate(
                years=options["years"],
                factor=options["factor"],
                seed=options["seed"],
                until_year=options["until_year"],
                werkgebieden=options["werkgebieden"],
                replace=options["replace"],
                bench_password=options["bench_password"],
            )
        except ScaleDataError as exc:
            raise CommandError(str(exc)) from exc
        jaren = summary.jaren
        self.stdout.write(
            self.style.SUCCESS(
                f"Stad op schaal geladen in {summary.seconds:.1f} s: programmajaren "
                f"{jaren[0]}–{jaren[-1]}, factor {summary.factor}, seed {summary.seed}, "
                f"peildatum {summary.today.isoformat()}."
            )
        )
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<24} {count:>9}")
        self.stdout.write("Benchmarkaccounts (sessies maakt de benchmark zelf aan):")
        for rol, email in summary.accounts.items():
            self.stdout.write(f"  {rol:<24} {email}")
        # Last line, for scripts: the accounts to measure as and a busy cycle page.
        self.stdout.write(json.dumps(summary.bench()))
