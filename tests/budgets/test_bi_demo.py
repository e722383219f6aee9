"""The demo shows bewonersinitiatieven: one in every state in Crooswijk; idempotent."""

import pytest
from django.core.management import call_command

from budgets.models_bi import Bewonersinitiatief, BIStatus


@pytest.mark.django_db
def test_demo_has_an_application_in_every_state(rotterdam):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    statussen = list(
        Bewonersinitiatief.objects.filter(werkgebied__slug="crooswijk").values_list(
            "status", flat=True
        )
    )
    assert sorted(statussen) == sorted(BIStatus.values)
    verantwoord = Bewonersinitiatief.objects.get(status=BIStatus.VERANTWOORD)
    assert verantwoord.bonnen.count() == 1 and verantwoord.toetsingen.count() == 7
