"""The publications of the generated city (publication/scale.py)."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from cycle import scale
from cycle.models import PRODUCT_MODELLEN, Productstatus
from publication.models import Pdfstatus, Publicatie
from publication.pdf import pdf_sha256

CITY = {"seed": 11, "until_year": 2027, "today": datetime.date(2026, 11, 2)}


def steps():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")
    return scale.Registry(
        s
        for s in scale.registry.ordered()
        if s.name.split(".")[0] in ("people", "cycle") or s.name == "publication.publicaties"
    )


@pytest.fixture
def stad(rotterdam):
    return scale.generate(years=3, factor=1, werkgebieden=2, steps=steps(), **CITY)


@pytest.mark.django_db
def test_every_published_product_of_the_city_has_version_one(stad, client):
    gepubliceerd = {
        (model.SOORT, product.pk, product.titel)
        for model in PRODUCT_MODELLEN
        for product in model.objects.filter(status=Productstatus.GEPUBLICEERD)
    }
    assert len(gepubliceerd) >= 4
    versies = Publicatie.objects.all()
    assert {(v.soort, v.product_id, v.titel) for v in versies} == gepubliceerd
    assert {v.versie for v in versies} == {1}
    assert {v.pdf_status for v in versies} == {Pdfstatus.KLAAR}
    versie = versies.select_related("werkgebied").first()
    # A real frozen document, and one real PDF behind every version.
    assert versie.html.lower().startswith("<!doctype html>")
    assert versie.titel in versie.html
    data = default_storage.open(versie.pdf.name).read()
    assert data.startswith(b"%PDF-") and pdf_sha256(data) == versie.pdf_sha256
    assert client.get(versie.get_pdf_url()).status_code == 200
    archief = client.get(reverse("publicatie-archief"))
    assert archief.context["versies"].paginator.count == len(gepubliceerd)


@pytest.mark.django_db
def test_a_pdf_lost_from_storage_is_not_found_not_an_error(stad, client):
    versie = Publicatie.objects.select_related("werkgebied").first()
    default_storage.delete(versie.pdf.name)
    assert client.get(versie.get_pdf_url()).status_code == 404


@pytest.mark.django_db
def test_the_render_benchmark_measures_the_largest_wijkverslag(stad):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("publicatie_meten", stdout=out)
    text = out.getvalue()
    assert "PDF:" in text and "processortijd" in text and "kB" in text
    assert "doel: onder 3 s" in text


@pytest.mark.django_db
def test_the_render_benchmark_says_when_there_is_nothing_to_measure():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="load_scale"):
        call_command("publicatie_meten")
