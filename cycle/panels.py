"""Panels that other apps add to the pages of a wijk, a werkgebied and a product (the
meldingen of the last year, later consultations...), so that those pages show what feeds the
cycle while ``cycle`` imports none of those apps.

A panel is a function ``(obj) -> str`` returning rendered HTML ("" for nothing), registered
for a page (``"wijk"``, ``"werkgebied"``, ``"cyclus"``, ``"product"``, ``"initiatief"``)
from its app's ``AppConfig.ready()``.
The wijk and werkgebied pages are public and cached for anonymous visitors under the public
version: a panel may show public data only, must not depend on the visitor, and must use a
fixed number of queries."""

_panels: dict[str, list] = {}


def register_panel(page: str, panel) -> None:
    panels = _panels.setdefault(page, [])
    if panel not in panels:
        panels.append(panel)


def panels(page: str, obj) -> list[str]:
    return [html for panel in _panels.get(page, []) if (html := panel(obj))]
