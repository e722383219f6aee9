"""The meldingen that feed the cycle: counts per theme and per buurt on the wijk and werkgebied
pages and in the wijkanalyse, without any text or personal data, in a fixed number of
queries."""

import datetime

import pytest
from django.utils import timezone

from cycle.models import Fase
from participation.models import Thema
from participation.overzicht import meldingen_overzicht
from places.models import Wijk

from .factories import MeldingFactory


@pytest.fixture
def wijk(rotterdam):
    return Wijk.objects.select_related("werkgebied").get(slug="afrikaanderwijk")


@pytest.mark.django_db
def test_counts_per_theme_and_buurt_in_the_period(wijk):
    schoon, heel = Thema.objects.get(slug="schoon"), Thema.objects.get(slug="heel")
    MeldingFactory.create_batch(3, wijk=wijk, thema=schoon)
    MeldingFactory(wijk=wijk, thema=heel)
    MeldingFactory(
        wijk=wijk, thema=heel, ingediend_op=timezone.now() - datetime.timedelta(days=400)
    )
    today = timezone.localdate()
    o = meldingen_overzicht(
        wijken=[wijk],
        begin=today - datetime.timedelta(days=365),
        eind=today + datetime.timedelta(days=1),
    )
    assert o["totaal"] == 4
    assert [(s["label"], s["n"]) for s in o["per_thema"]["staven"]] == [("schoon", 3), ("heel", 1)]
    # Afrikaanderwijk is one CBS buurt: meldingen without a point count there.
    assert [s["n"] for s in o["per_buurt"]["staven"]] == [4]
    assert o["per_thema"]["staven"][0]["breedte"] > o["per_thema"]["staven"][1]["breedte"]


@pytest.mark.django_db
def test_wijk_and_werkgebied_pages_show_counts_never_text_or_address(client, wijk):
    melding = MeldingFactory(
        wijk=wijk, thema=Thema.objects.get(slug="schoon"), tekst="Jan Jansen woont op nummer 3"
    )
    for url in (f"/wijken/{wijk.slug}/", f"/werkgebieden/{wijk.werkgebied.slug}/"):
        page = client.get(url).content.decode()
        assert "Meldingen van de afgelopen twaalf maanden" in page
        assert 'role="img"' in page and "<table" in page
        assert "Jan Jansen" not in page and melding.email not in page


@pytest.mark.django_db
def test_the_wijkanalyse_shows_the_meldingen_of_its_period(client, wijk, make_cycle):
    cyclus = make_cycle(wijk.werkgebied, jaar=timezone.localdate().year + 1, fase=Fase.ANALYSE)
    MeldingFactory(wijk=wijk, thema=Thema.objects.get(slug="veilig"))
    from people.models import Rol
    from tests.people.factories import user_with_role

    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied))
    page = client.get(
        f"/werkgebieden/{wijk.werkgebied.slug}/{cyclus.jaar}/wijkanalyse/"
    ).content.decode()
    assert "Meldingen in de periode van deze wijkanalyse" in page
    assert "veilig" in page


@pytest.mark.django_db
def test_the_overview_costs_a_fixed_number_of_queries(
    client, wijk, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    url = f"/werkgebieden/{wijk.werkgebied.slug}/"
    MeldingFactory(wijk=wijk, thema=Thema.objects.get(slug="schoon"))
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for slug in ("heel", "veilig", "wonen", "jeugd"):
        MeldingFactory.create_batch(5, wijk=wijk, thema=Thema.objects.get(slug=slug))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
