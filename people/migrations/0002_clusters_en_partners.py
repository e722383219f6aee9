"""The clusters of the city of Rotterdam and a first set of partners. A beheerder can add more
in the admin; this only creates what is missing."""

from django.db import migrations

CLUSTERS = [
    ("Stadsbeheer", "stadsbeheer"),
    ("Maatschappelijke Ontwikkeling", "maatschappelijke-ontwikkeling"),
    ("Stadsontwikkeling", "stadsontwikkeling"),
    ("Dienstverlening", "dienstverlening"),
    ("Veiligheid", "veiligheid"),
]

PARTNERS = [
    ("Woonstad Rotterdam", "woonstad-rotterdam", "woningcorporatie"),
    ("Havensteder", "havensteder", "woningcorporatie"),
    ("Politie Eenheid Rotterdam", "politie-eenheid-rotterdam", "politie"),
    ("Welzijnsorganisatie in de wijk", "welzijnsorganisatie", "welzijn"),
]


def create(apps, schema_editor):
    Cluster = apps.get_model("people", "Cluster")
    Partner = apps.get_model("people", "Partner")
    for naam, slug in CLUSTERS:
        Cluster.objects.get_or_create(slug=slug, defaults={"naam": naam})
    for naam, slug, soort in PARTNERS:
        Partner.objects.get_or_create(slug=slug, defaults={"naam": naam, "soort": soort})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
