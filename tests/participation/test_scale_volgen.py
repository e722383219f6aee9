"""The generated followers and meldingen linked to initiatives (participation/scale_volgen.py,
the step participation.volgers of manage.py load_scale)."""

import datetime

from django.utils import timezone

from cycle import scale
from participation.models import Melding, Spoor, Spoorsoort, Volger
from participation.services_volgen import BEVESTIG_TERMIJN

from .test_scale import SMALL


def test_followers_and_linked_meldingen(rotterdam):
    scale.generate(**SMALL)
    volgers = Volger.objects.select_related("initiatief__wijkprogramma")
    assert volgers.count() > 100
    assert len({v.token for v in volgers}) == volgers.count()
    # Public when followed (a later step may put a published programme in correction).
    assert {v.initiatief.wijkprogramma.status for v in volgers} <= {
        "consultatie",
        "gepubliceerd",
        "correctie",
    }
    grens = timezone.now() - BEVESTIG_TERMIJN - datetime.timedelta(days=400)
    assert not volgers.filter(bevestigd_op__isnull=True, aangemaakt_op__lt=grens).exists()
    gekoppeld = Melding.objects.filter(initiatief__isnull=False).select_related(
        "initiatief__wijkprogramma"
    )
    assert gekoppeld.exists()
    assert all(m.initiatief.wijkprogramma.cyclus_id == m.cyclus_id for m in gekoppeld)
    assert Spoor.objects.filter(soort=Spoorsoort.INITIATIEF).count() == gekoppeld.count()
