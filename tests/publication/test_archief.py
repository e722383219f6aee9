"""The public archive: every version, filterable, paginated, at a fixed number of queries, and
found from the home, wijk and werkgebied pages."""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cycle.models import Wijkanalyse
from publication.models import Pdfstatus, Publicatie
from tests.places.factories import WerkgebiedFactory, WijkFactory

ARCHIEF = reverse("publicatie-archief")
_PRODUCT_IDS = itertools.count(1)


def versie(werkgebied, *, jaar=2026, soort="wijkanalyse", versie=1, klaar=True, titel=None):
    """A version as publishing leaves it (made directly: the archive only reads them)."""
    return Publicatie.objects.create(
        product_type=ContentType.objects.get_for_model(Wijkanalyse),
        product_id=next(_PRODUCT_IDS),
        soort=soort,
        werkgebied=werkgebied,
        jaar=jaar,
        versie=versie,
        titel=titel or f"{soort.capitalize()} {werkgebied.naam} {jaar}",
        gepubliceerd_op=timezone.now(),
        gepubliceerd_door_naam="wijkmanager",
        # Every version after the first is a correction, which says why.
        correctie_reden="" if versie == 1 else "De cijfers van 2025 zijn verbeterd.",
        html="<!doctype html><html lang=nl><title>t</title></html>",
        pdf_status=Pdfstatus.KLAAR if klaar else Pdfstatus.WACHTEND,
        pdf=f"publicaties/{werkgebied.slug}/{jaar}/{soort}-v{versie}.pdf" if klaar else "",
        pdf_sha256="0" * 64 if klaar else "",
        pdf_grootte=12345 if klaar else None,
    )


@pytest.fixture
def twee(werkgebied, ander_werkgebied):
    return (
        versie(werkgebied, jaar=2026, titel="Crooswijk analyse 2026"),
        versie(werkgebied, jaar=2027, soort="wijkagenda", klaar=False, titel="Crooswijk agenda"),
        versie(ander_werkgebied, jaar=2026, titel="Feijenoord analyse 2026"),
    )


def titels(response) -> list[str]:
    return [v.titel for v in response.context["versies"]]


@pytest.mark.django_db
def test_the_archive_lists_every_version_with_its_html_and_pdf(twee, client):
    response = client.get(ARCHIEF)
    html = response.content.decode()
    assert sorted(titels(response)) == sorted(v.titel for v in twee)
    klaar, wachtend, _ = twee
    assert klaar.get_html_url() in html and klaar.get_pdf_url() in html
    assert wachtend.get_html_url() in html and wachtend.get_pdf_url() not in html
    assert "PDF wordt gemaakt" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("werkgebied=crooswijk", {"Crooswijk analyse 2026", "Crooswijk agenda"}),
        ("wijk=rubroek", {"Crooswijk analyse 2026", "Crooswijk agenda"}),
        ("jaar=2027", {"Crooswijk agenda"}),
        ("soort=wijkanalyse", {"Crooswijk analyse 2026", "Feijenoord analyse 2026"}),
        ("werkgebied=crooswijk&jaar=2026", {"Crooswijk analyse 2026"}),
        # Unknown values are ignored, as in every filter of the portal.
        (
            "werkgebied=bestaat-niet",
            {"Crooswijk analyse 2026", "Crooswijk agenda", "Feijenoord analyse 2026"},
        ),
        (
            "jaar=abc&soort=<script>",
            {"Crooswijk analyse 2026", "Crooswijk agenda", "Feijenoord analyse 2026"},
        ),
    ],
)
def test_the_archive_filters(twee, client, query, expected):
    response = client.get(f"{ARCHIEF}?{query}")
    assert response.status_code == 200
    assert set(titels(response)) == expected


@pytest.mark.django_db
def test_the_archive_filters_by_gebied(twee, werkgebied, client):
    response = client.get(f"{ARCHIEF}?gebied={werkgebied.gebied.slug}")
    assert set(titels(response)) == {"Crooswijk analyse 2026", "Crooswijk agenda"}


@pytest.mark.django_db
def test_a_wijk_without_a_wijkraad_has_no_publications(twee, werkgebied, client):
    WijkFactory(naam="Nergens", slug="nergens", werkgebied=None, gebied=werkgebied.gebied)
    response = client.get(f"{ARCHIEF}?wijk=nergens")
    assert titels(response) == []
    assert "geen publicaties" in response.content.decode()


@pytest.mark.django_db
def test_the_archive_is_paginated_at_a_fixed_number_of_queries(
    werkgebied, client, django_assert_max_num_queries
):
    for jaar in range(2020, 2023):
        versie(werkgebied, jaar=jaar)
    with django_assert_max_num_queries(8) as few:
        client.get(ARCHIEF + "?soort=wijkanalyse")
    for n in range(40):
        versie(WerkgebiedFactory(), jaar=2020 + n % 7)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ARCHIEF + "?soort=wijkanalyse&pagina=2")
    assert response.context["versies"].number == 2
    assert len(response.context["versies"]) == 43 - 25
    assert "Pagina 2 van 2" in response.content.decode()


@pytest.mark.django_db
def test_a_new_version_is_in_the_archive_at_once_for_anonymous_visitors(werkgebied, client):
    from pagecache.services import bump

    versie(werkgebied, jaar=2026, titel="Eerste")
    assert titels(client.get(ARCHIEF)) == ["Eerste"]
    versie(werkgebied, jaar=2027, titel="Tweede")
    bump()  # what the publishing transaction does through its audit entry
    assert "Tweede" in client.get(ARCHIEF).content.decode()


@pytest.mark.django_db
def test_the_archive_is_found_from_the_menu_and_the_wijk_and_werkgebied_pages(werkgebied, client):
    assert f'href="{ARCHIEF}"' in client.get(reverse("home")).content.decode()
    werkgebied_page = client.get(reverse("werkgebied-detail", kwargs={"slug": "crooswijk"}))
    assert f"{ARCHIEF}?werkgebied=crooswijk" in werkgebied_page.content.decode()
    wijk_page = client.get(reverse("wijk-detail", kwargs={"slug": "rubroek"}))
    assert f"{ARCHIEF}?wijk=rubroek" in wijk_page.content.decode()
