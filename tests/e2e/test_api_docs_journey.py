"""A developer finds the open API: opens the documentation at /api/v1/docs/ (Swagger UI, served
from our own origin under the strict Content-Security-Policy), then a list in the browsable
API, opens its filters and follows the cursor to the next page. The browser refuses nothing
under the CSP, and axe-core checks the portal's own pages (the browsable API).

Swagger UI is third-party markup: what axe finds there is printed (``-s``) and only what would
be ours (the page's language and title) fails the test."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible, axe_violations, visit

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

    # The documentation renders the schema it fetched from our own origin.
    response = page.goto(f"{API}docs/")
    assert response.status == 200
    expect(page.get_by_text("Wijkaanpak Rotterdam API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/werkgebieden/", exact=True).first).to_be_visible()
    violations = axe_violations(page)
    assert not [v["id"] for v in violations if v["id"] in {"html-has-lang", "document-title"}]
    print(
        "Swagger UI, axe serious/critical:",
        sorted({v["id"] for v in violations if v.get("impact") in {"serious", "critical"}}),
    )

    # The browsable API of a list: the portal's own template, checked with axe.
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
