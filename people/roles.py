"""The roles a user holds today, read once per request and cached on the user object so that
every predicate after the first costs no query."""

from .models import Rol, Roltoewijzing

_CACHE_ATTR = "_active_role_assignments"


def active_assignments(user) -> tuple[Roltoewijzing, ...]:
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        # Every page a signed-in user reads asks for them: a read-only request takes them from
        # the cache, kept for this user under the public version and today's date (every
        # change of a role bumps the version; a role starts and ends on a date).
        from pagecache.services import memoised_for_user

        cached = memoised_for_user(user, "rollen", lambda: _load_assignments(user))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _load_assignments(user) -> tuple[Roltoewijzing, ...]:
    # The scope objects come along: "Mijn werk" and the roles page show them, and one query
    # with three joins costs less than a second query.
    return tuple(
        Roltoewijzing.objects.active()
        .filter(user=user)
        .select_related("werkgebied", "gebied", "cluster")
        .order_by("rol", "pk")
    )


def with_assignments(user, assignments) -> None:
    """Give ``user`` a fixed set of role assignments (used to explain what a role may do)."""
    setattr(user, _CACHE_ATTR, tuple(assignments))


def werkgebied_of(obj):
    """The werkgebied an object belongs to: the werkgebied itself, or ``obj.werkgebied``
    (None when there is none: callers must then deny)."""
    if obj is None:
        return None
    from places.models import Werkgebied

    if isinstance(obj, Werkgebied):
        return obj
    werkgebied = getattr(obj, "werkgebied", None)
    return werkgebied if isinstance(werkgebied, Werkgebied) else None


# Roles that hold for the whole city and carry no area. Every other role is scoped, and the
# database guarantees that it has its area (see ``ROL_SCOPES``).
STADSBREDE_ROLLEN = (Rol.RAAD, Rol.BEHEERDER)


def covers(assignment: Roltoewijzing, werkgebied) -> bool:
    """Whether an assignment's area scope includes ``werkgebied``. Fails closed: no werkgebied
    to check against, or an assignment without an area, covers nothing."""
    if werkgebied is None:
        return False
    if assignment.werkgebied_id is not None:
        return assignment.werkgebied_id == werkgebied.pk
    if assignment.gebied_id is not None:
        return assignment.gebied_id == werkgebied.gebied_id
    return False


def holds(user, rol: Rol, obj=None) -> bool:
    """Whether ``user`` holds ``rol`` today for ``obj``'s werkgebied (for a city-wide role: at
    all). An object whose werkgebied cannot be found grants no scoped role."""
    assignments = [a for a in active_assignments(user) if a.rol == rol]
    if rol in STADSBREDE_ROLLEN:
        return bool(assignments)
    werkgebied = werkgebied_of(obj)
    return any(covers(a, werkgebied) for a in assignments)


# The order in which a role is named as the one someone acted in (public history shows it
# instead of the person's e-mail address when they have no name).
_ACTING_ORDER = (
    Rol.WIJKMANAGER,
    Rol.WIJKRAADSLID,
    Rol.ACCOUNTHOUDER,
    Rol.BEHEERDER,
    Rol.RAAD,
    Rol.BEWONER,
)


def acting_role(user, obj=None) -> str:
    """The role ``user`` most plausibly acted in on ``obj`` (a role code, or "")."""
    if user is None or not user.is_authenticated:
        return ""
    for rol in _ACTING_ORDER:
        if holds(user, rol, obj):
            return rol.value
    if user.is_superuser:
        return Rol.BEHEERDER.value
    return ""
