from django.db.migrations.recorder import MigrationRecorder
from django.shortcuts import render


def rijen(request):
    # django_migrations exists in every migrated database, so the bare page needs no table (and
    # no migration) of its own: one ORM query for 20 rows, as a small portal list would do.
    rows = MigrationRecorder.Migration.objects.order_by("id")[:20]
    return render(request, "bare/rijen.html", {"rows": rows})
