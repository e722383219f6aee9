"""The generated bewonersinitiatieven (budgets/scale_bi.py, the step
budgets.bewonersinitiatieven of manage.py load_scale)."""

from budgets.models_bi import Bewonersinitiatief, BIStatus, Medeondertekening, Toetsing
from cycle import scale
from tests.participation.test_scale import SMALL


def test_applications_in_every_state_with_their_parts(rotterdam):
    scale.generate(**SMALL)
    qs = Bewonersinitiatief.objects.all()
    # 3,000 per ten years for the city: 3 of 39 werkgebieden for 2 years.
    assert 30 <= qs.count() <= 70
    assert set(qs.values_list("status", flat=True)) >= {
        BIStatus.VERANTWOORD,
        BIStatus.AFGEWEZEN,
    }
    assert not qs.filter(kostenposten__isnull=True).exists()
    besloten = qs.exclude(
        status__in=[BIStatus.CONCEPT, BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING]
    ).count()
    assert Toetsing.objects.count() == 7 * besloten
    ingediend = qs.exclude(status=BIStatus.CONCEPT).count()
    assert Medeondertekening.objects.filter(bevestigd_op__isnull=False).count() == 4 * ingediend
    for bi in qs.filter(toegekend_bedrag__isnull=False)[:50]:
        assert bi.toegekend_bedrag <= bi.gevraagd_bedrag
