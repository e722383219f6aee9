"""The permission matrix of a resident's own place: every role (also expired, future, a
superuser, staff, and a resident who also holds another role) × every new permission."""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from people.models import Rol, Roltoewijzing
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

PERMS = [
    "people.view_mijn_wijk",
    "people.delete_own_account",
    "people.view_own_notifications",
    "people.export_own_data",
]


def _dag(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _inactief(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _bewoner_en_wijkraadslid(wg):
    user = user_with_role(Rol.BEWONER, werkgebied=wg)
    Roltoewijzing.objects.create(user=user, rol=Rol.WIJKRAADSLID, werkgebied=wg)
    return user


def _bewoner_staff(wg):
    user = user_with_role(Rol.BEWONER, werkgebied=wg)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


ROLES = {
    "anoniem": lambda wg: AnonymousUser(),
    "geen rol": lambda wg: UserFactory(),
    "bewoner": lambda wg: user_with_role(Rol.BEWONER, werkgebied=wg),
    "bewoner verlopen": lambda wg: user_with_role(
        Rol.BEWONER, werkgebied=wg, geldig_vanaf=_dag(-30), geldig_tot=_dag(-1)
    ),
    "bewoner toekomstig": lambda wg: user_with_role(
        Rol.BEWONER, werkgebied=wg, geldig_vanaf=_dag(1)
    ),
    "bewoner inactief": lambda wg: _inactief(user_with_role(Rol.BEWONER, werkgebied=wg)),
    "bewoner en wijkraadslid": _bewoner_en_wijkraadslid,
    "bewoner met beheertoegang": _bewoner_staff,
    "wijkmanager": lambda wg: user_with_role(Rol.WIJKMANAGER, werkgebied=wg),
    "wijkraadslid": lambda wg: user_with_role(Rol.WIJKRAADSLID, werkgebied=wg),
    "accounthouder": lambda wg: user_with_role(
        Rol.ACCOUNTHOUDER, cluster=ClusterFactory(), gebied=wg.gebied
    ),
    "raad": lambda wg: user_with_role(Rol.RAAD),
    "beheerder": lambda wg: user_with_role(Rol.BEHEERDER),
    "superuser": lambda wg: UserFactory(is_superuser=True, is_staff=True),
}

BEWONERS = {"bewoner", "bewoner en wijkraadslid", "bewoner met beheertoegang"}
ACTIEF = set(ROLES) - {"anoniem", "bewoner inactief"}
EXPECTED = {
    "people.view_mijn_wijk": BEWONERS,
    "people.delete_own_account": {"bewoner"},
    "people.view_own_notifications": ACTIEF,
    "people.export_own_data": ACTIEF,
}


@pytest.mark.django_db
@pytest.mark.parametrize("perm", PERMS)
@pytest.mark.parametrize("rol", list(ROLES))
def test_matrix(perm, rol, werkgebied):
    user = ROLES[rol](werkgebied)
    assert rules.has_perm(perm, user) == (rol in EXPECTED[perm]), (perm, rol)


@pytest.mark.django_db
def test_a_superuser_cannot_delete_their_own_account_here(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.post("/mijn-wijk/account-verwijderen/", {"password": "geheim-wachtwoord"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active
