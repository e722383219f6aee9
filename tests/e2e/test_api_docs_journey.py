"""A developer finds the open API: opens the documentation at /api/v1/docs/ (Redoc, served from
our own origin under the strict Content-Security-Policy), then a list in the browsable API,
filters it and follows the cursor to the next page. Nothing is refused by the CSP, and axe-core
checks the portal's own pages (the browsable API)."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible, axe_violations, visit

pytestmark = pytest.mark.e2e

API = "/api/v1/"


def _csp_refusals(page) -> list[str]:
    """Collects what the browser reports refusing under the Content-Security-Policy."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return refused


def test_developer_reads_the_docs_and_browses_a_list(page, demo):
    refused = _csp_refusals(page)

    # The documentation: Redoc renders the schema it fetched from our own origin.
    response = page.goto(f"{API}docs/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Wijkaanpak Rotterdam API", level=1)).to_be_visible()
    expect(page.get_by_text("/api/v1/werkgebieden/").first).to_be_attached()
    assert not [r for r in refused if "script" in r], refused
    # Redoc is a third-party page; what axe finds on it is reported by the test below, the
    # portal's own pages must be clean.
    page.evaluate("() => 1")

    # The browsable API of a list: the portal's own template, checked with axe.
    visit(page, f"{API}werkgebieden/?page_size=10")
    expect(page.get_by_role("heading", name="Werkgebieden", level=1)).to_be_visible()
    expect(page.get_by_text('"slug": "bospolder-spangen-tussendijken"')).to_be_visible()
    # The filters dialog opens (Bootstrap's script runs from our origin).
    page.get_by_role("button", name="Filters").click()
    expect(page.locator("#filtersModal")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#filtersModal")).to_be_hidden()
    # Follow the cursor: the next page has other werkgebieden.
    body = page.locator("pre.prettyprint").inner_text()
    volgende = body.split('"next": "')[1].split('"')[0]
    assert "cursor=" in volgende
    page.goto(volgende.replace("&amp;", "&"))
    assert_accessible(page)
    expect(page.get_by_text('"previous": "http')).to_be_visible()

    # A bad filter is a problem+json answer, readable in the browser too.
    page.goto(f"{API}cycli/?jaar=twee&format=json")
    assert '"status":400' in page.content().replace(" ", "")

    assert refused == [], refused


def test_redoc_accessibility_report(page, demo):
    """Redoc's own markup is not ours to fix; this records exactly what axe finds there and
    fails only on what would be ours (the page's language, its title)."""
    page.goto(f"{API}docs/")
    expect(page.get_by_role("heading", name="Wijkaanpak Rotterdam API", level=1)).to_be_visible()
    violations = axe_violations(page)
    ours = {"html-has-lang", "html-lang-valid", "document-title"}
    assert not [v["id"] for v in violations if v["id"] in ours]
    serious = sorted({v["id"] for v in violations if v.get("impact") in {"serious", "critical"}})
    print("Redoc axe serious/critical:", serious)
