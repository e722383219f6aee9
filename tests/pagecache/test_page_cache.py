"""The public page cache never serves anything stale or personal: a state change shows at
once, for anonymous and signed-in visitors; signed-in pages and pages with forms never come
from the shared cache; a hit costs one query."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from cycle import services
from cycle.models import Fase
from pagecache.services import bump, current
from people.models import Rol
from tests.cycle.inhoud import met_thema
from tests.people.factories import UserFactory, user_with_role
from tests.places.factories import WijkFactory

HIT = "hit"


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def ready_to_advance(cyclus, wijkmanager):
    analyse = services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={"wijkbeschrijving": "Foto", "conclusies": "Conclusie"},
    )
    analyse = met_thema(analyse, wijkmanager)
    services.product_transition(
        product=analyse, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )


PUBLIC_PAGES = [
    "/",
    "/wijken/",
    "/werkgebieden/",
    "/wijken/rubroek/",
    "/werkgebieden/crooswijk/",
    "/werkgebieden/crooswijk/rollen/",
    "/werkgebieden/crooswijk/2027/",
    "/lopende-cycli/",
    "/ter-consultatie/",
]


@pytest.mark.django_db
def test_public_pages_are_cached_for_anonymous_visitors(client, cyclus):
    for url in PUBLIC_PAGES:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Paginacache"] == "miss", url
        second = client.get(url)
        assert second["X-Paginacache"] == HIT, url
        assert second.content == first.content, url


@pytest.mark.django_db
def test_a_hit_costs_one_query(client, cyclus, django_assert_num_queries):
    client.get("/werkgebieden/crooswijk/2027/")
    with django_assert_num_queries(1):
        response = client.get("/werkgebieden/crooswijk/2027/")
    assert response["X-Paginacache"] == HIT


@pytest.mark.django_db
def test_a_state_change_shows_at_once(client, cyclus, wijkmanager):
    ready_to_advance(cyclus, wijkmanager)
    page = client.get("/werkgebieden/crooswijk/2027/")
    assert "Huidige fase:" in page.content.decode()
    assert ">wijkanalyse<" in page.content.decode()
    client.get("/")  # cache the start page too
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk, user=wijkmanager, transition="naar_agenda", expected_fase="analyse"
    )
    page = client.get("/werkgebieden/crooswijk/2027/")
    assert page["X-Paginacache"] == "miss"
    assert ">wijkagenda<" in page.content.decode()
    home = client.get("/")
    assert home["X-Paginacache"] == "miss"


@pytest.mark.django_db
def test_reference_data_edited_without_a_service_shows_at_once(client, cyclus, werkgebied):
    url = "/werkgebieden/crooswijk/"
    assert "Werkgebied Crooswijk<" in client.get(url).content.decode()
    assert client.get(url)["X-Paginacache"] == HIT
    werkgebied.naam = "Crooswijk-Noord"
    werkgebied.save()  # as the admin does
    page = client.get(url)
    assert page["X-Paginacache"] == "miss"
    assert "Werkgebied Crooswijk-Noord<" in page.content.decode()


@pytest.mark.django_db
def test_a_rolled_back_change_does_not_bump(cyclus):
    before = current()
    with pytest.raises(RuntimeError), transaction.atomic():
        bump()
        raise RuntimeError
    assert current() == before


@pytest.mark.django_db
def test_signed_in_visitors_never_get_the_shared_page(client, cyclus, werkgebied):
    anonymous = client.get("/werkgebieden/crooswijk/2027/")
    assert anonymous["X-Paginacache"] == "miss"
    client.force_login(user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied))
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert "X-Paginacache" not in response, url
        assert "Uitloggen" in response.content.decode(), url
        assert "private" in response["Cache-Control"], url
    # The wijkraadslid sees the concept's title; the public page did not.
    page = client.get("/werkgebieden/crooswijk/2027/").content.decode()
    assert "Wijkanalyse Crooswijk 2027" in page
    assert "Wijkanalyse Crooswijk 2027" not in anonymous.content.decode()


@pytest.mark.django_db
def test_pages_with_forms_or_messages_are_not_shared(client, cyclus):
    login = client.get("/inloggen/")
    assert "X-Paginacache" not in login
    client.cookies["messages"] = "iets"
    assert "X-Paginacache" not in client.get("/werkgebieden/")


@pytest.mark.django_db
def test_each_language_has_its_own_page(client, cyclus):
    dutch = client.get("/wijken/").content.decode()
    client.get("/taal/en/?next=/wijken/")
    english = client.get("/wijken/")
    assert "All neighbourhoods" in english.content.decode()
    assert "Alle wijken" in dutch


@pytest.mark.django_db
def test_logged_out_visitor_with_an_old_session_cookie_is_still_served_fresh(client, cyclus):
    client.force_login(UserFactory())
    client.logout()
    response = client.get("/werkgebieden/")
    assert response.status_code == 200


# "Mijn werk" keeps its content per user under the public version: never shared, never stale.


@pytest.mark.django_db
def test_mijn_werk_reload_costs_no_cycle_query(
    client, cyclus, wijkmanager, django_assert_num_queries
):
    client.force_login(wijkmanager)
    first = client.get("/mijn-werk/")
    assert "Cycli van mijn werkgebieden" in first.content.decode()
    # The user (from the session) and the public version; the cycles come from the fragment.
    with django_assert_num_queries(2):
        second = client.get("/mijn-werk/")
    assert second.content.decode().count("Crooswijk 2027") == first.content.decode().count(
        "Crooswijk 2027"
    )
    assert "X-Paginacache" not in second
    assert "private" in second["Cache-Control"]


@pytest.mark.django_db
def test_mijn_werk_shows_a_state_change_at_once(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    assert ">wijkanalyse<" in client.get("/mijn-werk/").content.decode()
    ready_to_advance(cyclus, wijkmanager)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk, user=wijkmanager, transition="naar_agenda", expected_fase="analyse"
    )
    page = client.get("/mijn-werk/").content.decode()
    assert ">wijkagenda<" in page
    assert ">wijkanalyse<" not in page


@pytest.mark.django_db
def test_mijn_werk_is_never_given_to_another_user(client, cyclus, wijkmanager, werkgebied):
    client.force_login(wijkmanager)
    assert "Cycli van mijn werkgebieden" in client.get("/mijn-werk/").content.decode()
    bewoner = UserFactory()
    client.force_login(bewoner)
    page = client.get("/mijn-werk/").content.decode()
    assert "Cycli van mijn werkgebieden" not in page
    assert "Crooswijk 2027" not in page
    assert "U bent bewoner" in page


@pytest.mark.django_db
def test_mijn_werk_drops_a_revoked_role_at_once(client, cyclus, wijkmanager, beheerder):
    from people.services import roltoewijzing_delete

    client.force_login(wijkmanager)
    assert "Cycli van mijn werkgebieden" in client.get("/mijn-werk/").content.decode()
    roltoewijzing_delete(actor=beheerder, assignment=wijkmanager.rollen.get())
    page = client.get("/mijn-werk/").content.decode()
    assert "Cycli van mijn werkgebieden" not in page
    assert "Crooswijk 2027" not in page


@pytest.mark.django_db
def test_mijn_werk_drops_a_role_the_day_after_it_ends(client, cyclus, werkgebied, monkeypatch):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied, geldig_tot=today)
    client.force_login(manager)
    assert "Cycli van mijn werkgebieden" in client.get("/mijn-werk/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    page = client.get("/mijn-werk/").content.decode()
    assert "Cycli van mijn werkgebieden" not in page


@pytest.mark.django_db
def test_mijn_werk_varies_only_on_page_numbers(client, cyclus, wijkmanager, monkeypatch):
    from django.conf import settings
    from django.core.cache import caches

    client.force_login(wijkmanager)
    client.get("/mijn-werk/")
    cache = caches[settings.PAGE_CACHE_ALIAS]
    stored = []
    real_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: stored.append(key) or real_set(key, *a, **k)
    )
    for junk in ["?wm=abc", "?wm=-5", "?x=1", "?wm=99999999999", "?utm=zomer"]:
        assert client.get(f"/mijn-werk/{junk}").status_code == 200
    assert [key for key in stored if ":mijn-werk:" in key] == []
    client.get("/mijn-werk/?wm=2")
    assert len([key for key in stored if ":mijn-werk:" in key]) == 1


@pytest.mark.django_db
def test_a_page_with_a_form_is_never_shared_even_for_a_visitor_with_a_csrf_cookie(client):
    """The CSRF cookie is set by the middleware after the view: a visitor who already has one
    gets no new cookie, so only the rendered token can tell that the page is personal."""
    from participation.models import Melding, Thema

    melding = Melding.objects.create(
        tekst="x",
        thema=Thema.objects.get(slug="schoon"),
        wijk=WijkFactory(),
        termijn_op="2030-01-01",
        status="afgehandeld",
    )
    Melding.objects.filter(pk=melding.pk).update(afgesloten_op=timezone.now())
    url = f"/meldingen/{melding.code}/"
    client.cookies["csrftoken"] = "a" * 32
    first = client.get(url)
    assert "csrfmiddlewaretoken" in first.content.decode()  # the "Is het opgelost?" form
    assert "X-Paginacache" not in first
    other = Client()
    second = other.get(url)
    assert "X-Paginacache" not in second
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode())
    response = other.post(
        url, {"csrfmiddlewaretoken": token.group(1), "opgelost": "ja"}, follow=False
    )
    assert response.status_code == 302  # the visitor's own token works


@pytest.mark.django_db
def test_step_two_of_a_melding_shows_a_new_melding_at_once_and_its_own_token(client):
    from participation.models import Thema
    from participation.services import NieuweMelding, melding_create

    wijk = WijkFactory(slug="hillesluis", naam="Hillesluis")
    thema = Thema.objects.get(slug="schoon")
    url = f"/meldingen/nieuw/?wijk={wijk.slug}&thema=schoon"
    first = client.get(url).content.decode()
    assert "Is dit al gemeld?" not in first
    melding = melding_create(gegevens=NieuweMelding(tekst="Afval", thema=thema, wijk=wijk))
    second = Client().get(url).content.decode()
    assert f"/meldingen/{melding.code}/steunen/" in second
    tokens = {
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for page in (first, second)
    }
    assert len(tokens) == 2


# ------------------------------------------------ signed-in product pages and kept roles


def _analyse_url(cyclus):
    return cyclus.wijkanalyse.get_absolute_url()


@pytest.mark.django_db
def test_a_product_page_reload_costs_the_user_and_the_version(
    client, cyclus, wijkmanager, django_assert_num_queries
):
    client.force_login(wijkmanager)
    first = client.get(_analyse_url(cyclus))
    assert first.status_code == 200
    assert "Bewerken" in first.content.decode()
    # The user (from the session) and the public version, read once: the whole page is kept
    # for this user (never in the public page cache).
    with django_assert_num_queries(2):
        second = client.get(_analyse_url(cyclus))
    assert second.content.decode().count("Bewerken") == first.content.decode().count("Bewerken")
    assert "X-Paginacache" not in second
    assert second["X-Gebruikerscache"] == "hit"


@pytest.mark.django_db
def test_a_product_page_drops_a_revoked_role_at_once(client, cyclus, wijkmanager, beheerder):
    from people.services import roltoewijzing_delete

    client.force_login(wijkmanager)
    assert ">Bewerken<" in client.get(_analyse_url(cyclus)).content.decode()
    roltoewijzing_delete(actor=beheerder, assignment=wijkmanager.rollen.get())
    response = client.get(_analyse_url(cyclus))
    assert ">Bewerken<" not in response.content.decode()
    # The concept is no longer theirs to read either.
    assert client.get(f"{_analyse_url(cyclus)}bewerken/").status_code == 403


@pytest.mark.django_db
def test_a_role_written_without_the_service_shows_at_once(client, cyclus, werkgebied):
    """A role saved by any other writer (a fixture, a shell) bumps the version too."""
    from people.models import Roltoewijzing

    user = UserFactory()
    client.force_login(user)
    assert ">Bewerken<" not in client.get(_analyse_url(cyclus)).content.decode()
    Roltoewijzing.objects.create(
        user=user, rol=Rol.WIJKMANAGER, werkgebied=werkgebied, geldig_vanaf=timezone.localdate()
    )
    assert ">Bewerken<" in client.get(_analyse_url(cyclus)).content.decode()


@pytest.mark.django_db
def test_a_product_page_shows_a_new_comment_and_a_new_text_at_once(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    assert "Wijkfoto van vandaag" not in client.get(_analyse_url(cyclus)).content.decode()
    services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={"wijkbeschrijving": "Wijkfoto van vandaag"},
    )
    page = client.get(_analyse_url(cyclus)).content.decode()
    assert "Wijkfoto van vandaag" in page
    services.opmerking_plaatsen(
        product=cyclus.wijkanalyse, user=wijkmanager, tekst="Graag de cijfers van 2026"
    )
    assert "Graag de cijfers van 2026" in client.get(_analyse_url(cyclus)).content.decode()


@pytest.mark.django_db
def test_the_kept_product_page_is_never_given_to_another_user(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    assert ">Bewerken<" in client.get(_analyse_url(cyclus)).content.decode()
    client.force_login(UserFactory())
    response = client.get(_analyse_url(cyclus))
    # A concept: another user may not read it at all.
    assert response.status_code == 403
    assert "Bewerken" not in response.content.decode()


@pytest.mark.django_db
def test_a_change_in_a_read_only_request_keeps_nothing_under_the_version():
    """A GET that bumps after all stops reusing the version it read and keeps nothing."""
    from pagecache.services import memoised, read_only_request, reading_only

    with read_only_request():
        assert reading_only()
        before = current()
        assert memoised("test.waarde", lambda: "oud") == "oud"
        bump()
        assert not reading_only()
        assert current() == before + 1
        # Computed anew, and not kept.
        assert memoised("test.waarde", lambda: "nieuw") == "nieuw"
    with read_only_request():
        assert memoised("test.waarde", lambda: "derde") == "derde"


@pytest.mark.django_db
def test_outside_a_read_only_request_nothing_is_kept(django_assert_num_queries):
    """A POST or a task may see a version that its own transaction bumped and may still roll
    back: it computes, and keeps nothing."""
    from pagecache.services import memoised, reading_only

    assert not reading_only()
    calls = []
    memoised("test.teller", lambda: calls.append(1) or "x")
    memoised("test.teller", lambda: calls.append(1) or "x")
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_read_only_request_reads_the_version_once(django_assert_num_queries):
    from pagecache.services import read_only_request

    with read_only_request(), django_assert_num_queries(1):
        assert current() == current() == current()
