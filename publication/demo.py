"""Publications in the demo: the demo's cycles publish their products through the services,
which makes their versions; this gives a version to anything published before (a demo
database from an earlier ``make run``), and shows a correction both ways: the wijkverslag of
Delfshaven-Schiemond 2025 corrected and published again (version 2, version 1 replaced), and
the wijkanalyse of Oude Noorden 2026 reopened and still being corrected. The PDFs render
eagerly in the demo."""

from cycle import services as cycle_services
from cycle.demo import register
from cycle.models import Productstatus, Wijkanalyse, Wijkverslag

from . import services
from .models import Publicatie

GECORRIGEERD = (
    Wijkverslag,
    "delfshaven-schiemond",
    2025,
    "In de jaarrekening stond het bedrag voor de speeltuin aan de Schiedamseweg twee keer.",
)
GECORRIGEERD_TEKST = "Gecorrigeerd: de speeltuin aan de Schiedamseweg staat er nu één keer in."
IN_CORRECTIE = (
    Wijkanalyse,
    "oude-noorden",
    2026,
    "De cijfers van de veiligheidsindex waren van 2022 in plaats van 2024.",
)


@register
def publicaties(accounts):
    services.publicaties_aanvullen()
    wijkmanager = accounts["wijkmanager_delfshaven"]
    product = _eenmaal_gepubliceerd(*GECORRIGEERD[:3])
    if product is not None:
        product = _heropenen(product, wijkmanager, GECORRIGEERD[3])
        product = cycle_services.product_update(
            product=product,
            user=wijkmanager,
            expected_versie=product.versie,
            data={"jaarrekening": f"{product.jaarrekening}\n\n{GECORRIGEERD_TEKST}"},
        )
        product = cycle_services.product_transition(
            product=product,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CORRECTIE,
        )
        cycle_services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )
    product = _eenmaal_gepubliceerd(*IN_CORRECTIE[:3])
    if product is not None:
        _heropenen(product, accounts["wijkmanager"], IN_CORRECTIE[3])


def _eenmaal_gepubliceerd(model, slug, jaar):
    """The product, if it is published as its first version only (so this runs once)."""
    product = (
        model.objects.select_related("cyclus__werkgebied")
        .filter(
            cyclus__werkgebied__slug=slug,
            cyclus__jaar=jaar,
            status=Productstatus.GEPUBLICEERD,
        )
        .first()
    )
    if (
        product is None
        or Publicatie.objects.filter(
            soort=model.SOORT, werkgebied=product.cyclus.werkgebied, jaar=jaar, versie__gt=1
        ).exists()
    ):
        return None
    return product


def _heropenen(product, user, reden):
    return cycle_services.product_transition(
        product=product,
        user=user,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden=reden,
    )
