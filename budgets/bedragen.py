"""Amounts in euros: strict parsing of what people type, and Dutch display.

Accepted: ``1234``, ``1234,5``, ``1234,56``, ``1.234,56`` (Dutch, dots group thousands),
``1234.56`` (a dot with one or two decimals), with an optional ``€`` and spaces. A dot followed
by exactly three digits groups thousands (``1.234`` is 1234). Refused with a Dutch message:
anything else, negative or zero amounts, more than two decimals, more than ``MAX_BEDRAG``."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BEDRAG = Decimal("10000000.00")
CENT = Decimal("0.01")

_NL = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$")
_PUNT = re.compile(r"^(\d+)\.(\d+)$")

ONGELDIG = _("Vul een bedrag in euro's in, zoals 1.234,56 of 1234.56.")
NEGATIEF = _("Een bedrag kan niet negatief zijn.")
NUL = _("Een bedrag moet groter zijn dan nul.")
TE_PRECIES = _("Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen).")
TE_GROOT = _("Een bedrag kan niet hoger zijn dan € 10.000.000.")
LEEG = _("Vul een bedrag in.")


def _controleer(waarde: Decimal, *, nul_toegestaan: bool) -> Decimal:
    if not waarde.is_finite():
        raise ValidationError(ONGELDIG, code="ongeldig")
    if waarde < 0:
        raise ValidationError(NEGATIEF, code="negatief")
    if waarde == 0 and not nul_toegestaan:
        raise ValidationError(NUL, code="nul")
    if waarde != waarde.quantize(CENT, rounding="ROUND_DOWN"):
        raise ValidationError(TE_PRECIES, code="te_precies")
    if waarde > MAX_BEDRAG:
        raise ValidationError(TE_GROOT, code="te_groot")
    return waarde.quantize(CENT)


def parse_bedrag(waarde, *, nul_toegestaan: bool = False) -> Decimal:
    """An amount from user input (text) or code (Decimal or int), as a Decimal with cents."""
    if isinstance(waarde, (bool, float)):
        # Floats are never money: refuse them loudly, in code, not as user input.
        raise TypeError("amounts are Decimal, int or text, never float")
    if isinstance(waarde, int):
        waarde = Decimal(waarde)
    if isinstance(waarde, Decimal):
        return _controleer(waarde, nul_toegestaan=nul_toegestaan)
    tekst = str(waarde if waarde is not None else "").strip()
    tekst = tekst.replace("€", "").replace("\u00a0", "").replace(" ", "")
    if not tekst:
        raise ValidationError(LEEG, code="leeg")
    if len(tekst) > 30:
        raise ValidationError(TE_GROOT, code="te_groot")
    if tekst.startswith("-") or tekst.startswith("\u2212"):
        raise ValidationError(NEGATIEF, code="negatief")
    if tekst.startswith("+"):
        tekst = tekst[1:]
    if match := _NL.match(tekst):
        geheel, decimalen = match.group(1).replace(".", ""), match.group(2) or ""
    elif match := _PUNT.match(tekst):
        geheel, decimalen = match.group(1), match.group(2)
    else:
        raise ValidationError(ONGELDIG, code="ongeldig")
    if len(decimalen) > 2:
        raise ValidationError(TE_PRECIES, code="te_precies")
    try:
        bedrag = Decimal(f"{geheel}.{decimalen or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        raise ValidationError(ONGELDIG, code="ongeldig") from None
    return _controleer(bedrag, nul_toegestaan=nul_toegestaan)


def euro(bedrag) -> str:
    """``€ 1.234,56`` (Dutch notation); negative amounts with a minus sign."""
    if bedrag is None:
        return ""
    bedrag = Decimal(bedrag).quantize(CENT)
    teken = "-" if bedrag < 0 else ""
    geheel, _sep, cent = f"{abs(bedrag):.2f}".partition(".")
    groepen = []
    while len(geheel) > 3:
        groepen.insert(0, geheel[-3:])
        geheel = geheel[:-3]
    groepen.insert(0, geheel)
    return f"{teken}€ {'.'.join(groepen)},{cent}"
