"""Role predicates for ``rules``. Every permission in the portal is built from these, and the
same permissions are asked by views, templates and state-machine transitions."""

import rules

from .models import Rol
from .roles import active_assignments, holds


@rules.predicate
def is_beheerder(user):
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return any(a.rol == Rol.BEHEERDER for a in active_assignments(user))


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
