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


# Panels that depend on the visitor (a resident's own "Ik steun dit" button): ``(obj, request,
# csrf_token) -> str``. Only for pages kept per user (the product page's content, see
# ``ProductDetailView.render_inhoud``); for an anonymous visitor the panel must render no form
# and nothing personal, since that page is kept in the public cache.
_user_panels: dict[str, list] = {}


def register_user_panel(page: str, panel) -> None:
    panels = _user_panels.setdefault(page, [])
    if panel not in panels:
        panels.append(panel)


def user_panels(page: str, obj, request, csrf_token) -> list[str]:
    return [
        html for panel in _user_panels.get(page, []) if (html := panel(obj, request, csrf_token))
    ]
