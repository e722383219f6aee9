"""The roles a user holds today, read once per request and cached on the user object so that
every predicate after the first costs no query."""

from .models import Rol, Roltoewijzing

_CACHE_ATTR = "_active_role_assignments"


def active_assignments(user) -> tuple[Roltoewijzing, ...]:
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(Roltoewijzing.objects.active().filter(user=user))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def with_assignments(user, assignments) -> None:
    """Give ``user`` a fixed set of role assignments (used to explain what a role may do)."""
    setattr(user, _CACHE_ATTR, tuple(assignments))


def werkgebied_of(obj):
    """The werkgebied an object belongs to: the werkgebied itself, or ``obj.werkgebied``."""
    if obj is None:
        return None
    from places.models import Werkgebied

    if isinstance(obj, Werkgebied):
        return obj
    return getattr(obj, "werkgebied", None)


def covers(assignment: Roltoewijzing, werkgebied) -> bool:
    """Whether an assignment's area scope includes ``werkgebied``. No area means city-wide."""
    if assignment.werkgebied_id is not None:
        return assignment.werkgebied_id == werkgebied.pk
    if assignment.gebied_id is not None:
        return assignment.gebied_id == werkgebied.gebied_id
    return True


def holds(user, rol: Rol, obj=None) -> bool:
    werkgebied = werkgebied_of(obj)
    for assignment in active_assignments(user):
        if assignment.rol != rol:
            continue
        if werkgebied is None or covers(assignment, werkgebied):
            return True
    return False
