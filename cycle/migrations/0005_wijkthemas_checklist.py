"""Reference data: the themes of the wijkaanpak and the checklist "Wat is er aan de hand in de
wijk?" (40 questions, seed 000 bijlage 1, after the Verwey-Jonker Instituut and the NIZW),
grouped for answering. A beheerder edits both afterwards in the admin."""

from django.db import migrations

THEMAS = [
    ("schoon", "schoon"),
    ("heel", "heel"),
    ("veilig", "veilig"),
    ("groen-en-buitenruimte", "groen en buitenruimte"),
    ("wonen", "wonen"),
    ("werk-en-inkomen", "werk en inkomen"),
    ("leren-en-opgroeien", "leren en opgroeien"),
    ("zorg-en-welzijn", "zorg en welzijn"),
    ("sociale-samenhang", "sociale samenhang"),
]

GROEPEN = [
    ("De wijk en haar problemen", range(1, 9)),
    ("Wie kan er iets aan doen", range(9, 18)),
    ("Voorlopers, achterban en weerstand", range(18, 27)),
    ("Capaciteiten, samenwerking en bronnen", range(27, 36)),
    ("Aan de slag", range(36, 41)),
]

VRAGEN = [
    "Gaat de buurt vooruit- of achteruit?",
    "In welke opzichten?",
    "Wat zijn de belangrijkste problemen die de wijk de afgelopen jaren doormaakt?",
    "Zijn dat tijdelijke of structurele problemen?",
    "Zijn er nieuwe problemen die op de wijk afkomen?",
    "Hoe is het gesteld met de kwaliteit van de huizen en de voorwaarden voor het samenleven "
    "in de buurt?",
    "Zijn er in de wijk bewoners die overlast voor anderen veroorzaken?",
    "Wat moet er veranderen om de buurt een betere toekomst te geven?",
    "Wie moet(-en) dat doen?",
    "Wat kunt u zelf bijdragen?",
    "Hoe is het gesteld met de motivatie tot verandering bij de buurtbewoners?",
    "Hoe lossen wijkbewoners wijkproblemen op?",
    "Hoe liggen de ervaringen met actie en samen strijden voor een betere buurt?",
    "Werken die ervaringen bevorderend of belemmerend voor actie?",
    "Wat voor bewonersorganisaties zijn er in de buurt?",
    "Zouden de politie, de woningbouwvereniging, de gemeente of andere instanties zich anders "
    "moeten opstellen?",
    "In welke zin?",
    "Zijn er leiders, voorlopers in de wijk?",
    "Roepen deze leiders ook verzet op?",
    "Welke achterban kunnen deze leiders mobiliseren?",
    "Wat vragen zij in ruil daarvoor?",
    "Zijn er weerstanden tegen een actie in de buurt?",
    "Hoe diep en hoe breed zijn die?",
    "Hoe zijn die te overwinnen?",
    "Wat zijn de aantrekkende en afstotende factoren voor potentiële deelnemers aan een actie?",
    "Hoe verhoog je en onderhoud je de steun van de achterban?",
    "Wat voor hulpbronnen en capaciteiten hebben buurtbewoners voor een actie?",
    "Welke deskundigheden zijn er nodig in de actiegroep?",
    "Welke deskundigheden zijn voorhanden in de buurt?",
    "Welke moeten elders verkregen worden?",
    "Welke samenwerkrelaties zijn aanwezig in de buurt?",
    "Welke samenwerkrelaties moeten nieuw gelegd worden?",
    "Welke andere bronnen zijn nodig voor de organisatie en de actie? (denk aan: geld, gezag, "
    "medewerking, invloed, contacten)",
    "Welke bronnen zijn aanwezig in de buurt?",
    "Welke bronnen moeten elders worden verworven?",
    "Valt er op korte termijn al actie te ondernemen?",
    "Of is er eerst vorming of scholing nodig?",
    "Wat voor ondersteuning zou u kunnen gebruiken?",
    "Zijn er buurtwerkers die dat ter beschikking stellen?",
    "Hoe kunt u deze het best aanspreken?",
]


def add_reference_data(apps, schema_editor):
    Wijkthema = apps.get_model("cycle", "Wijkthema")
    ChecklistVraag = apps.get_model("cycle", "ChecklistVraag")
    for volgorde, (slug, naam) in enumerate(THEMAS, start=1):
        Wijkthema.objects.get_or_create(slug=slug, defaults={"naam": naam, "volgorde": volgorde})
    groep_van = {nummer: groep for groep, nummers in GROEPEN for nummer in nummers}
    for nummer, tekst in enumerate(VRAGEN, start=1):
        ChecklistVraag.objects.get_or_create(
            nummer=nummer, defaults={"groep": groep_van[nummer], "tekst": tekst}
        )


class Migration(migrations.Migration):
    dependencies = [("cycle", "0004_producten_met_inhoud")]

    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
