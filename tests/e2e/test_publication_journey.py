"""Publishing through a real Celery worker and Redis: the wijkmanager publishes, the product
page says the PDF is being made, and the download link appears by itself once a worker has
rendered it (the page asks, it is not reloaded); the wijkmanager downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect

from publication.models import Pdfstatus, Publicatie
from tests.notices.support import celery_app_on, private_redis, worker_running

from .axe import assert_accessible, submit, visit
from .conftest import login
from .test_wijkmanager_journey import confirm_publication

PROGRAMMA = "/werkgebieden/oude-noorden/2026/wijkprogramma/"


@pytest.mark.django_db(transaction=True)
def test_wijkmanager_publishes_and_the_pdf_appears(page, demo):
    with private_redis() as url, celery_app_on(url, packages=("notices", "publication")) as app:
        login(page, demo["wijkmanager"].email)
        visit(page, PROGRAMMA)
        confirm_publication(page)
        submit(page, page.get_by_role("button", name="Publiceren", exact=True))
        # No worker runs yet: the task waits in Redis, and the page says so.
        versies = page.get_by_role("region", name="Gepubliceerde versies")
        expect(versies.get_by_role("status")).to_contain_text("PDF wordt gemaakt")
        assert (
            Publicatie.objects.get(
                soort="wijkprogramma", werkgebied__slug="oude-noorden"
            ).pdf_status
            == Pdfstatus.WACHTEND
        )
        with worker_running(app):
            link = versies.get_by_role("link", name=re.compile("download als PDF"))
            expect(link).to_be_visible(timeout=30_000)
        assert_accessible(page)
        with page.expect_download() as download:
            link.click()
        path = download.value.path()
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        assert download.value.suggested_filename == "wijkprogramma-oude-noorden-2026-v1.pdf"

        # The frozen text of the version, as published.
        submit(page, versies.get_by_role("link", name="lees de gepubliceerde tekst"))
        expect(page).to_have_url(
            re.compile(r"/publicaties/oude-noorden/2026/wijkprogramma/v1/tekst/$")
        )
        expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_council_member_follows_the_mail_to_the_overview_and_opens_the_pdf(page, demo_met_pdfs):
    demo = demo_met_pdfs
    """The demo's closed cycle of Delfshaven-Schiemond published its wijkverslag and then a
    correction of it (their PDFs rendered eagerly): the council member was mailed a link to
    each version, and follows the newest."""
    from notices.models import Notice

    raad = demo["raad"]
    eerste, correctie = Notice.objects.filter(
        kind="cycle.published", recipient=raad.email, subject__contains="Wijkverslag"
    ).order_by("pk")
    assert eerste.subject.startswith("Gepubliceerd:")
    assert correctie.subject.startswith("Gecorrigeerd gepubliceerd:")
    assert "Reden van de correctie: In de jaarrekening" in correctie.body
    pad = re.search(r"https?://[^/\s]+(/publicaties/\S+)", correctie.body)[1]
    assert pad == "/publicaties/delfshaven-schiemond/2025/wijkverslag/v2/"

    login(page, raad.email)
    # Mijn werk names the new wijkverslag.
    expect(page.get_by_role("region", name=re.compile("Wijkverslagen"))).to_contain_text(
        "Delfshaven"
    )
    visit(page, pad)
    expect(page.get_by_role("status")).to_contain_text("De PDF is klaar.")
    expect(page.get_by_role("main")).to_contain_text("Deze versie vervangt versie 1.")
    # The published text carries the jaarrekening read from the ledger (the demo's budget of
    # Delfshaven-Schiemond 2025 existed when the correction was published).
    visit(page, pad + "tekst/")
    rekening = page.get_by_role("region", name="Jaarrekening wijkbudget 2025")
    expect(rekening.get_by_role("table", name="Acties van het wijkprogramma")).to_contain_text(
        "Totaal"
    )
    visit(page, pad)
    submit(page, page.get_by_role("link", name="De wijkverslagen 2025 van alle werkgebieden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkverslagen 2025")
    rij = page.get_by_role("row", name=re.compile("Delfshaven-Schiemond"))
    expect(rij).to_contain_text("(versie 2)")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(39)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name=re.compile("Download als CSV")).click()
    assert csv_download.value.suggested_filename == "wijkverslagen-2025.csv"
    response = page.request.get(
        rij.get_by_role("link", name=re.compile("PDF")).get_attribute("href")
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_resident_finds_the_archive_from_the_home_page(page, demo):
    visit(page, "/")
    submit(
        page,
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Publicaties"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicaties")
    page.get_by_label("Werkgebied").select_option(label="Delfshaven-Schiemond")
    submit(page, page.get_by_role("button", name="Filteren"))
    rows = page.locator("tbody tr")
    # The four products of the closed 2025 cycle, the wijkverslag in two versions (the demo
    # corrected it), the newest first.
    expect(rows).to_have_count(5)
    expect(rows.nth(1)).to_contain_text("vervangen door versie 2")
    submit(page, rows.first.get_by_role("link").first)
    expect(page).to_have_url(re.compile(r"/publicaties/delfshaven-schiemond/2025/\w+/v2/tekst/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
