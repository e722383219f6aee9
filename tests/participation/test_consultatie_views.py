"""The pages of consultations: the public page (question, kaders slot, days left, reactions
anonymised and paginated, the form), reacting with an account or an e-mail address, the
confirmation page, and the wijkmanager's pages (dates, moderation list, answering and hiding).
Every view × every role, wrong werkgebied and expired role included; a fixed number of queries
whatever the number of reactions; bad input gets its message next to the field."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from cycle import services as cycle_services
from cycle.models import Fase, Productstatus
from notices.services import notices_send_pending
from pagecache.services import bump
from participation.models import Reactie, Reactiestatus
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role

from .consultatie import gesloten, reactie, voorbereid

URL = "/werkgebieden/crooswijk/2027/wijkagenda/consultatie/"


@pytest.fixture
def consultatie(werkgebied, make_cycle, wijkmanager):
    agenda = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA).wijkagenda
    return voorbereid(agenda, wijkmanager)


def _login(client, user):
    if user is not None:
        client.force_login(user)


def _verlopen(werkgebied):
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    return user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=gisteren - datetime.timedelta(days=30),
        geldig_tot=gisteren,
    )


# ------------------------------------------------------------------------ the public page


@pytest.mark.django_db
def test_public_page_shows_question_days_left_and_anonymised_reactions(client, consultatie):
    auteur = user_with_role(Rol.BEWONER, werkgebied=consultatie.cyclus.werkgebied)
    reactie(consultatie, auteur=auteur, email="", tekst="Meer bankjes <b>nu</b>")
    reactie(consultatie, Reactiestatus.VERBORGEN, verborgen_reden="Scheldwoorden")
    reactie(consultatie, Reactiestatus.WACHT, tekst="Nog niet bevestigd")
    page = client.get(URL).content.decode()
    assert consultatie.vraag.split()[0] in page
    assert "Nog 43 dagen om te reageren." in page
    assert "Meer bankjes &lt;b&gt;nu&lt;/b&gt;" in page
    assert "Verborgen door de wijkmanager: Scheldwoorden" in page
    assert "Nog niet bevestigd" not in page
    assert auteur.email not in page and "bewoner@example.nl" not in page
    assert 'href="/werkgebieden/crooswijk/2027/wijkagenda/"' in page
    assert "Uw e-mailadres" in page


@pytest.mark.django_db
def test_public_page_is_paginated_with_a_fixed_number_of_queries(
    client, consultatie, django_assert_max_num_queries
):
    Reactie.objects.bulk_create(
        Reactie(
            consultatie=consultatie,
            tekst=f"Reactie {i}",
            email="x@example.nl",
            status=Reactiestatus.GEPLAATST,
            geplaatst_op=timezone.now(),
        )
        for i in range(45)
    )
    with django_assert_max_num_queries(8):
        first = client.get(URL).content.decode()
    assert first.count("<article") == 20
    assert "Pagina 1 van 3" in first
    Reactie.objects.bulk_create(
        Reactie(
            consultatie=consultatie,
            tekst="Meer",
            email="x@example.nl",
            status=Reactiestatus.GEPLAATST,
            geplaatst_op=timezone.now(),
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(8):
        last = client.get(URL + "?pagina=13").content.decode()
    assert "Pagina 13 van 13" in last


@pytest.mark.django_db
def test_signed_in_resident_reacts_at_once(client, consultatie):
    client.force_login(user_with_role(Rol.BEWONER, werkgebied=consultatie.cyclus.werkgebied))
    page = client.get(URL).content.decode()
    assert "Uw e-mailadres" not in page
    punt = consultatie.product.agendapunten.order_by("rang").first()
    response = client.post(URL, {"tekst": "Goed idee", "onderdeel": f"agendapunt-{punt.pk}"})
    assert response.status_code == 302
    r = Reactie.objects.get()
    assert r.status == Reactiestatus.GEPLAATST and r.agendapunt == punt
    assert "Goed idee" in client.get(URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_anonymous_reacts_through_the_link_in_the_mail(client, consultatie):
    mail.outbox.clear()
    response = client.post(URL, {"tekst": "Meer groen", "email": "buur@example.nl"})
    assert response.status_code == 302
    assert Reactie.objects.get().status == Reactiestatus.WACHT
    assert "Meer groen" not in client.get(URL).content.decode()
    notices_send_pending()
    body = [m for m in mail.outbox if m.to == ["buur@example.nl"]][-1].body
    pad = re.search(r"https?://[^/\s]+(/reactie/bevestigen/[-\w]+/)", body).group(1)
    # GET only asks (a mail scanner places nothing).
    vraag = client.get(pad)
    assert vraag.status_code == 200 and "Ja, plaats mijn reactie" in vraag.content.decode()
    assert vraag["Cache-Control"] == "private, no-store"
    assert Reactie.objects.get().status == Reactiestatus.WACHT
    assert client.post(pad).status_code == 302
    assert Reactie.objects.get().status == Reactiestatus.GEPLAATST
    page = client.get(URL).content.decode()
    assert "Meer groen" in page and "buur@example.nl" not in page
    # Single use.
    assert client.get(pad).status_code == 404
    assert client.post(pad).status_code == 404


@pytest.mark.django_db
def test_bad_token_is_a_404_page_not_a_500(client):
    for token in ("x", "a" * 500, "../../etc"):
        assert client.get(f"/reactie/bevestigen/{token}/").status_code == 404
        assert client.post(f"/reactie/bevestigen/{token}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, veld, fout",
    [
        ({"tekst": "", "email": "a@example.nl"}, "tekst", "Vul uw reactie in."),
        ({"tekst": "   ", "email": "a@example.nl"}, "tekst", "Vul uw reactie in."),
        ({"tekst": "x" * 10_000, "email": "a@example.nl"}, "tekst", "Hoogstens 5000"),
        ({"tekst": "Goed", "email": ""}, "email", "Vul uw e-mailadres in."),
        ({"tekst": "Goed", "email": "geen adres"}, "email", "Vul een geldig e-mailadres in"),
        (
            {"tekst": "Goed", "email": "a@example.nl", "onderdeel": "agendapunt-999999"},
            "onderdeel",
            "Kies een onderdeel",
        ),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_the_text(client, consultatie, data, veld, fout):
    response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert fout in page
    assert f'id="id_{veld}"' in page
    if data["tekst"].strip() and len(data["tekst"]) < 100:
        assert data["tekst"] in page
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_part_of_another_cycle_is_refused(client, consultatie, ander_werkgebied, make_cycle):
    ander = voorbereid(make_cycle(ander_werkgebied, jaar=2027, fase=Fase.AGENDA).wijkagenda)
    vreemd = ander.product.agendapunten.first()
    response = client.post(
        URL, {"tekst": "Goed", "email": "a@example.nl", "onderdeel": f"agendapunt-{vreemd.pk}"}
    )
    assert response.status_code == 200
    assert "Kies een onderdeel" in response.content.decode()
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_script_is_shown_as_text(client, consultatie):
    client.force_login(user_with_role(Rol.BEWONER, werkgebied=consultatie.cyclus.werkgebied))
    client.post(URL, {"tekst": "<script>alert(1)</script>"})
    page = client.get(URL).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.django_db
def test_closed_consultation_has_no_form_and_refuses_a_post(client, consultatie):
    gesloten(consultatie)
    page = client.get(URL).content.decode()
    assert "Deze consultatie is gesloten" in page
    assert 'name="tekst"' not in page
    response = client.post(URL, {"tekst": "Te laat", "email": "a@example.nl"}, follow=True)
    assert response.status_code == 200
    assert "Deze consultatie is gesloten" in response.content.decode()
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_consultation_not_yet_open_says_from_when(client, consultatie, wijkmanager):
    from participation import services_consultatie as services

    morgen = timezone.localdate() + datetime.timedelta(days=1)
    services.consultatie_wijzigen(
        consultatie=consultatie,
        user=wijkmanager,
        expected_versie=consultatie.versie,
        vraag="Wat vindt u?",
        opent_op=morgen,
        sluit_op=morgen + datetime.timedelta(days=7),
    )
    page = client.get(URL).content.decode()
    assert "nog niet open" in page and 'name="tekst"' not in page
    response = client.post(URL, {"tekst": "Vroeg", "email": "a@example.nl"}, follow=True)
    assert "nog niet open" in response.content.decode()
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_rate_limited_like_meldingen(client, consultatie, settings):
    settings.MELDING_RATE = "2/h"
    for i in range(2):
        assert client.post(URL, {"tekst": f"R{i}", "email": "a@example.nl"}).status_code == 302
    response = client.post(URL, {"tekst": "Nog een", "email": "a@example.nl"})
    assert response.status_code == 200
    assert "Probeer het over een uur" in response.content.decode()
    assert "Nog een" in response.content.decode()
    assert Reactie.objects.count() == 2


@pytest.mark.django_db
def test_honeypot_stores_nothing(client, consultatie):
    response = client.post(URL, {"tekst": "Spam", "email": "a@example.nl", "website": "x"})
    assert response.status_code == 302
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_unknown_consultation_is_404(client, werkgebied, make_cycle):
    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    assert client.get(URL).status_code == 404
    assert client.get("/werkgebieden/crooswijk/2027/onzin/consultatie/").status_code == 404


# ------------------------------------------------------------------ the wijkmanager's pages

BEHEER = {"wijkmanager", "wijkmanager via gebied", "beheerder"}


def _pages(consultatie):
    r = reactie(consultatie)
    return {
        "lijst": URL + "reacties/",
        "reactie": URL + f"reacties/{r.pk}/",
        "bewerken": URL + "bewerken/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLE_NAMES, "wijkmanager verlopen"])
@pytest.mark.parametrize("pagina", ["lijst", "reactie", "bewerken"])
def test_moderation_pages_per_role(client, roles, consultatie, role, pagina):
    if role == "wijkmanager verlopen":
        user, may = _verlopen(consultatie.cyclus.werkgebied), False
    else:
        user, _runs = roles[role]
        may = role in BEHEER
    url = _pages(consultatie)[pagina]
    _login(client, user)
    response = client.get(url)
    if may:
        assert response.status_code == 200
    elif user is None:
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    else:
        assert response.status_code == 403
    # A POST by someone who may not changes nothing.
    if not may:
        client.post(url, {"actie": "verbergen", "versie": 1, "reden": "x"})
        assert not Reactie.objects.filter(status=Reactiestatus.VERBORGEN).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLE_NAMES, "wijkmanager verlopen"])
def test_public_page_per_role(client, roles, consultatie, role):
    """In consultation the product is public: everyone reads the page and may react."""
    user = (
        _verlopen(consultatie.cyclus.werkgebied)
        if role == "wijkmanager verlopen"
        else (roles[role][0])
    )
    _login(client, user)
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_permission_rules_per_role(roles, consultatie, ander_werkgebied):
    r = reactie(consultatie)
    r = Reactie.objects.select_related(
        "consultatie__cyclus__werkgebied", "consultatie__cyclus__wijkagenda"
    ).get(pk=r.pk)
    perms = [
        ("participation.view_consultatie_beheer", consultatie),
        ("participation.change_consultatie", consultatie),
        ("participation.beantwoord_reactie", r),
        ("participation.verberg_reactie", r),
    ]
    for role in ROLE_NAMES:
        user = roles[role][0] or AnonymousUser()
        for perm, obj in perms:
            assert user.has_perm(perm, obj) is (role in BEHEER), (role, perm)
    verlopen = _verlopen(consultatie.cyclus.werkgebied)
    assert not any(verlopen.has_perm(perm, obj) for perm, obj in perms)


@pytest.mark.django_db
def test_moderation_list_filters_and_keeps_a_fixed_number_of_queries(
    client, consultatie, wijkmanager, django_assert_max_num_queries
):
    reactie(consultatie, antwoord="Dank u.", tekst="Al beantwoord")
    reactie(consultatie, tekst="Nog open")
    reactie(consultatie, Reactiestatus.VERBORGEN, tekst="Verborgen tekst")
    reactie(consultatie, Reactiestatus.WACHT, tekst="Wacht nog")
    client.force_login(wijkmanager)
    page = client.get(URL + "reacties/").content.decode()
    for tekst in ("Al beantwoord", "Nog open", "Verborgen tekst", "Wacht nog"):
        assert tekst in page
    assert "bewoner@example.nl" not in page
    onbeantwoord = client.get(URL + "reacties/?onbeantwoord=1").content.decode()
    assert "Nog open" in onbeantwoord and "Al beantwoord" not in onbeantwoord
    # Cold: the list is kept per user under the public version, which a real change bumps.
    bump()
    with django_assert_max_num_queries(14) as small:
        client.get(URL + "reacties/")
    Reactie.objects.bulk_create(
        Reactie(
            consultatie=consultatie,
            tekst=f"R{i}",
            email="x@example.nl",
            status=Reactiestatus.GEPLAATST,
            geplaatst_op=timezone.now(),
        )
        for i in range(120)
    )
    bump()
    with django_assert_max_num_queries(len(small)):
        page = client.get(URL + "reacties/?pagina=2").content.decode()
    assert "Pagina 2 van 5" in page


@pytest.mark.django_db
def test_answer_hide_and_stale_edit_through_the_page(client, consultatie, wijkmanager):
    r = reactie(consultatie, tekst="Klotewijk, klotegemeente")
    client.force_login(wijkmanager)
    url = URL + f"reacties/{r.pk}/"
    leeg = client.post(url, {"actie": "beantwoorden", "versie": 1, "antwoord": " "})
    assert leeg.status_code == 200 and "Vul het antwoord in." in leeg.content.decode()
    assert (
        client.post(
            url,
            {"actie": "beantwoorden", "versie": 1, "antwoord": "Dank", "wat_veranderd": "Punt 2"},
        ).status_code
        == 302
    )
    stale = client.post(url, {"actie": "verbergen", "versie": 1, "reden": "Kwetsend"})
    assert stale.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.content.decode()
    assert "Kwetsend" in stale.content.decode()
    geen_reden = client.post(url, {"actie": "verbergen", "versie": 2, "reden": ""})
    assert "Geef de reden" in geen_reden.content.decode()
    assert (
        client.post(url, {"actie": "verbergen", "versie": 2, "reden": "Kwetsend"}).status_code
        == 302
    )
    r.refresh_from_db()
    assert r.status == Reactiestatus.VERBORGEN and r.tekst == "Klotewijk, klotegemeente"
    client.logout()
    page = client.get(URL).content.decode()
    assert "Verborgen door de wijkmanager: Kwetsend" in page
    assert "Klotewijk" not in page


@pytest.mark.django_db
def test_wijkmanager_changes_dates_and_bad_dates_are_refused(client, consultatie, wijkmanager):
    client.force_login(wijkmanager)
    url = URL + "bewerken/"
    today = timezone.localdate()
    fout = client.post(
        url,
        {
            "versie": consultatie.versie,
            "vraag": "Nieuwe vraag",
            "opent_op": today.isoformat(),
            "sluit_op": (today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert fout.status_code == 200
    assert "kan niet sluiten vóór zij opent" in fout.content.decode()
    assert "Nieuwe vraag" in fout.content.decode()
    ok = client.post(
        url,
        {
            "versie": consultatie.versie,
            "vraag": "Nieuwe vraag",
            "opent_op": today.isoformat(),
            "sluit_op": (today + datetime.timedelta(days=9)).isoformat(),
        },
    )
    assert ok.status_code == 302
    assert "Nog 10 dagen om te reageren." in client.get(URL).content.decode()
    stale = client.post(
        url,
        {
            "versie": consultatie.versie,
            "vraag": "Oud",
            "opent_op": today.isoformat(),
            "sluit_op": today.isoformat(),
        },
    )
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.content.decode()


@pytest.mark.django_db
def test_product_page_and_mijn_werk_show_the_consultation(client, consultatie, wijkmanager):
    reactie(consultatie, tekst="Open vraag")
    reactie(consultatie, tekst="Beantwoord", antwoord="Ja", wat_veranderd="Punt 1 herschreven")
    product = client.get("/werkgebieden/crooswijk/2027/wijkagenda/").content.decode()
    assert "Nota van beantwoording" in product
    assert "Punt 1 herschreven" in product
    assert URL in product
    client.force_login(wijkmanager)
    stappen = client.get("/werkgebieden/crooswijk/2027/wijkagenda/").content.decode()
    assert "1 reactie zonder antwoord" in stappen
    werk = client.get("/mijn-werk/").content.decode()
    assert "1 reactie zonder antwoord" in werk
    assert URL + "reacties/?onbeantwoord=1" in werk


@pytest.mark.django_db
def test_after_adoption_the_answers_are_fixed(client, consultatie, wijkmanager):
    r = reactie(consultatie, antwoord="Ja")
    cycle_services.product_transition(
        product=consultatie.product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONSULTATIE,
    )
    client.force_login(wijkmanager)
    page = client.get(URL + f"reacties/{r.pk}/").content.decode()
    assert "liggen vast in de nota" in page
    response = client.post(
        URL + f"reacties/{r.pk}/",
        {"actie": "beantwoorden", "versie": r.versie, "antwoord": "Anders"},
    )
    assert response.status_code == 403
    r.refresh_from_db()
    assert r.antwoord == "Ja"
    assert client.get(URL + "bewerken/").status_code == 302


@pytest.mark.django_db
def test_the_kept_public_page_gives_each_visitor_their_own_token(consultatie, monkeypatch):
    from django.test import Client

    eerste, tweede = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a = eerste.get(URL)
    b = tweede.get(URL)
    assert (a["X-Paginacache"], b["X-Paginacache"]) == ("miss", "hit")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', b.content.decode())[1]
    assert "csrftoken" in b.cookies  # the kept page still sets the visitor's CSRF cookie
    # The token in the kept page belongs to this visitor: the form posts.
    response = tweede.post(
        URL, {"csrfmiddlewaretoken": token, "tekst": "Meer bankjes", "email": "b@example.nl"}
    )
    assert response.status_code == 302
    assert Reactie.objects.get().tekst == "Meer bankjes"
    # The next day the page is made again (it counts the days left).
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: morgen)
    assert Client().get(URL)["X-Paginacache"] == "miss"
