"""Shared set-up of the write tests of /api/v1/: every role (the shared role table plus the
other cluster, the trekker's account and an expired accounthouder), a key per user, a cycle in
its execution year and one drafting its programme, and calls through the API with a key."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from api.models import PREFIX_LENGTH, ApiSleutel, digest
from cycle.models import Fase, Initiatief, Wijkprogramma
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.cycle.inhoud import agendapunt_voor, met_initiatief
from tests.cycle.test_uitvoering_views import uitvoering_met_initiatieven
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

EXTRA_ROLES = ["accounthouder ander cluster", "trekker", "accounthouder verlopen"]
ALL_ROLES = [*ROLE_NAMES, *EXTRA_ROLES]
RUNNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
INVOLVED = RUNNERS | {"wijkraadslid", "accounthouder", "accounthouder ander cluster"}


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")


@pytest.fixture
def alle_rollen(roles, werkgebied, stadsbeheer):
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    ander = ClusterFactory(naam="Stadsontwikkeling", slug="stadsontwikkeling")
    return {
        **roles,
        "accounthouder ander cluster": (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=ander, gebied=werkgebied.gebied),
            False,
        ),
        # An account without any role: only the trekker of the first initiative.
        "trekker": (UserFactory(naam="Fatima de Vries"), False),
        "accounthouder verlopen": (
            user_with_role(
                Rol.ACCOUNTHOUDER,
                cluster=stadsbeheer,
                gebied=werkgebied.gebied,
                geldig_vanaf=gisteren - datetime.timedelta(days=365),
                geldig_tot=gisteren,
            ),
            False,
        ),
    }


@pytest.fixture
def uitvoering(werkgebied, make_cycle, alle_rollen, stadsbeheer):
    """Crooswijk 2027 in execution: two initiatives of Stadsbeheer (the first with the
    trekker's account) and one of a residents' group; the programme published."""
    return uitvoering_met_initiatieven(
        werkgebied,
        drafter=alle_rollen["wijkmanager"][0],
        accounthouder=alle_rollen["accounthouder"][0],
        cluster=stadsbeheer,
        trekker=alle_rollen["trekker"][0],
        make_cycle=make_cycle,
    )


@pytest.fixture
def programma(werkgebied, make_cycle):
    """Crooswijk 2027 drafting its programme."""
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def nieuw_initiatief(programma, drafter, cluster, *, trekker=None, titel="Grofvuilactie"):
    """An initiative of ``cluster`` waiting for its answer (with ``trekker``'s account)."""
    initiatief = met_initiatief(
        programma,
        drafter,
        cluster=cluster,
        titel=titel,
        agendapunt=agendapunt_voor(programma.cyclus, titel=f"Punt {titel}"),
    )
    if trekker is not None:
        Initiatief.objects.filter(pk=initiatief.pk).update(trekker=trekker)
    return fresh(initiatief)


def sleutel_voor(user, naam="Test") -> str:
    """A key of ``user``, made directly (whatever the user's roles: the API must check them
    on every request, not when the key was made)."""
    key = ApiSleutel.nieuwe_sleutel()
    ApiSleutel.objects.create(
        user=user, naam=naam, prefix=key[:PREFIX_LENGTH], sleutel_hash=digest(key)
    )
    return key


def api_url(initiatief, deel):
    return f"/api/v1/acties/{initiatief.pk}/{deel}/"


def api_post(
    path, data=None, *, key=None, versie=None, raw=None, headers=None, client=None, **environ
):
    """POST JSON to the API as a system would: no session, a key, ``If-Match``."""
    client = client or Client(enforce_csrf_checks=True)
    extra = dict(headers or {})
    if key is not None:
        extra["Authorization"] = f"Token {key}"
    if versie is not None:
        extra["If-Match"] = f'"{versie}"'
    body = raw if raw is not None else json.dumps(data if data is not None else {})
    return client.post(path, body, content_type="application/json", headers=extra, **environ)


def assert_problem(response, status, field=None):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    if field is not None:
        assert field in body["errors"], body
    return body
