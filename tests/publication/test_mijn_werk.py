"""The council member's "Mijn werk": the wijkverslagen published since their previous
sign-in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from people.models import Rol, User
from publication.models import Publicatie
from tests.people.factories import user_with_role
from tests.publication.test_archief import versie

PASSWORD = "geheim-wachtwoord"  # the factories' password


def sign_in(user) -> Client:
    client = Client()
    response = client.post("/inloggen/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def mijn_werk(client) -> str:
    return client.get("/mijn-werk/").content.decode()


@pytest.mark.django_db
def test_signing_in_keeps_the_previous_sign_in():
    user = user_with_role(Rol.RAAD)
    assert (user.last_login, user.vorige_login) == (None, None)
    sign_in(user)
    eerste = User.objects.get(pk=user.pk)
    assert eerste.vorige_login is None and eerste.last_login is not None
    sign_in(user)
    tweede = User.objects.get(pk=user.pk)
    assert tweede.vorige_login == eerste.last_login
    assert tweede.last_login > eerste.last_login


@pytest.mark.django_db
def test_the_council_sees_the_wijkverslagen_published_since_its_previous_visit(werkgebied):
    raad = user_with_role(Rol.RAAD)
    oud = versie(werkgebied, jaar=2024, soort="wijkverslag", titel="Verslag van lang geleden")
    Publicatie.objects.filter(pk=oud.pk).update(
        gepubliceerd_op=timezone.now() - timedelta(days=200)
    )
    versie(werkgebied, jaar=2025, soort="wijkverslag", titel="Verslag van kort geleden")
    versie(werkgebied, jaar=2025, soort="wijkagenda", titel="Geen verslag")

    # The first time: the last three months.
    html = mijn_werk(sign_in(raad))
    assert "Wijkverslagen van de afgelopen drie maanden" in html
    assert "Verslag van kort geleden" in html
    assert "Verslag van lang geleden" not in html and "Geen verslag" not in html

    # Next time: only what came after the previous sign-in (the memoised page follows).
    versie(werkgebied, jaar=2026, soort="wijkverslag", titel="Verslag na het vorige bezoek")
    html = mijn_werk(sign_in(raad))
    assert "Nieuwe wijkverslagen sinds uw vorige bezoek" in html
    assert "Verslag na het vorige bezoek" in html
    assert "Verslag van kort geleden" not in html
    assert "/publicaties/" in html and "wijkverslagen/" in html


@pytest.mark.django_db
@pytest.mark.parametrize("rol", [Rol.WIJKMANAGER, Rol.WIJKRAADSLID, Rol.BEHEERDER])
def test_other_roles_do_not_get_the_council_section(rol, werkgebied):
    scope = {} if rol == Rol.BEHEERDER else {"werkgebied": werkgebied}
    user = user_with_role(rol, **scope)
    versie(werkgebied, jaar=2025, soort="wijkverslag", titel="Verslag van kort geleden")
    assert "Verslag van kort geleden" not in mijn_werk(sign_in(user))


@pytest.mark.django_db
def test_the_section_costs_the_same_queries_for_many_wijkverslagen(
    werkgebied, django_assert_max_num_queries
):
    from django.core.cache import cache

    raad = user_with_role(Rol.RAAD)
    client = sign_in(raad)
    versie(werkgebied, jaar=2025, soort="wijkverslag")
    cache.clear()
    with django_assert_max_num_queries(12) as few:
        mijn_werk(client)
    for jaar in range(2000, 2030):
        versie(werkgebied, jaar=jaar, soort="wijkverslag")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = mijn_werk(client)
    assert "En meer: zie het archief." in html
