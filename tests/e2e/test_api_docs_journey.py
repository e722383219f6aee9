"""A developer finds the open API: reads the documentation at /api/v1/docs/ (the portal's own
page, made from the OpenAPI document, checked with axe-core like every page), follows an
operation to the object it answers, opens a list in the browsable API, opens its filters and
follows the cursor to the next page. The browser refuses nothing under the CSP."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible, visit

pytestmark = pytest.mark.e2e

API = "/api/v1/"


def _csp_refusals(page) -> list[str]:
    """What the browser reports refusing under the Content-Security-Policy."""
    refused = []

    def listen(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            refused.append(message.text)

    page.on("console", listen)
    return refused


def test_developer_reads_the_docs_and_browses_a_list(page, demo):
    refused = _csp_refusals(page)

    # The documentation: the portal's page, reachable from the open data page.
    visit(page, "/open-data/")
    page.get_by_role("link", name="REST API").click()
    expect(page.get_by_role("heading", name="Wijkaanpak Rotterdam API", level=1)).to_be_visible()
    assert_accessible(page)
    expect(
        page.get_by_role("heading", name="GET /api/v1/werkgebieden/", level=3, exact=True)
    ).to_be_visible()
    # From the table of contents to a group, from an operation to the object it answers.
    page.get_by_role("link", name="Bewerkingen: budget").click()
    assert page.url.endswith("#tag-budget")
    antwoorden = page.get_by_role("table", name="Antwoorden van GET /api/v1/budgetten/{id}/")
    antwoorden.get_by_role("link", name="Budget", exact=True).first.click()
    assert page.url.endswith("#object-Budget")
    expect(page.get_by_role("table", name="Velden van Budget", exact=True)).to_be_visible()
    # The write endpoints say they need a key.
    schrijven = page.get_by_role("article", name="POST /api/v1/acties/{id}/voortgang/")
    expect(schrijven.get_by_text("Alleen met een API-sleutel.")).to_be_visible()
    # By keyboard: the link to the list, focused and followed with Enter.
    page.get_by_role("link", name="Open /api/v1/werkgebieden/ in de browser").focus()
    page.keyboard.press("Enter")

    # The browsable API of a list: the portal's own template, checked with axe.
    expect(page.get_by_role("heading", name="Werkgebieden", level=1)).to_be_visible()
    assert_accessible(page)
    visit(page, f"{API}werkgebieden/?page_size=10")
    expect(page.get_by_role("heading", name="Werkgebieden", level=1)).to_be_visible()
    expect(page.get_by_text('"slug": "bospolder-spangen-tussendijken"')).to_be_visible()
    # The filters dialog opens (Bootstrap's script runs from our origin).
    page.get_by_role("button", name="Filters").click()
    expect(page.locator("#filtersModal")).to_be_visible()
    expect(page.locator("#filtersModal select[name=gebied]")).to_be_visible()
    page.locator("#filtersModal [data-dismiss=modal]").first.click()
    expect(page.locator("#filtersModal")).to_be_hidden()
    # Follow the cursor: the next page links back.
    volgende = page.locator("a", has_text="cursor=").first.get_attribute("href")
    assert volgende and "cursor=" in volgende
    page.goto(volgende)
    assert_accessible(page)
    expect(page.get_by_text('"previous": "http')).to_be_visible()

    # A bad filter is a problem+json answer, in the browser too.
    response = page.goto(f"{API}cycli/?jaar=twee&format=json")
    assert response.status == 400
    assert response.headers["content-type"] == "application/problem+json"

    assert refused == [], refused
