"""Who may answer for, report on and flag blockers of an initiative: the role × scope ×
state matrix of the programme's and the execution year's permissions.

Every role of the ``roles`` fixture (in and out of its werkgebied or gebied), the same roles
with an expired assignment, an accounthouder of another cluster, and a trekker with an account
but no role, is asked every permission, for initiatives of each kind of owner, in every state
that changes the answer. The answers are compared with the table below; a failure lists every
cell that differs."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cycle.models import (
    Fase,
    Initiatief,
    Knelpunt,
    Productstatus,
    Toezegging,
    Werkcyclus,
    Wijkprogramma,
)
from people.models import Partner, Rol
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

RUNS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
ACCOUNTHOUDERS = {"accounthouder", "accounthouder ander cluster"}
INVOLVED = RUNS | ACCOUNTHOUDERS | {"wijkraadslid"}


@pytest.fixture
def people(roles, werkgebied):
    """Name → user: the ``roles`` fixture, expired copies of its scoped roles, an accounthouder
    of another cluster in the same gebied, and trekkers without a role."""
    today = timezone.localdate()
    verlopen = {
        "geldig_vanaf": today - datetime.timedelta(days=60),
        "geldig_tot": today - datetime.timedelta(days=1),
    }
    stadsbeheer = ClusterFactory(slug="stadsbeheer")
    result = {naam: user or AnonymousUser() for naam, (user, _runs) in roles.items()}
    result.update(
        {
            "accounthouder ander cluster": user_with_role(
                Rol.ACCOUNTHOUDER,
                cluster=ClusterFactory(slug="veiligheid"),
                gebied=werkgebied.gebied,
            ),
            "wijkmanager verlopen": user_with_role(
                Rol.WIJKMANAGER, werkgebied=werkgebied, **verlopen
            ),
            "wijkmanager gebied verlopen": user_with_role(
                Rol.WIJKMANAGER, gebied=werkgebied.gebied, **verlopen
            ),
            "accounthouder verlopen": user_with_role(
                Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied, **verlopen
            ),
            "wijkraadslid verlopen": user_with_role(
                Rol.WIJKRAADSLID, werkgebied=werkgebied, **verlopen
            ),
            "beheerder verlopen": user_with_role(Rol.BEHEERDER, **verlopen),
            "trekker": UserFactory(),
            "trekker van een ander": UserFactory(),
        }
    )
    inactief = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    inactief.is_active = False
    inactief.save()
    result["wijkmanager inactief"] = inactief
    return result


def initiatief(werkgebied, people, *, eigenaar, fase, status=Productstatus.CONCEPT, toezegging):
    """An initiative (not saved: the rules read only its fields) of ``eigenaar`` in a
    programme of ``status`` whose cycle is in ``fase``; its trekker has an account."""
    cyclus = Werkcyclus(
        werkgebied=type(werkgebied).objects.get(pk=werkgebied.pk), jaar=2027, fase=fase
    )
    programma = Wijkprogramma(cyclus=cyclus, titel="Wijkprogramma", status=status)
    owner = {
        "stadsbeheer": {"cluster": ClusterFactory(slug="stadsbeheer")},
        "veiligheid": {"cluster": ClusterFactory(slug="veiligheid")},
        "partner": {
            "partner": Partner.objects.get_or_create(
                slug="woonstad-rotterdam", defaults={"naam": "Woonstad"}
            )[0]
        },
        "bewonersgroep": {"bewonersgroep": "Bewonersgroep Schone Straten"},
    }[eigenaar]
    return Initiatief(
        wijkprogramma=programma,
        titel="Schoonmaakacties",
        toezegging=toezegging,
        trekker=people["trekker"],
        trekker_naam="Tim Trekker",
        **owner,
    )


def owner_voice(eigenaar: str) -> set[str]:
    """Who speaks for the owner: the accounthouder of its own cluster in the gebied; for a
    partner or a residents' group whoever runs the cycle."""
    return {
        "stadsbeheer": {"accounthouder"},
        "veiligheid": {"accounthouder ander cluster"},
        "partner": RUNS,
        "bewonersgroep": RUNS,
    }[eigenaar]


def expected(eigenaar, fase, status, toezegging) -> dict[str, set[str]]:
    # Being drafted: in its own phase, or reopened for a correction (then a new initiative
    # needs its owner's answer before the programme is adopted again).
    drafting = (
        fase == Fase.PROGRAMMA and status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE)
    ) or status == Productstatus.CORRECTIE
    executing = fase == Fase.UITVOERING and toezegging == Toezegging.TOEGEZEGD
    return {
        "cycle.commit_initiatief": owner_voice(eigenaar) if drafting else set(),
        "cycle.report_initiatief": (
            owner_voice(eigenaar) | RUNS | {"trekker"} if executing else set()
        ),
        "cycle.raise_knelpunt": INVOLVED | {"trekker"} if executing else set(),
        # Not public, whatever the phase: those involved in the werkgebied, and its trekker.
        "cycle.view_knelpunten": INVOLVED | {"trekker"},
    }


def differences(people, obj, table) -> list[str]:
    wrong = []
    for naam, user in people.items():
        for perm, wie in table.items():
            got, want = user.has_perm(perm, obj), naam in wie
            if got != want:
                wrong.append(f"{perm} {naam} on {obj!r} ({_state(obj)}): got {got}, want {want}")
    return wrong


def _state(obj):
    initiatief = getattr(obj, "initiatief", obj)
    programma = initiatief.wijkprogramma
    return (
        f"{initiatief.eigenaar}, {programma.cyclus.fase}, {programma.status}, "
        f"{initiatief.toezegging}"
    )


# The states that change an answer: the programme drafted, in consultation or adopted in its
# phase; the execution year with the initiative committed or not (a programme reopened for a
# correction may hold one that waits); before and after it.
STATES = [
    (Fase.AGENDA, Productstatus.CONCEPT, Toezegging.GEVRAAGD),
    (Fase.PROGRAMMA, Productstatus.CONCEPT, Toezegging.GEVRAAGD),
    (Fase.PROGRAMMA, Productstatus.CONCEPT, Toezegging.TOEGEZEGD),
    (Fase.PROGRAMMA, Productstatus.CONSULTATIE, Toezegging.AFGEWEZEN),
    (Fase.PROGRAMMA, Productstatus.VASTGESTELD, Toezegging.TOEGEZEGD),
    (Fase.UITVOERING, Productstatus.GEPUBLICEERD, Toezegging.TOEGEZEGD),
    (Fase.UITVOERING, Productstatus.VASTGESTELD, Toezegging.TOEGEZEGD),
    (Fase.UITVOERING, Productstatus.CORRECTIE, Toezegging.GEVRAAGD),
    (Fase.VERANTWOORDING, Productstatus.GEPUBLICEERD, Toezegging.TOEGEZEGD),
    (Fase.AFGEROND, Productstatus.GEPUBLICEERD, Toezegging.TOEGEZEGD),
]


@pytest.mark.django_db
@pytest.mark.parametrize("eigenaar", ["stadsbeheer", "veiligheid", "partner", "bewonersgroep"])
def test_initiative_permissions_per_owner_and_state(people, werkgebied, eigenaar):
    wrong = []
    for fase, status, toezegging in STATES:
        obj = initiatief(
            werkgebied, people, eigenaar=eigenaar, fase=fase, status=status, toezegging=toezegging
        )
        wrong += differences(people, obj, expected(eigenaar, fase, status, toezegging))
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("fase", [*Fase.values])
def test_knelpunten_are_resolved_by_who_runs_the_cycle_while_it_executes_or_accounts(
    people, werkgebied, fase
):
    obj = Knelpunt(
        initiatief=initiatief(
            werkgebied,
            people,
            eigenaar="stadsbeheer",
            fase=fase,
            status=Productstatus.GEPUBLICEERD,
            toezegging=Toezegging.TOEGEZEGD,
        ),
        beschrijving="De vergunning wacht.",
    )
    open_ = fase in (Fase.UITVOERING, Fase.VERANTWOORDING)
    wrong = differences(
        people,
        obj,
        {"cycle.resolve_knelpunt": RUNS if open_ else set(), "cycle.view_knelpunten": INVOLVED},
    )
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_the_described_permissions_on_the_roles_page(people, werkgebied):
    """What the roles page of the werkgebied says each role may do (asked of the werkgebied,
    as that page asks it)."""
    table = {
        "cycle.commit_initiatieven": ACCOUNTHOUDERS,
        "cycle.report_initiatieven": RUNS | ACCOUNTHOUDERS,
        "cycle.raise_knelpunten": INVOLVED,
        "cycle.resolve_knelpunten": RUNS,
    }
    wrong = differences(people, type(werkgebied).objects.get(pk=werkgebied.pk), table)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_an_initiative_without_a_werkgebied_grants_nothing(people):
    """Fail closed: an object whose werkgebied cannot be found (a cycle without one)."""
    programma = Wijkprogramma(cyclus=Werkcyclus(jaar=2027, fase=Fase.UITVOERING), titel="P")
    obj = Initiatief(
        wijkprogramma=programma,
        titel="I",
        cluster=ClusterFactory(slug="stadsbeheer"),
        toezegging=Toezegging.TOEGEZEGD,
    )
    for naam, user in people.items():
        if naam == "beheerder":
            continue  # a beheerder runs every cycle, wherever it is
        for perm in ("cycle.commit_initiatief", "cycle.report_initiatief", "cycle.view_knelpunten"):
            assert not user.has_perm(perm, obj), (naam, perm)
