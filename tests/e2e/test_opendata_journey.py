"""A researcher finds the open data from the start page, reads what the fields mean, and
downloads the meldingen of this year as CSV (every page checked with axe-core)."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api.opendata.datasets import MELDINGEN
from participation.models import Melding, Thema
from places.models import Wijk
from tests.participation.factories import MeldingFactory

from .axe import submit, visit

pytestmark = pytest.mark.e2e


def test_a_researcher_downloads_the_meldingen_of_this_year(page, rotterdam):
    jaar = timezone.localdate().year
    schoon = Thema.objects.get(slug="schoon")
    MeldingFactory.create_batch(2, wijk=Wijk.objects.get(slug="rubroek"), thema=schoon)
    MeldingFactory(wijk=Wijk.objects.get(slug="spangen"), thema=Thema.objects.get(slug="heel"))

    visit(page, "/")
    submit(page, page.get_by_role("contentinfo").get_by_role("link", name="Open data"))
    expect(page).to_have_url("/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")

    # The fields of the meldingen, with their meaning.
    sectie = page.locator("section[aria-labelledby='meldingen']")
    tabel = sectie.get_by_role("table")
    expect(tabel.get_by_role("rowheader", name="aantal", exact=True)).to_be_visible()
    rij = tabel.get_by_role("row").filter(has=page.get_by_role("rowheader", name="buurtcode"))
    expect(rij).to_contain_text("CBS-code van de buurt")
    expect(page.get_by_role("heading", name="Licentie", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="CC0 1.0")).to_be_visible()

    link = page.get_by_role("link", name=f"CSV {MELDINGEN.titel} {jaar}")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"wijkaanpak-rotterdam-meldingen-{jaar}.csv"
    with open(download.path(), encoding="utf-8", newline="") as bestand:
        tekst = bestand.read()
    reader = csv.DictReader(io.StringIO(tekst, newline=""))
    rows = list(reader)
    assert reader.fieldnames == MELDINGEN.veldnamen
    assert sum(int(row["aantal"]) for row in rows) == Melding.objects.count() == 3
    assert {(row["wijk_slug"], row["thema_slug"], row["aantal"]) for row in rows} == {
        ("rubroek", "schoon", "2"),
        ("spangen", "heel", "1"),
    }

    # The page fits a phone: the tables of fields scroll in their own box.
    page.set_viewport_size({"width": 375, "height": 740})
    breedte = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert breedte[0] <= breedte[1], breedte
