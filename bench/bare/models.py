"""The bare insert view's one table. Not migrated: bench/run.py creates it (``BARE_TABLE_SQL``)
in the bench database, as it creates its own ``bench_city``, so the bare app writes nothing
into the portal's migration history, content types or permissions."""

from django.db import models


class Notitie(models.Model):
    tekst = models.TextField(max_length=5000)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "bench_bare_notitie"

    def __str__(self):
        return self.tekst[:40]
