"""The demo shows a consultation: the wijkagenda 2027 of Bospolder-Spangen-Tussendijken in
consultation, with reactions in every state and answers to some; idempotent."""

import pytest
from django.core.management import call_command

from participation.models import Consultatie, Reactie


@pytest.mark.django_db
def test_demo_has_a_consultation_with_reactions_in_every_state(rotterdam):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    consultatie = Consultatie.objects.get(
        cyclus__werkgebied__slug="bospolder-spangen-tussendijken", cyclus__jaar=2027
    )
    assert consultatie.status == "open"
    assert consultatie.product.status == "consultatie"
    reacties = Reactie.objects.filter(consultatie=consultatie)
    assert set(reacties.values_list("status", flat=True)) == {"wacht", "geplaatst", "verborgen"}
    assert reacties.exclude(antwoord="").count() == 2
    assert reacties.filter(status="geplaatst", antwoord="").count() == 1
    assert reacties.filter(agendapunt__isnull=False).count() == 1
    assert reacties.filter(auteur__isnull=False).count() == 1
