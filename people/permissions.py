"""What each role may decide, derived from the permissions that enforce it.

Apps register their object permissions here with a plain-language description. The roles page
asks ``rules`` the very same questions for a hypothetical holder of each role, so what the page
says and what the portal enforces cannot drift apart."""

from dataclasses import dataclass

import rules

from .models import Rol, Roltoewijzing, User
from .roles import with_assignments


@dataclass(frozen=True)
class DescribedPermission:
    name: str
    label: str


_REGISTRY: dict[str, DescribedPermission] = {}


def add_described_perm(name: str, predicate, *, label) -> None:
    """``rules.add_perm`` plus a description for the roles page."""
    rules.add_perm(name, predicate)
    _REGISTRY[name] = DescribedPermission(name=name, label=label)


def described_permissions() -> list[DescribedPermission]:
    return list(_REGISTRY.values())


def hypothetical_holder(rol: Rol, werkgebied) -> User:
    """An unsaved user holding only ``rol`` in ``werkgebied`` (for accounthouders: any cluster
    working in its gebied)."""
    user = User(email=f"{rol}@voorbeeld.invalid")
    assignment = Roltoewijzing(rol=rol)
    if rol in (Rol.WIJKMANAGER, Rol.WIJKRAADSLID, Rol.BEWONER):
        assignment.werkgebied = werkgebied
    elif rol == Rol.ACCOUNTHOUDER:
        assignment.gebied = werkgebied.gebied
        assignment.cluster_id = 0  # any cluster: the permissions ask for the area only
    with_assignments(user, [assignment])
    return user


def capabilities(werkgebied) -> list[tuple[str, str, list[DescribedPermission]]]:
    """For each role: (code, label, the described permissions it holds in ``werkgebied``)."""
    result = []
    for rol in Rol:
        user = hypothetical_holder(rol, werkgebied)
        allowed = [p for p in _REGISTRY.values() if rules.has_perm(p.name, user, werkgebied)]
        result.append((rol.value, rol.label, allowed))
    return result
