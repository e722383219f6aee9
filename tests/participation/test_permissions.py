"""The permission matrix of meldingen: every role × every permission × every status, for a
melding in a werkgebied and for one in a wijk without a werkgebied (only beheerders, fail
closed); and the state machine's own permission checks must give the same answers."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participation.models import Melding, Meldingstatus
from people.models import Rol
from tests.people.factories import ClusterFactory, UserFactory, user_with_role
from tests.places.factories import WerkgebiedFactory, WijkFactory

from .factories import MeldingFactory, fresh

PERMS = [
    "participation.triage_melding",
    "participation.answer_melding",
    "participation.view_melding",
]
STATUSES = list(Meldingstatus.values)

TRIAGERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
# The accounthouder of the cluster the melding was forwarded to, in the melding's gebied.
CLUSTER = {"accounthouder"}


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


# role name → how to make that user, given (werkgebied, ander_werkgebied, stadsbeheer).
ROLES = {
    "anoniem": lambda wg, ander, cl: AnonymousUser(),
    "geen rol": lambda wg, ander, cl: UserFactory(),
    "bewoner": lambda wg, ander, cl: user_with_role(Rol.BEWONER, werkgebied=wg),
    "wijkmanager": lambda wg, ander, cl: user_with_role(Rol.WIJKMANAGER, werkgebied=wg),
    "wijkmanager via gebied": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER, gebied=wg.gebied
    ),
    "wijkmanager ander werkgebied": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER, werkgebied=ander
    ),
    "wijkmanager ander gebied": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER, gebied=ander.gebied
    ),
    # A werkgebied next door, in the same gebied: a werkgebied scope is not a gebied scope.
    "wijkmanager buurwerkgebied": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER, werkgebied=WerkgebiedFactory(gebied=wg.gebied)
    ),
    "wijkmanager verlopen": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=wg,
        geldig_vanaf=_yesterday() - datetime.timedelta(days=30),
        geldig_tot=_yesterday(),
    ),
    "wijkmanager toekomstig": lambda wg, ander, cl: user_with_role(
        Rol.WIJKMANAGER, werkgebied=wg, geldig_vanaf=_tomorrow()
    ),
    "wijkraadslid": lambda wg, ander, cl: user_with_role(Rol.WIJKRAADSLID, werkgebied=wg),
    "accounthouder": lambda wg, ander, cl: user_with_role(
        Rol.ACCOUNTHOUDER, cluster=cl, gebied=wg.gebied
    ),
    "accounthouder ander cluster": lambda wg, ander, cl: user_with_role(
        Rol.ACCOUNTHOUDER,
        cluster=ClusterFactory(naam="Veiligheid", slug="veiligheid"),
        gebied=wg.gebied,
    ),
    "accounthouder ander gebied": lambda wg, ander, cl: user_with_role(
        Rol.ACCOUNTHOUDER, cluster=cl, gebied=ander.gebied
    ),
    "accounthouder verlopen": lambda wg, ander, cl: user_with_role(
        Rol.ACCOUNTHOUDER,
        cluster=cl,
        gebied=wg.gebied,
        geldig_vanaf=_yesterday() - datetime.timedelta(days=30),
        geldig_tot=_yesterday(),
    ),
    "raad": lambda wg, ander, cl: user_with_role(Rol.RAAD),
    "beheerder": lambda wg, ander, cl: user_with_role(Rol.BEHEERDER),
    "beheerder inactief": lambda wg, ander, cl: _inactive(user_with_role(Rol.BEHEERDER)),
}


def _inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return type(user).objects.get(pk=user.pk)


def expected(role: str, perm: str, status: str, *, in_werkgebied: bool = True) -> bool:
    if role == "beheerder":
        return True
    if not in_werkgebied:
        return False
    if role in TRIAGERS:
        return True
    return (
        role in CLUSTER
        and perm != "participation.triage_melding"
        and status == Meldingstatus.DOORGEZET
    )


@pytest.fixture
def make_user(werkgebied, ander_werkgebied, stadsbeheer):
    def make(role):
        user = ROLES[role](werkgebied, ander_werkgebied, stadsbeheer)
        # As a request loads it: no role assignments cached from before.
        return user if user.pk is None else type(user).objects.get(pk=user.pk)

    return make


@pytest.fixture
def wijk_zonder_werkgebied(werkgebied):
    """CS-kwartier: a wijk without a wijkraad, in the same gebied as the werkgebied."""
    return WijkFactory(
        naam="CS-kwartier", slug="cs-kwartier", werkgebied=None, gebied=werkgebied.gebied
    )


def _melding(wijk, status, cluster) -> Melding:
    """A melding as a page loads it. The cluster is set in every status, so that only the
    status decides what its accounthouders may do."""
    melding = MeldingFactory(wijk=wijk, status=status, cluster=cluster)
    return Melding.objects.get(pk=melding.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("perm", PERMS)
@pytest.mark.parametrize("role", list(ROLES))
def test_permission_matrix(make_user, werkgebied, stadsbeheer, role, perm, status):
    melding = _melding(werkgebied.wijken.get(), status, stadsbeheer)
    user = make_user(role)
    assert melding.werkgebied == werkgebied
    assert user.has_perm(perm, melding) is expected(role, perm, status)


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", list(ROLES))
def test_melding_without_werkgebied_only_beheerders(
    make_user, wijk_zonder_werkgebied, stadsbeheer, role, status
):
    melding = _melding(wijk_zonder_werkgebied, status, stadsbeheer)
    assert melding.werkgebied is None
    user = make_user(role)
    got = {perm: user.has_perm(perm, melding) for perm in PERMS}
    assert got == {perm: expected(role, perm, status, in_werkgebied=False) for perm in PERMS}


# ------------------------------------------------ the state machine asks the same rules

TRIAGE_SOURCES = {
    # Back from a cluster that says it is not theirs, or on to another one.
    "in_behandeling_nemen": {Meldingstatus.NIEUW, Meldingstatus.DOORGEZET},
    "doorzetten": {Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET},
    "opnemen": {Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET},
    "afhandelen": {Meldingstatus.NIEUW, Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET},
    "niet_in_behandeling_nemen": {
        Meldingstatus.NIEUW,
        Meldingstatus.IN_BEHANDELING,
        Meldingstatus.DOORGEZET,
    },
}
# Which permission each transition asks.
TRANSITION_PERM = {
    "in_behandeling_nemen": "participation.triage_melding",
    "doorzetten": "participation.triage_melding",
    "opnemen": "participation.triage_melding",
    "afhandelen": "participation.answer_melding",
    "niet_in_behandeling_nemen": "participation.triage_melding",
}


def expected_transitions(role: str, status: str, *, in_werkgebied: bool = True) -> set[str]:
    names = {
        name
        for name, sources in TRIAGE_SOURCES.items()
        if status in sources
        and expected(role, TRANSITION_PERM[name], status, in_werkgebied=in_werkgebied)
    }
    if status == Meldingstatus.AFGEHANDELD:
        # The reporter holds no account: the service checks the code and the two weeks.
        names.add("heropenen")
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("in_werkgebied", [True, False], ids=["werkgebied", "zonder"])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", list(ROLES))
def test_transition_permissions_agree_with_rules(
    make_user, werkgebied, wijk_zonder_werkgebied, stadsbeheer, role, status, in_werkgebied
):
    wijk = werkgebied.wijken.get() if in_werkgebied else wijk_zonder_werkgebied
    melding = _melding(wijk, status, stadsbeheer)
    user = make_user(role)
    available = {t.name for t in melding.get_available_user_status_transitions(user)}
    assert available == expected_transitions(role, status, in_werkgebied=in_werkgebied)
    # And each transition's own check, as the service asks it.
    for name in TRIAGE_SOURCES:
        meta = getattr(melding, name)._django_fsm
        for source in TRIAGE_SOURCES[name]:
            probe = Melding(
                wijk=wijk, werkgebied=wijk.werkgebied, status=source, cluster=stadsbeheer
            )
            assert meta.has_transition_perm(probe, source, user) is expected(
                role, TRANSITION_PERM[name], source, in_werkgebied=in_werkgebied
            ), (name, source)


@pytest.mark.django_db
def test_accounthouder_of_a_melding_forwarded_to_a_partner_gets_nothing(
    make_user, werkgebied, stadsbeheer
):
    from people.models import Partner

    partner = Partner.objects.create(naam="Partner in de test", slug="partner-in-de-test")
    melding = MeldingFactory(
        wijk=werkgebied.wijken.get(), status=Meldingstatus.DOORGEZET, partner=partner
    )
    user = make_user("accounthouder")
    assert [p for p in PERMS if user.has_perm(p, fresh(melding))] == []


@pytest.mark.django_db
def test_the_melding_keeps_the_werkgebied_it_came_in_with(make_user, werkgebied, ander_werkgebied):
    """Its scope is the werkgebied copied when it came in: if the wijk later moves to
    another werkgebied, the wijkmanagers of the new one do not get the old meldingen."""
    wijk = werkgebied.wijken.get()
    melding = MeldingFactory(wijk=wijk)
    wijk.werkgebied = ander_werkgebied
    wijk.save()
    nieuw = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    oud = make_user("wijkmanager")
    assert not nieuw.has_perm("participation.triage_melding", fresh(melding))
    assert oud.has_perm("participation.triage_melding", fresh(melding))


@pytest.mark.django_db
def test_themes_are_for_beheerders(make_user):
    for role in ROLES:
        user = make_user(role)
        for perm in ["participation.view_thema", "participation.change_thema"]:
            assert user.has_perm(perm) is (role == "beheerder"), (role, perm)
