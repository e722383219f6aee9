"""Permissions of the budgets app, built from the role predicates (``people.predicates``).

The object is a werkgebied or anything with a ``werkgebied`` (a budget, a part, a booking):
roles scoped to another werkgebied, and expired roles, grant nothing."""

from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import (
    is_accounthouder_in,
    is_beheerder,
    is_wijkmanager_of,
    is_wijkraadslid_of,
)

# The wijk-MT: the wijkmanager (chair), the clusters' accounthouders and the wijkraad's members.
is_wijkmt_lid = is_wijkmanager_of | is_accounthouder_in | is_wijkraadslid_of

add_described_perm(
    "budgets.set_budget",
    is_beheerder,
    label=_("het budget van een werkgebied voor een jaar vaststellen, in delen"),
)
add_described_perm(
    "budgets.book_knelpunt",
    is_wijkmanager_of,
    label=_(
        "uit het knelpuntenbudget een kleine, dringende uitgave reserveren, betalen of vrijgeven"
    ),
)
add_described_perm(
    "budgets.view_grootboek",
    is_beheerder | is_wijkmt_lid,
    label=_("het grootboek van het wijkbudget inzien en als CSV downloaden"),
)

add_described_perm(
    "budgets.correct_booking",
    is_beheerder,
    label=_("een boeking in het grootboek corrigeren met een tegenboeking, met een reden"),
)

# The bewonersinitiatieven have their own module.
from . import rules_bi  # noqa: E402, F401
