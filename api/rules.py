"""Who may hold API keys.

A key is for a system that acts for a professional: a cluster's own system reporting progress,
the city's meldingen system, a dashboard of the wijk-MT. So keys are for signed-in users who
hold a role other than bewoner today (wijkmanager, accounthouder, wijkraadslid, raad,
beheerder), and for the named trekker of an initiative (often someone without a role, who
reports progress on it). A resident needs none: everything public is read without a key.

Holding a key gives nothing by itself: every request with it is checked against the roles its
user holds at that moment, by the same predicates as the pages (an expired role gives a key
nothing). Whoever made a key can always list and revoke it, also after their role ended."""

import rules

from people.models import Rol
from people.predicates import is_beheerder
from people.roles import active_assignments


@rules.predicate
def heeft_professionele_rol(user):
    return any(a.rol != Rol.BEWONER for a in active_assignments(user))


@rules.predicate
def is_trekker_ergens(user):
    """The account is the named trekker of some initiative (one query; asked last)."""
    from cycle.models import Initiatief

    return Initiatief.objects.filter(trekker=user).exists()


@rules.predicate
def heeft_actieve_sleutels(user):
    return user.api_sleutels.geldig().exists()


@rules.predicate
def is_eigen_sleutel(user, sleutel):
    return sleutel is not None and sleutel.user_id == user.pk


mag_sleutels_maken = (
    rules.is_authenticated
    & rules.is_active
    & (heeft_professionele_rol | is_beheerder | is_trekker_ergens)
)

# Make a new key.
rules.add_perm("api.create_sleutel", mag_sleutels_maken)
# The page "API-sleutels": who may make keys, or still holds some (to revoke them).
rules.add_perm(
    "api.view_sleutels",
    rules.is_authenticated & rules.is_active & (mag_sleutels_maken | heeft_actieve_sleutels),
)
# Revoke a key: its own user only (a beheerder neither sees nor revokes another's key here).
rules.add_perm("api.revoke_sleutel", rules.is_authenticated & is_eigen_sleutel)
