"""Conditions that the apps above ``cycle`` add to a product's steps.

``cycle`` never imports ``participation``, yet a product may not go into consultation before
the participation plan says what residents can influence, nor be adopted while a reaction is
unanswered. Such an app registers a function ``voorwaarde(product, transition) -> list[str]``
in its ``AppConfig.ready()``; it returns what still stands in the way of ``transition``
(``"ter_consultatie"`` or ``"vaststellen"``) as short Dutch phrases, or an empty list. The
product's steps show them like the missing parts of the content and refuse the step while
any remains."""

from collections.abc import Callable

Voorwaarde = Callable[[object, str], list[str]]

_voorwaarden: list[Voorwaarde] = []


def register_voorwaarde(voorwaarde: Voorwaarde) -> Voorwaarde:
    if voorwaarde not in _voorwaarden:
        _voorwaarden.append(voorwaarde)
    return voorwaarde


def blokkades(product, transition: str) -> list[str]:
    """What the registered conditions say stands in the way of ``transition``."""
    return [str(wat) for voorwaarde in _voorwaarden for wat in voorwaarde(product, transition)]
