"""The generated meetings (participation/scale_bijeenkomsten.py, the step
participation.bijeenkomsten of manage.py load_scale)."""

import time

from django.utils import timezone

from cycle import scale
from participation.models import Bijeenkomst

from .test_scale import SMALL


def test_meetings_at_scale(rotterdam):
    begin = time.monotonic()
    scale.generate(**SMALL)
    assert time.monotonic() - begin < 300
    alle = Bijeenkomst.objects.all()
    # 5,000 for the city: the share of the three werkgebieden built.
    assert 300 < alle.count() < 500
    assert alle.filter(begin__gt=timezone.now()).exists()
    assert alle.filter(einde__lt=timezone.now()).exclude(verslag="").exists()
    assert alle.filter(einde__lt=timezone.now(), verslag="", geannuleerd=False).exists()
    assert all(
        b.cyclus is None or b.cyclus.werkgebied_id == b.werkgebied_id
        for b in alle.select_related("cyclus")
    )
    assert not alle.filter(aantal_aanwezigen__gt=5000).exists()
