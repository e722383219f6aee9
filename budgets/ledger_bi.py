"""The one place where bewonersinitiatieven touch the ledger. Every booking is made by the
ledger's own services (``budgets.services``, from the budgets issue); this module only calls
them, inside the caller's transaction, so that a decision and its booking commit together.

Until the ledger is merged these calls do nothing and ``beschikbaar`` knows no limit."""

from decimal import Decimal


def beschikbaar(*, werkgebied, datum) -> Decimal | None:
    """What is left in the werkgebied's bewonersinitiatieven part (None: no ledger yet)."""
    return None


def reserveren(*, initiatief, bedrag: Decimal, user) -> None:
    return None


def betalen(*, initiatief, bedrag: Decimal, user) -> None:
    return None


def vrijgeven(*, initiatief, user) -> None:
    return None
