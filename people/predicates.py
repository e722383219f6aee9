"""Role predicates for ``rules``. Every permission in the portal is built from these, and the
same permissions are asked by views, templates and state-machine transitions.

They fail closed: no user, an inactive user, an expired or future assignment, or an object
whose werkgebied cannot be found grants nothing."""

import rules

from .models import Rol
from .roles import active_assignments, covers, holds, werkgebied_of


@rules.predicate
def is_superuser(user):
    return bool(user is not None and user.is_active and user.is_superuser)


@rules.predicate
def is_beheerder(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(a.rol == Rol.BEHEERDER for a in active_assignments(user))


@rules.predicate
def is_raad(user):
    return holds(user, Rol.RAAD)


@rules.predicate
def is_wijkmanager_of(user, obj):
    """A wijkmanager whose werkgebied (or gebied) includes the object's werkgebied."""
    return obj is not None and holds(user, Rol.WIJKMANAGER, obj)


@rules.predicate
def is_wijkraadslid_of(user, obj):
    return obj is not None and holds(user, Rol.WIJKRAADSLID, obj)


@rules.predicate
def is_accounthouder_in(user, obj):
    """An accounthouder of any cluster working in the object's werkgebied."""
    return obj is not None and holds(user, Rol.ACCOUNTHOUDER, obj)


@rules.predicate
def is_bewoner_of(user, obj):
    """A resident registered in the object's werkgebied."""
    return obj is not None and holds(user, Rol.BEWONER, obj)


@rules.predicate
def is_accounthouder_of_cluster(user, obj):
    """An accounthouder of the object's own cluster (``obj.cluster_id``) whose gebied includes
    the object's werkgebied. No cluster or no werkgebied on the object grants nothing."""
    cluster_id = getattr(obj, "cluster_id", None)
    werkgebied = werkgebied_of(obj)
    if cluster_id is None or werkgebied is None:
        return False
    return any(
        a.rol == Rol.ACCOUNTHOUDER and a.cluster_id == cluster_id and covers(a, werkgebied)
        for a in active_assignments(user)
    )


# Predicates about accounts and role assignments as objects (the admin asks these).


@rules.predicate
def is_self(user, account):
    return account is not None and user is not None and account.pk == user.pk


@rules.predicate
def is_administrator_account(user, account):
    """The account is an administrator's: superuser, staff, or holder of the beheerder role
    (today or in the future). Only a superuser manages those."""
    if account is None or account.pk is None:
        return False
    if account.is_superuser or account.is_staff:
        return True
    return account.rollen.filter(rol=Rol.BEHEERDER).exists()


@rules.predicate
def is_beheerder_assignment(user, assignment):
    return assignment is not None and assignment.rol == Rol.BEHEERDER


@rules.predicate
def is_bewoner(user):
    """A resident registered (today) in any werkgebied."""
    return any(a.rol == Rol.BEWONER for a in active_assignments(user))


@rules.predicate
def is_alleen_bewoner(user):
    """Holds (or held, or will hold) no role but bewoner and administers nothing: the only
    accounts their owner may delete themself (see ``people.avg.mag_verwijderen``)."""
    from .avg import mag_verwijderen

    return mag_verwijderen(user)
