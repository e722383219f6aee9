"""Sections that other apps add to "Mijn werk" (meldingen to triage, applications to judge…),
so that the start page shows a user's whole job while ``cycle`` imports none of those apps.

A section is a function ``(user, assignments) -> str`` returning rendered HTML ("" for
nothing), registered from its app's ``AppConfig.ready()``. It runs inside the page's per-user
fragment (see ``MijnWerkView``): it may depend on the user, their roles and audited state only,
never on the session, and must use a fixed number of queries."""

_secties = []


def register_sectie(sectie):
    if sectie not in _secties:
        _secties.append(sectie)
    return sectie


def extra_secties(user, assignments) -> list[str]:
    return [html for sectie in _secties if (html := sectie(user, assignments))]
