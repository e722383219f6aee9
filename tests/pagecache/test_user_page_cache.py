"""A signed-in user's own pages (``cache_user_page``): a reload is served from the cache for
that user alone; another user, another language, another day, a change, a waiting message, an
undeclared or overlong query parameter, a refusal: each is rendered afresh, never served from
someone else's copy."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from cycle import services
from cycle.models import Fase
from people.models import Rol
from tests.people.factories import user_with_role

KEY = "X-Gebruikerscache"


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def _url(cyclus):
    return cyclus.wijkanalyse.get_absolute_url()


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_kept_for_one_user_only(cyclus, werkgebied, wijkmanager):
    chef = _signed_in(wijkmanager)
    assert chef.get(_url(cyclus))[KEY] == "miss"
    assert chef.get(_url(cyclus))[KEY] == "hit"
    # A wijkraadslid of the same werkgebied reads the same concept without the edit link: their
    # first visit is rendered for them, never the wijkmanager's copy.
    lid = _signed_in(user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied))
    response = lid.get(_url(cyclus))
    assert response[KEY] == "miss"
    assert ">Bewerken<" not in response.content.decode()
    assert ">Bewerken<" in chef.get(_url(cyclus)).content.decode()


@pytest.mark.django_db
def test_a_change_shows_at_once(cyclus, wijkmanager):
    chef = _signed_in(wijkmanager)
    chef.get(_url(cyclus))
    services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={"wijkbeschrijving": "Een wijk vol jonge gezinnen", "conclusies": ""},
    )
    response = chef.get(_url(cyclus))
    assert response[KEY] == "miss"
    assert "Een wijk vol jonge gezinnen" in response.content.decode()


@pytest.mark.django_db
def test_the_kept_page_carries_this_sessions_token(cyclus, wijkmanager):
    chef = Client(enforce_csrf_checks=True)
    chef.force_login(wijkmanager)
    first = chef.get(_url(cyclus)).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)
    assert tokens
    # A new sign-in rotates the CSRF secret; the kept page gets the new session's token.
    chef.logout()
    chef.force_login(wijkmanager)
    hit = chef.get(_url(cyclus))
    html = hit.content.decode()
    kept = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(kept) == len(tokens)
    assert "csrf-" not in html
    response = chef.post(
        f"{_url(cyclus)}opmerkingen/",
        {"csrfmiddlewaretoken": kept[0], "tekst": "Graag de cijfers van 2026 erbij."},
    )
    assert response.status_code == 302
    assert "Graag de cijfers van 2026 erbij." in chef.get(_url(cyclus)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, kept",
    [
        ("", True),
        ("?pagina=2", True),
        ("?pagina=2&x=1", False),
        ("?utm_source=nieuwsbrief", False),
        ("?pagina=" + "9" * 50, False),
        ("?pagina=1&pagina=2", False),
    ],
)
def test_only_declared_short_query_parameters_are_kept(cyclus, wijkmanager, query, kept):
    chef = _signed_in(wijkmanager)
    first = chef.get(_url(cyclus) + query)
    second = chef.get(_url(cyclus) + query)
    assert first.status_code == second.status_code == 200
    if kept:
        assert (first[KEY], second[KEY]) == ("miss", "hit")
    else:
        assert KEY not in first and KEY not in second


@pytest.mark.django_db
def test_a_waiting_message_is_shown_not_kept(cyclus, wijkmanager):
    chef = _signed_in(wijkmanager)
    kept = chef.get(_url(cyclus)).content.decode()
    # An empty comment: refused with a message, shown on the page it returns to.
    response = chef.post(f"{_url(cyclus)}opmerkingen/", {"tekst": ""})
    assert response.status_code == 302
    response = chef.get(_url(cyclus))
    assert KEY not in response
    html = response.content.decode()
    assert 'class="alert' in html and html != kept
    # Shown once: the next visit has no message, and is kept again.
    again = chef.get(_url(cyclus))
    assert again[KEY] == "hit"
    assert again.content.decode().count('class="alert') < html.count('class="alert')


@pytest.mark.django_db
def test_a_refusal_is_never_kept(cyclus, ander_werkgebied):
    # A wijkmanager of another werkgebied may not read this concept: refused every time.
    buiten = _signed_in(user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied))
    for _ in range(2):
        response = buiten.get(_url(cyclus))
        assert response.status_code == 403
        assert KEY not in response


@pytest.mark.django_db
def test_a_role_that_ends_today_is_gone_tomorrow(cyclus, werkgebied, monkeypatch):
    vandaag = timezone.localdate()
    gebruiker = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    gebruiker.rollen.update(geldig_tot=vandaag)
    chef = _signed_in(gebruiker)
    assert ">Bewerken<" in chef.get(_url(cyclus)).content.decode()
    assert chef.get(_url(cyclus))[KEY] == "hit"
    morgen = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: morgen)
    response = chef.get(_url(cyclus))
    assert ">Bewerken<" not in response.content.decode()


@pytest.mark.django_db
def test_each_language_has_its_own_copy(cyclus, wijkmanager):
    chef = _signed_in(wijkmanager)
    assert '<html lang="nl">' in chef.get(_url(cyclus)).content.decode()
    chef.cookies["django_language"] = "en"
    english = chef.get(_url(cyclus))
    assert english[KEY] == "miss"
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
def test_the_unread_count_in_the_header_is_never_stale(cyclus, wijkmanager):
    """Reading notifications changes the count on the user row without a state change."""
    from people.models import User

    chef = _signed_in(wijkmanager)
    chef.get(_url(cyclus))
    User.objects.filter(pk=wijkmanager.pk).update(ongelezen=3)
    response = chef.get(_url(cyclus))
    assert response[KEY] == "miss"
    assert '3<span class="visually-hidden"> ongelezen</span>' in response.content.decode()
    User.objects.filter(pk=wijkmanager.pk).update(ongelezen=0)
    assert 'visually-hidden"> ongelezen' not in chef.get(_url(cyclus)).content.decode()
