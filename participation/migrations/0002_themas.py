"""The themes of meldingen, with a target handling time in working days. Reference data: a
beheerder edits them afterwards in the admin."""

from django.db import migrations

THEMAS = [
    ("schoon", "schoon", 5),
    ("heel", "heel", 10),
    ("veilig", "veilig", 5),
    ("groen-en-buitenruimte", "groen en buitenruimte", 15),
    ("verkeer-en-parkeren", "verkeer en parkeren", 15),
    ("wonen", "wonen", 15),
    ("jeugd", "jeugd", 15),
    ("zorg-en-welzijn", "zorg en welzijn", 10),
    ("sociale-samenhang", "sociale samenhang", 20),
    ("overig", "overig", 15),
]


def add_themas(apps, schema_editor):
    Thema = apps.get_model("participation", "Thema")
    for volgorde, (slug, naam, termijn) in enumerate(THEMAS, start=1):
        Thema.objects.get_or_create(
            slug=slug, defaults={"naam": naam, "volgorde": volgorde, "afhandeltermijn": termijn}
        )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_meldingen")]

    operations = [migrations.RunPython(add_themas, migrations.RunPython.noop)]
