"""Object permissions of bijeenkomsten and the findings of a wijkschouw.

- ``participation.plan_bijeenkomsten`` (on a werkgebied): plan a meeting there. The werkgebied's
  wijkmanager (and a beheerder) plans every kind; a wijkraadslid of the werkgebied plans the
  wijkraad's own meetings only (the wijkraad convenes its meetings itself, Verordening op de
  wijkraden 2022), which ``change_bijeenkomst`` enforces on the meeting.
- ``participation.change_bijeenkomst`` (on a meeting): edit it, cancel it, write its outcome.
- ``participation.add_bevinding`` (on a wijkschouw that is not cancelled): those who walk it:
  the wijkmanager, the wijkraadsleden and the accounthouders of the werkgebied (and beheerders).
- ``participation.maak_meldingen_van_bevindingen`` (on a wijkschouw): the wijkmanager (and
  beheerders): they triage the meldingen it makes."""

import rules
from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import (
    is_accounthouder_in,
    is_beheerder,
    is_wijkmanager_of,
    is_wijkraadslid_of,
)


@rules.predicate
def is_wijkraadvergadering(user, bijeenkomst):
    return getattr(bijeenkomst, "soort", None) == "wijkraadvergadering"


@rules.predicate
def is_wijkschouw(user, bijeenkomst):
    return getattr(bijeenkomst, "soort", None) == "wijkschouw"


@rules.predicate
def is_geannuleerd(user, bijeenkomst):
    return bool(getattr(bijeenkomst, "geannuleerd", False))


plant = is_beheerder | is_wijkmanager_of

add_described_perm(
    "participation.plan_bijeenkomsten",
    plant | is_wijkraadslid_of,
    label=_(
        "bijeenkomsten plannen en het verslag vastleggen (een wijkraadslid: de "
        "wijkraadvergaderingen)"
    ),
)
rules.add_perm(
    "participation.change_bijeenkomst", plant | (is_wijkraadvergadering & is_wijkraadslid_of)
)
rules.add_perm(
    "participation.add_bevinding",
    is_wijkschouw & ~is_geannuleerd & (plant | is_wijkraadslid_of | is_accounthouder_in),
)
rules.add_perm(
    "participation.view_bevindingen",
    is_wijkschouw & (plant | is_wijkraadslid_of | is_accounthouder_in),
)
rules.add_perm("participation.maak_meldingen_van_bevindingen", is_wijkschouw & plant)
