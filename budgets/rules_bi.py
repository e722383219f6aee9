"""Object permissions of bewonersinitiatieven. Views, templates and services all ask these.

An application belongs to its werkgebied. Its applicant (while they are a resident of that
werkgebied) reads it, edits it as a concept and reports afterwards; who decides is set per
werkgebied (``Regeling.beslisser``): a wijkraadslid recording the wijkraad's decision, or the
wijkmanager where delegated. The wijkmanager has the payment made. Other residents see only
what the public list shows."""

import rules
from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import (
    is_beheerder,
    is_bewoner_of,
    is_wijkmanager_of,
    is_wijkraadslid_of,
)

from .models_bi import Beslisser, BIStatus


def _werkgebied(obj):
    from places.models import Werkgebied

    return obj if isinstance(obj, Werkgebied) else getattr(obj, "werkgebied", None)


def beslisser_van(werkgebied) -> str:
    regeling = getattr(werkgebied, "bi_regeling", None) if werkgebied is not None else None
    try:
        return regeling.beslisser if regeling is not None else Beslisser.WIJKRAAD
    except Exception:  # pragma: no cover - a werkgebied without a regeling: the default
        return Beslisser.WIJKRAAD


@rules.predicate
def is_aanvrager(user, initiatief):
    return (
        initiatief is not None
        and user is not None
        and user.is_authenticated
        and getattr(initiatief, "aanvrager_id", None) == user.pk
    )


@rules.predicate
def is_beslisser_of(user, obj):
    """The decider of the werkgebied, by its regeling."""
    werkgebied = _werkgebied(obj)
    if werkgebied is None:
        return False
    if beslisser_van(werkgebied) == Beslisser.WIJKMANAGER:
        return is_wijkmanager_of(user, werkgebied)
    return is_wijkraadslid_of(user, werkgebied)


@rules.predicate
def is_concept(user, initiatief):
    return getattr(initiatief, "status", None) == BIStatus.CONCEPT


@rules.predicate
def is_uitbetaald(user, initiatief):
    return getattr(initiatief, "status", None) == BIStatus.UITBETAALD


eigen = is_aanvrager & is_bewoner_of
behandelaar = is_beslisser_of | is_wijkmanager_of | is_beheerder

add_described_perm(
    "budgets.apply_bewonersinitiatief",
    is_bewoner_of,
    label=_("een bewonersinitiatief aanvragen"),
)
add_described_perm(
    "budgets.decide_bewonersinitiatief",
    is_beslisser_of,
    label=_("over bewonersinitiatieven beslissen (met de zeven spelregels)"),
)
add_described_perm(
    "budgets.pay_bewonersinitiatief",
    is_wijkmanager_of,
    label=_("toegekende bewonersinitiatieven laten uitbetalen"),
)
rules.add_perm("budgets.view_bewonersinitiatief", eigen | behandelaar)
rules.add_perm("budgets.change_bewonersinitiatief", eigen & is_concept)
rules.add_perm("budgets.account_bewonersinitiatief", eigen & is_uitbetaald)
# The deciders' list of a werkgebied.
rules.add_perm("budgets.list_bewonersinitiatieven", behandelaar)
# The rules per werkgebied and their rounds, in the admin.
for model in ("regeling", "ronde"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"budgets.{action}_{model}", is_beheerder)
if not rules.perm_exists("budgets"):
    rules.add_perm("budgets", is_beheerder)
