"""Helpers for tests of consultations: a product taken to consultation with its consultation
open (``voorbereid``), a consultation closed by its date (``gesloten``), reactions in each
state (``reactie``)."""

import datetime

from django.utils import timezone

from cycle import services as cycle_services
from cycle.demo import vul_product
from cycle.models import Productstatus
from participation import services_consultatie as services
from participation.models import Consultatie, Consultatiestatus, Reactie, Reactiestatus
from people.models import Rol
from tests.participation.plan import kaders_invullen
from tests.people.factories import user_with_role


def voorbereid(product, user=None) -> Consultatie:
    """Fill ``product`` with the demo's content and put it in consultation through the
    services: its consultation opens today, for six weeks. Returns the consultation with its
    cycle, werkgebied and product."""
    user = user or user_with_role(Rol.BEHEERDER)
    if product.status == Productstatus.CONCEPT:
        product = vul_product(product, user)
        # A phase goes into consultation only with its kaders in the participation plan.
        kaders_invullen(product.cyclus)
        cycle_services.product_transition(
            product=product,
            user=user,
            transition="ter_consultatie",
            expected_status=Productstatus.CONCEPT,
        )
    return Consultatie.objects.select_related("cyclus__werkgebied", f"cyclus__{product.SOORT}").get(
        cyclus_id=product.cyclus_id, soort=product.SOORT
    )


def gesloten(consultatie: Consultatie) -> Consultatie:
    """Close ``consultatie`` as its date would: its last day was yesterday, and the beat task
    ran."""
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    Consultatie.objects.filter(pk=consultatie.pk).update(
        opent_op=min(consultatie.opent_op, gisteren), sluit_op=gisteren
    )
    services.consultaties_bijwerken()
    found = Consultatie.objects.select_related(
        "cyclus__werkgebied", f"cyclus__{consultatie.soort}"
    ).get(pk=consultatie.pk)
    assert found.status == Consultatiestatus.GESLOTEN
    return found


def reactie(consultatie: Consultatie, status=Reactiestatus.GEPLAATST, **kwargs) -> Reactie:
    """A reaction set up directly in ``status`` (the services are what the tests exercise)."""
    now = timezone.now()
    kwargs.setdefault("tekst", "De stoepen zijn te smal voor kinderwagens.")
    if status == Reactiestatus.WACHT:
        kwargs.setdefault("email", "bewoner@example.nl")
        kwargs.setdefault("token", _token())
        kwargs.setdefault("token_geldig_tot", now + services.BEVESTIG_TERMIJN)
    else:
        kwargs.setdefault("email", "bewoner@example.nl")
        kwargs.setdefault("geplaatst_op", now)
    if status == Reactiestatus.VERBORGEN:
        kwargs.setdefault("verborgen_reden", "Scheldwoorden")
        kwargs.setdefault("verborgen_op", now)
    return Reactie.objects.create(consultatie=consultatie, status=status, **kwargs)


def _token():
    from participation.models import nieuw_reactietoken

    return nieuw_reactietoken()
