"""The wijk-MT's meeting pages keep their content per user under the public version, and the
city's twelve-month view keeps its rendered table for all its readers per language: a reload
costs the user and the version, a change shows at once, nothing passes between users or
languages."""

import datetime

import pytest
from django.test import Client

from cycle import services_wijkmt
from people.models import Rol
from tests.people.factories import user_with_role


@pytest.mark.django_db
def test_meeting_list_and_meeting_keep_their_content_per_user(
    werkgebied, wijkmanager, django_assert_num_queries
):
    lijst = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/"
    eerste = services_wijkmt.overleg_toevoegen(
        werkgebied=werkgebied,
        user=wijkmanager,
        datum=datetime.date(2026, 3, 2),
        locatie="Wijkhuis",
        agenda="",
        notities="",
    )
    chef, lid = Client(), Client()
    chef.force_login(wijkmanager)
    lid.force_login(user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied))
    assert "Wijkhuis" in chef.get(lijst).content.decode()
    # The session's user, the public version: the whole page is kept for this user.
    with django_assert_num_queries(2):
        html = chef.get(lijst).content.decode()
    assert "Wijkhuis" in html and "Overleg vastleggen" in html
    services_wijkmt.overleg_toevoegen(
        werkgebied=werkgebied,
        user=wijkmanager,
        datum=datetime.date(2026, 4, 6),
        locatie="Buurthuis De Kolk",
        agenda="",
        notities="",
    )
    assert "Buurthuis De Kolk" in chef.get(lijst).content.decode()
    assert "Buurthuis De Kolk" in lid.get(lijst).content.decode()

    detail = f"{lijst}{eerste.pk}/"
    assert "Er zijn nog geen besluiten vastgelegd." in chef.get(detail).content.decode()
    services_wijkmt.besluit_toevoegen(
        overleg=eerste,
        user=wijkmanager,
        tekst="Extra veegronde op zaterdag",
        actiehouder=None,
        actiehouder_naam="",
        deadline=None,
        initiatief=None,
        knelpunt=None,
    )
    assert "Extra veegronde op zaterdag" in chef.get(detail).content.decode()


@pytest.mark.django_db
def test_the_city_view_is_kept_per_language():
    raad = user_with_role(Rol.RAAD)
    nl, en = Client(), Client()
    nl.force_login(raad)
    en.force_login(raad)
    en.get("/taal/en/")
    assert "Per werkgebied het aandeel" in nl.get("/twaalfmaandenrapport/2026/").content.decode()
    html = en.get("/twaalfmaandenrapport/2026/").content.decode()
    assert "Per werkgebied het aandeel" not in html
    assert "Per werkgebied het aandeel" in nl.get("/twaalfmaandenrapport/2026/").content.decode()


@pytest.mark.django_db
def test_an_overlong_page_number_never_puts_another_page_under_the_first_pages_key(
    werkgebied, wijkmanager
):
    from cycle.models import Overleg
    from pagecache.services import bump

    Overleg.objects.bulk_create(
        Overleg(werkgebied=werkgebied, datum=datetime.date(2020, 1, 1) + datetime.timedelta(i))
        for i in range(25)
    )
    bump()
    client = Client()
    client.force_login(wijkmanager)
    lijst = f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/"
    # Newest first: the first page starts with the last day, the second holds the first.
    assert client.get(lijst, {"pagina": "1234567"}).status_code == 200
    html = client.get(lijst).content.decode()
    assert ">25 januari 2020<" in html and ">1 januari 2020<" not in html
    assert ">1 januari 2020<" in client.get(lijst, {"pagina": "2"}).content.decode()


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [("", ""), ("3", "3"), ("12345", "12345"), ("123456", ""), ("²", ""), ("-1", ""), ("x", "")],
)
def test_pagina_param_keeps_only_short_ascii_numbers(rf, waarde, verwacht):
    from pagecache.services import pagina_param

    assert pagina_param(rf.get("/", {"pagina": waarde})) == verwacht
