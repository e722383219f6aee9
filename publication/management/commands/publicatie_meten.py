import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from cycle.models import Wijkverslag
from publication.pdf import render_pdf
from publication.snapshot import render_snapshot

DOEL_SECONDEN = 3.0


class Command(BaseCommand):
    help = (
        "Meet hoe lang een worker doet over het wijkverslag van het grootste werkgebied (het "
        "meeste inwoners) met een wijkverslag: de HTML bij publicatie en de PDF. Schrijft "
        "niets weg. Een benchmark, geen test: draai het op de stad van load_scale."
    )

    def handle(self, *args, **options):
        verslag = (
            Wijkverslag.objects.exclude(resultaten="")
            .select_related("cyclus__werkgebied")
            .annotate(
                inwoners=Sum("cyclus__werkgebied__wijken__inwoners"),
                wijken=Count("cyclus__werkgebied__wijken"),
            )
            .order_by("-inwoners", "-cyclus__jaar")
            .first()
        )
        if verslag is None:
            raise CommandError("Er is geen ingevuld wijkverslag; laad eerst load_scale.")
        begin = time.process_time()
        html = render_snapshot(
            verslag,
            versie=1,
            gepubliceerd_op=verslag.gepubliceerd_op or timezone.now(),
            gepubliceerd_door="wijkmanager",
        )
        html_klaar = time.process_time()
        pdf = render_pdf(html)
        eind = time.process_time()
        totaal = eind - begin
        self.stdout.write(
            f"{verslag.titel} ({verslag.cyclus.werkgebied.naam}, {verslag.wijken} wijken, "
            f"{verslag.inwoners} inwoners, {len(html) // 1024} kB HTML)\n"
            f"  HTML bij publicatie: {html_klaar - begin:.2f} s processortijd\n"
            f"  PDF:                 {eind - html_klaar:.2f} s processortijd, "
            f"{len(pdf) / 1024:.0f} kB\n"
            f"  samen:               {totaal:.2f} s (doel: onder {DOEL_SECONDEN:.0f} s: "
            f"{'gehaald' if totaal < DOEL_SECONDEN else 'NIET gehaald'})"
        )
