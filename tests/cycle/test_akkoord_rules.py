"""Who may read, draft, advise on and adopt a wijkakkoord: every role of the ``roles`` fixture
(in and out of its werkgebied or gebied) against every permission, in every status."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cycle.models import Akkoordstatus, Wijkakkoord

RUNS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
INVOLVED = RUNS | {"wijkraadslid", "accounthouder"}
ALLEN = {
    "anoniem",
    "bewoner (geen rol)",
    "bewoner",
    "wijkmanager",
    "wijkmanager via gebied",
    "wijkmanager ander werkgebied",
    "wijkmanager ander gebied",
    "accounthouder",
    "accounthouder ander gebied",
    "wijkraadslid",
    "wijkraadslid ander werkgebied",
    "raad",
    "beheerder",
}


def expected(status) -> dict[str, set[str]]:
    return {
        "cycle.view_wijkakkoord": ALLEN if status == Akkoordstatus.GEPUBLICEERD else INVOLVED,
        "cycle.draft_wijkakkoord": RUNS,
        "cycle.adopt_wijkakkoord": RUNS,
        "cycle.advise_wijkakkoord": {"wijkraadslid"},
        "cycle.edit_wijkakkoord": RUNS if status == Akkoordstatus.CONCEPT else set(),
        "cycle.give_advies_wijkakkoord": (
            {"wijkraadslid"} if status == Akkoordstatus.ADVIES else set()
        ),
    }


@pytest.mark.parametrize("status", Akkoordstatus.values)
def test_the_role_scope_status_matrix(roles, werkgebied, status):
    akkoord = Wijkakkoord(werkgebied=werkgebied, startjaar=2026, eindjaar=2029, status=status)
    assert set(roles) == ALLEN
    wrong = []
    for naam, (user, _runs) in roles.items():
        user = user or AnonymousUser()
        for perm, wie in expected(status).items():
            got, want = user.has_perm(perm, akkoord), naam in wie
            if got != want:
                wrong.append(f"{perm} {naam} ({status}): got {got}, want {want}")
    assert not wrong, "\n".join(wrong)


def test_starting_one_is_asked_of_the_werkgebied(roles, werkgebied):
    for naam, (user, _runs) in roles.items():
        user = user or AnonymousUser()
        assert user.has_perm("cycle.draft_wijkakkoord", werkgebied) == (naam in RUNS), naam
