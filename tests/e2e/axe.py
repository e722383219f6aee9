"""axe-core checks for the browser journeys.

``assert_accessible(page)`` runs axe-core (as bundled with axe-playwright-python) on the page as
it is now, limited to the WCAG 2.1 A and AA rules, and fails on every violation with impact
"serious" or "critical", listing rule id, impact and the CSS selectors of the offending nodes.

``visit(page, path)`` and ``submit(page, locator)`` are the two ways the journeys move to a new
page: both wait for the new document to load and then run ``assert_accessible`` on it, so every
page a journey sees is checked.

The portal sends a strict Content-Security-Policy (no inline or eval'd script). Playwright's
``page.evaluate`` runs through the DevTools protocol, which the page's CSP does not govern, so
axe can be injected without ``bypass_csp``; the browser context keeps the CSP enforced.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """All WCAG 2.1 A/AA violations axe finds on ``page`` (every impact)."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return results.response["violations"]


def _describe(violation: dict) -> str:
    targets = []
    for node in violation["nodes"]:
        # A target is a list of selectors (one per shadow/iframe level).
        targets.append(" >> ".join(str(part) for part in node["target"]))
    return (
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    targets: {'; '.join(targets)}\n"
        f"    more: {violation.get('helpUrl', '')}"
    )


def assert_accessible(page) -> None:
    """Fail when axe finds a serious or critical WCAG 2.1 A/AA violation on ``page``."""
    page.wait_for_load_state("load")
    serious = [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]
    if serious:
        report = "\n".join(_describe(v) for v in serious)
        raise AssertionError(
            f"axe: {len(serious)} serious/critical WCAG 2.1 A/AA violation(s) on "
            f"{page.url}:\n{report}"
        )


def visit(page, path: str):
    """Navigate to ``path`` (relative to the live server), check it with axe, return the
    response (for its status code)."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert_accessible(page)
    return response


def submit(page, locator):
    """Click ``locator`` (a submit button or link that loads a new page), wait for the new
    document and check it with axe. Returns the navigation's response."""
    with page.expect_navigation(wait_until="load") as navigation:
        locator.click()
    assert_accessible(page)
    return navigation.value
