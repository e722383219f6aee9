"""The generated participation plans and wijkraad advice (participation/scale_plan.py, the step
participation.plan of manage.py load_scale)."""

import datetime

from django.utils import timezone

from cycle import scale
from cycle.models import PRODUCT_MODELLEN, Fase, Productstatus, Werkcyclus
from participation import services_advies
from participation.models import Advies, Participatieplan, Planfase
from participation.voorwaarden import kaders_ingevuld
from people.models import Rol, Roltoewijzing

from .test_scale import SMALL


def test_every_cycle_has_a_plan_and_advice_follows_the_cycle(rotterdam):
    scale.generate(**SMALL)
    cycli = Werkcyclus.objects.count()
    assert Participatieplan.objects.count() == cycli
    assert Planfase.objects.count() == 5 * cycli
    assert all(f.heeft_kaders and f.niveau for f in Planfase.objects.all())
    assert not Participatieplan.objects.filter(cyclus__fase=Fase.ANALYSE, status="vastgesteld")
    # Every product that went into consultation had its kaders.
    for model in PRODUCT_MODELLEN:
        for product in model.objects.exclude(status=Productstatus.CONCEPT).select_related("cyclus"):
            assert kaders_ingevuld(product, "ter_consultatie") == []
    statussen = set(Advies.objects.values_list("status", flat=True))
    assert statussen == {"gevraagd", "gegeven", "beantwoord"}
    assert Advies.objects.filter(ongevraagd=True).exists()
    assert not Advies.objects.filter(cyclus__fase=Fase.AFGEROND).exclude(status="beantwoord")
    assert all(
        a.cyclus.werkgebied_id == a.werkgebied_id for a in Advies.objects.select_related("cyclus")
    )


def test_generated_advice_works_with_the_services(rotterdam):
    scale.generate(**SMALL)
    advies = Advies.objects.filter(status="gevraagd").select_related("werkgebied").first()
    rol = (
        Roltoewijzing.objects.active()
        .filter(rol=Rol.WIJKRAADSLID, werkgebied=advies.werkgebied)
        .select_related("user")
        .first()
    )
    gegeven = services_advies.advies_geven(
        advies=advies,
        user=rol.user,
        expected_versie=advies.versie,
        tekst="Advies",
        besluitdatum=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert gegeven.status == "gegeven"
