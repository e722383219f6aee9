"""The permission matrix, exhaustive and declarative.

Every object permission of the werkcyclus is asked for every role, in scope and out of scope,
with a valid and an expired assignment, for every product kind in every status (and for the
cycle in and out of ``afgerond``), under the default task division and under Rotterdam's
(wijkraad writes the report, the college adopts). The answers are compared with ONE table,
written out below: who holds what, and how the status of the object changes it. Any cell that
differs is listed, so a failure shows exactly which role got what it should not."""

import datetime
from itertools import product as cartesian

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cycle.models import (
    PRODUCT_MODELLEN,
    Fase,
    Opsteller,
    Productstatus,
    Taakverdeling,
    Vaststelling,
    Werkcyclus,
)
from people.models import Rol
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

# ------------------------------------------------------------------ the expectation table

RUNNERS = {"wijkmanager", "wijkmanager_gebied", "beheerder"}
INVOLVED = RUNNERS | {"wijkraadslid", "accounthouder"}
EVERYONE = {
    "anoniem",
    "geen_rol",
    "bewoner",
    "wijkmanager",
    "wijkmanager_gebied",
    "accounthouder",
    "wijkraadslid",
    "raad",
    "beheerder",
}
EDITABLE = {Productstatus.CONCEPT, Productstatus.CONSULTATIE}
PUBLIC = {Productstatus.CONSULTATIE, Productstatus.GEPUBLICEERD}
# Who answers the checklist of a wijkanalyse: residents and the professionals of the werkgebied
# (a beheerder is neither).
RESPONDENTS = {"bewoner", "wijkmanager", "wijkmanager_gebied", "accounthouder", "wijkraadslid"}
# Published at least once: a product in these states has public versions, so its page is open
# to everyone (showing the versions, not a correction in progress).
PUBLISHED_BEFORE = {Productstatus.GEPUBLICEERD, Productstatus.CORRECTIE}


def drafters(soort: str, rotterdam: bool) -> set[str]:
    if soort == "wijkverslag" and rotterdam:
        return {"wijkraadslid", "beheerder"}
    return RUNNERS


def role_level(rotterdam: bool) -> dict[str, set[str]]:
    """Permission → roles that hold it (valid, in scope), asked about the werkgebied."""
    table = {
        "cycle.add_werkcyclus": RUNNERS,
        "cycle.plan_werkcyclus": RUNNERS,
        "cycle.advance_werkcyclus": RUNNERS,
        "cycle.publish_product": RUNNERS,
        "cycle.correct_product": RUNNERS,
        "cycle.adopt_this_product": RUNNERS,
        "cycle.adopt_product": set() if rotterdam else RUNNERS,
        "cycle.record_adoption": RUNNERS if rotterdam else set(),
        "cycle.view_concept": INVOLVED,
        "cycle.view_adopted": INVOLVED | {"raad"},
        "cycle.comment_concept": RUNNERS | {"wijkraadslid"},
        "cycle.fill_checklist": RESPONDENTS,
        "cycle.view_checklist_answers": RUNNERS,
        "cycle.answer_beleidssignalen": {"accounthouder"},
    }
    for model in PRODUCT_MODELLEN:
        table[f"cycle.draft_{model.SOORT}"] = drafters(model.SOORT, rotterdam)
    return table


def product_level(soort: str, status: str, rotterdam: bool, in_fase: bool) -> dict:
    """Permission → roles that hold it (valid, in scope) for a product of ``soort`` in
    ``status``, its cycle in the product's own phase (``in_fase``) or past it."""
    draft = drafters(soort, rotterdam)
    readers = (
        EVERYONE
        if status in PUBLIC
        else INVOLVED | ({"raad"} if status == Productstatus.VASTGESTELD else set())
    )
    # A correction is written whatever phase the cycle is in.
    editable = (status in EDITABLE and in_fase) or status == Productstatus.CORRECTIE
    # The checklist is open while the analysis is being written in its own phase.
    checklist_open = soort == "wijkanalyse" and in_fase and status in EDITABLE
    return {
        "cycle.edit_product": draft if editable else set(),
        "cycle.comment_product": RUNNERS | {"wijkraadslid"} if editable else set(),
        "cycle.answer_checklist": RESPONDENTS if checklist_open else set(),
        "cycle.consult_product": draft,
        "cycle.step_product": draft | RUNNERS,
        "cycle.view_product": readers,
        "cycle.view_product_page": EVERYONE if status in PUBLISHED_BEFORE else readers,
    }


def cycle_level(fase: str) -> dict:
    return {"cycle.change_planning": set() if fase == Fase.AFGEROND else RUNNERS}


# Out of scope or expired, a role is as good as none; only what is public stays readable.
CITY_WIDE = {"raad", "beheerder"}


def expected(roles: set[str], role: str, *, in_scope: bool, valid: bool, public: bool) -> bool:
    if public:
        return True
    if not valid:
        return False
    if not in_scope and role not in CITY_WIDE:
        return False
    return role in roles


# -------------------------------------------------------------------------- the people

SCOPED = ["bewoner", "wijkmanager", "wijkmanager_gebied", "accounthouder", "wijkraadslid"]


def make_user(role: str, werkgebied, *, valid: bool):
    if role == "anoniem":
        return AnonymousUser()
    if role == "geen_rol":
        return UserFactory()
    today = timezone.localdate()
    period = (
        {}
        if valid
        else {
            "geldig_vanaf": today - datetime.timedelta(days=30),
            "geldig_tot": today - datetime.timedelta(days=1),
        }
    )
    scope = {
        "bewoner": (Rol.BEWONER, {"werkgebied": werkgebied}),
        "wijkmanager": (Rol.WIJKMANAGER, {"werkgebied": werkgebied}),
        "wijkmanager_gebied": (Rol.WIJKMANAGER, {"gebied": werkgebied.gebied}),
        "accounthouder": (
            Rol.ACCOUNTHOUDER,
            {"gebied": werkgebied.gebied, "cluster": ClusterFactory(slug="stadsbeheer")},
        ),
        "wijkraadslid": (Rol.WIJKRAADSLID, {"werkgebied": werkgebied}),
        "raad": (Rol.RAAD, {}),
        "beheerder": (Rol.BEHEERDER, {}),
    }
    rol, kwargs = scope[role]
    return user_with_role(rol, **kwargs, **period)


@pytest.fixture
def people(werkgebied, ander_werkgebied):
    """(role, in scope, valid) → user. Out of scope means: assigned to another werkgebied in
    another gebied (city-wide roles have no scope and are the same either way)."""
    result = {}
    for role in sorted(EVERYONE):
        for in_scope, valid in cartesian([True, False], [True, False]):
            where = werkgebied if in_scope or role not in SCOPED else ander_werkgebied
            result[role, in_scope, valid] = make_user(role, where, valid=valid)
    return result


def _check(people, obj, table: dict, *, public_perms=()) -> list[str]:
    wrong = []
    for (role, in_scope, valid), user in people.items():
        for perm, roles in table.items():
            public = perm in public_perms
            want = expected(roles, role, in_scope=in_scope, valid=valid, public=public)
            got = user.has_perm(perm, obj)
            if got != want:
                wrong.append(
                    f"{perm} {role} {'in' if in_scope else 'out of'} scope "
                    f"{'valid' if valid else 'expired'} on {obj!r}: got {got}, want {want}"
                )
    return wrong


@pytest.fixture(params=["standaard", "rotterdam"])
def rotterdam(request, werkgebied):
    if request.param == "rotterdam":
        Taakverdeling.objects.create(
            werkgebied=werkgebied,
            wijkverslag_opsteller=Opsteller.WIJKRAAD,
            vaststelling=Vaststelling.COLLEGE,
        )
    return request.param == "rotterdam"


def fresh(werkgebied):
    """The werkgebied as a page loads it (the task division is read from it)."""
    return type(werkgebied).objects.get(pk=werkgebied.pk)


# ---------------------------------------------------------------------------- the tests


@pytest.mark.django_db
def test_role_level_permissions(people, werkgebied, rotterdam):
    wrong = _check(people, fresh(werkgebied), role_level(rotterdam))
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("fase", [*Fase.values])
def test_cycle_permissions_per_phase(people, werkgebied, rotterdam, fase):
    cyclus = Werkcyclus(werkgebied=fresh(werkgebied), jaar=2027, fase=fase)
    table = {**role_level(rotterdam), **cycle_level(fase)}
    wrong = _check(people, cyclus, table)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PRODUCT_MODELLEN, ids=lambda m: m.SOORT)
@pytest.mark.parametrize("status", Productstatus.values)
def test_product_permissions_per_kind_and_status(people, werkgebied, rotterdam, model, status):
    own_phase = model.WERKFASEN[0]
    later = {Fase.ANALYSE: Fase.AGENDA, Fase.AGENDA: Fase.PROGRAMMA}.get(own_phase, Fase.AFGEROND)
    wrong = []
    for fase, in_fase in [(own_phase, True), (later, False)]:
        cyclus = Werkcyclus(werkgebied=fresh(werkgebied), jaar=2027, fase=fase)
        gepubliceerd_op = timezone.now() if status in PUBLISHED_BEFORE else None
        obj = model(cyclus=cyclus, titel="Stuk", status=status, gepubliceerd_op=gepubliceerd_op)
        table = product_level(model.SOORT, status, rotterdam, in_fase)
        public = {"cycle.view_product", "cycle.view_product_page"} if status in PUBLIC else set()
        if status in PUBLISHED_BEFORE:
            public.add("cycle.view_product_page")
        wrong += _check(people, obj, table, public_perms=public)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_inactive_users_hold_nothing(werkgebied):
    for role in ["wijkmanager", "beheerder", "raad", "wijkraadslid"]:
        user = make_user(role, werkgebied, valid=True)
        user.is_active = False
        user.save()
        user = type(user).objects.get(pk=user.pk)
        for perm in role_level(False):
            assert not user.has_perm(perm, fresh(werkgebied)), (role, perm)


@pytest.mark.django_db
def test_beleidssignaal_is_answered_by_its_own_cluster_only(people, werkgebied, rotterdam):
    """An accounthouder answers for their own cluster, in their own gebied; a signal to a
    partner is answered on its behalf by whoever runs the cycle."""
    from cycle.models import Beleidssignaal, Wijkagenda
    from people.models import Partner

    cyclus = Werkcyclus(werkgebied=fresh(werkgebied), jaar=2027, fase=Fase.AGENDA)
    agenda = Wijkagenda(cyclus=cyclus, titel="Agenda")
    eigen = ClusterFactory(slug="stadsbeheer")
    ander = ClusterFactory(slug="maatschappelijke-ontwikkeling")
    wrong = []
    for signaal, roles in [
        (Beleidssignaal(wijkagenda=agenda, titel="S", cluster=eigen), {"accounthouder"}),
        (Beleidssignaal(wijkagenda=agenda, titel="S", cluster=ander), set()),
        (
            Beleidssignaal(
                wijkagenda=agenda,
                titel="S",
                partner=Partner.objects.create(naam="Woonstad", slug="woonstad"),
            ),
            RUNNERS,
        ),
    ]:
        wrong += _check(people, signaal, {"cycle.answer_beleidssignaal": roles})
    assert wrong == [], "\n".join(wrong)
