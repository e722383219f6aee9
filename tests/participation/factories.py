import datetime
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from participation.models import GESLOTEN_STATUSSEN, Melding, Thema
from participation.photos import foto_verwerken
from tests.places.factories import WijkFactory


class ThemaFactory(factory.django.DjangoModelFactory):
    """The themes come with a data migration; transactional tests flush them, so get or
    create them by slug."""

    class Meta:
        model = Thema
        django_get_or_create = ["slug"]

    slug = "schoon"
    naam = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))
    afhandeltermijn = 5


class MeldingFactory(factory.django.DjangoModelFactory):
    """A melding set up directly in any status (the services are what the tests exercise)."""

    class Meta:
        model = Melding

    tekst = "Er ligt al een week afval naast de container."
    thema = factory.SubFactory(ThemaFactory)
    wijk = factory.SubFactory(WijkFactory)
    werkgebied = factory.LazyAttribute(lambda o: o.wijk.werkgebied)
    email = factory.Sequence(lambda n: f"melder{n}@example.nl")
    termijn_op = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    afgesloten_op = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in GESLOTEN_STATUSSEN else None
    )
    status = "nieuw"


def jpeg_upload(name="foto.jpg", size=(40, 30)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", size, "#3a7").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def verwerkte_foto(name="foto.jpg"):
    """A photo as the form hands it to the service: checked and stripped."""
    return foto_verwerken(jpeg_upload(name))


def fresh(melding) -> Melding:
    return Melding.objects.get(pk=melding.pk)
