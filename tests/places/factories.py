import factory

from places.models import Gebied, Werkgebied, Wijk, WijkprofielScore, Wijkraad


class GebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebied
        django_get_or_create = ["slug"]

    code = factory.Sequence(lambda n: f"WK{n:06d}")
    naam = factory.Sequence(lambda n: f"Gebied {n}")
    slug = factory.Sequence(lambda n: f"gebied-{n}")


class WerkgebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werkgebied
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Werkgebied {n}")
    slug = factory.Sequence(lambda n: f"werkgebied-{n}")
    gebied = factory.SubFactory(GebiedFactory)
    wijkraad = factory.RelatedFactory(
        "tests.places.factories.WijkraadFactory", factory_related_name="werkgebied"
    )


class WijkraadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijkraad

    naam = factory.LazyAttribute(lambda o: f"Wijkraad {o.werkgebied.naam}")
    slug = factory.LazyAttribute(lambda o: f"wijkraad-{o.werkgebied.slug}")
    werkgebied = factory.SubFactory(WerkgebiedFactory, wijkraad=None)


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    slug = factory.Sequence(lambda n: f"wijk-{n}")
    naam = factory.Sequence(lambda n: f"Wijk {n}")
    werkgebied = factory.SubFactory(WerkgebiedFactory)
    gebied = factory.LazyAttribute(lambda o: o.werkgebied.gebied)
    inwoners = 10_000
    inwoners_jaar = 2025


class WijkprofielScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WijkprofielScore

    wijk = factory.SubFactory(WijkFactory)
    jaar = factory.Sequence(lambda n: 2000 + 2 * n)
    fysieke_index = 100
    veiligheidsindex = 100
    sociale_index = 100
