"""Residents' own accounts: sign-up with a confirmed address (no enumeration, rate limit,
hostile input), the bewoner role and moving, notifications (portal, at once, weekly, the
one-click unsubscribe), and the AVG download and deletion."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from notices.models import Notice
from notices.services import notices_send_pending
from people import notificaties, services_bewoners
from people.models import Frequentie, Instellingen, Notificatie, Rol, Roltoewijzing, User
from people.tasks import weekoverzichten
from tests.people.factories import UserFactory, user_with_role
from tests.places.factories import GebiedFactory, WijkFactory

PASSWORD = "Een-lang-wachtwoord-2026"


@pytest.fixture
def wijk(werkgebied):
    return werkgebied.wijken.get()


def aanmelden(client, woonwijk, **extra):
    data = {
        "email": "nieuw@example.nl",
        "naam": "Nieuwe Bewoner",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "wijk": woonwijk.pk,
        **extra,
    }
    return client.post(reverse("aanmelden"), data)


def bevestig_link(body):
    return re.search(r"https?://\S+(/aanmelden/bevestigen/[^/\s]+/[^/\s]+/)", body).group(1)


def verstuur():
    mail.outbox.clear()
    notices_send_pending()
    return list(mail.outbox)


# ------------------------------------------------------------------------------- sign-up


@pytest.mark.django_db
def test_sign_up_confirm_once_and_get_the_bewoner_role(client, wijk, werkgebied):
    response = aanmelden(client, wijk)
    assert response.status_code == 302
    assert response["Location"] == reverse("aanmelden-verstuurd")
    user = User.objects.get(email="nieuw@example.nl")
    assert not user.is_active
    assert not Roltoewijzing.objects.filter(user=user).exists()
    (bericht,) = verstuur()
    assert bericht.to == ["nieuw@example.nl"]
    # The token is only in the mail, never in the outbox.
    notice = Notice.objects.get(kind=services_bewoners.KIND_AANMELDEN)
    assert notice.body == ""
    pad = bevestig_link(bericht.body)
    # Opening the link (a mail scanner) confirms nothing.
    assert client.get(pad).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(pad)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    rol = Roltoewijzing.objects.active().get(user=user)
    assert (rol.rol, rol.werkgebied) == (Rol.BEWONER, werkgebied)
    # One time only.
    assert client.post(pad).status_code == 400
    response = client.post(reverse("login"), {"username": "nieuw@example.nl", "password": PASSWORD})
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(action__startswith="people.aan")
    assert entries.count() == 2
    assert all("nieuw@example.nl" not in str(e.data) + e.actor_label for e in entries)


@pytest.mark.django_db
def test_same_answer_whether_the_address_exists(client, wijk):
    bestaand = UserFactory(email="bestaand@example.nl")
    nieuw = aanmelden(client, wijk, email="ander@example.nl")
    al = aanmelden(client, wijk, email="Bestaand@Example.nl")
    assert nieuw.status_code == al.status_code == 302
    assert nieuw["Location"] == al["Location"]
    berichten = verstuur()
    naar = {m.to[0]: m for m in berichten}
    assert "bevestigen" in naar["ander@example.nl"].body
    assert "al een account" in naar["bestaand@example.nl"].body
    # The existing account is unchanged: its password still works, no role was added.
    bestaand.refresh_from_db()
    assert bestaand.check_password("geheim-wachtwoord")
    assert not Roltoewijzing.objects.filter(user=bestaand).exists()
    # Asking again at once sends nothing more to either.
    aanmelden(client, wijk, email="bestaand@example.nl")
    aanmelden(client, wijk, email="ander@example.nl")
    assert verstuur() == []


@pytest.mark.django_db
def test_newer_sign_up_replaces_the_pending_one_and_its_link(client, wijk, ander_werkgebied):
    aanmelden(client, wijk)
    (eerste,) = verstuur()
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    andere_wijk = WijkFactory(werkgebied=ander_werkgebied)
    aanmelden(client, andere_wijk, password1="Nog-een-ander-2026!", password2="Nog-een-ander-2026!")
    (tweede,) = verstuur()
    assert client.post(bevestig_link(eerste.body)).status_code == 400
    assert client.post(bevestig_link(tweede.body)).status_code == 302
    user = User.objects.get(email="nieuw@example.nl")
    assert user.check_password("Nog-een-ander-2026!")
    assert Roltoewijzing.objects.get(user=user).werkgebied == ander_werkgebied


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra,veld",
    [
        ({"email": "geen-adres"}, "email"),
        ({"email": "a@b.nl\r\nBcc: x@y.nl"}, "email"),
        ({"email": "x" * 250 + "@example.nl"}, "email"),
        ({"password2": "iets-anders-2026"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"password1": "a" * 200, "password2": "a" * 200}, "password1"),
        ({"wijk": "abc"}, "wijk"),
        ({"wijk": "99999999"}, "wijk"),
        ({"wijk": ""}, "wijk"),
        ({"naam": "Naam\x00\nBcc"}, "naam"),
        ({"naam": "n" * 151}, "naam"),
    ],
)
def test_bad_input_gives_a_dutch_error_next_to_the_field(client, wijk, extra, veld):
    response = aanmelden(client, wijk, **extra)
    assert response.status_code == 200
    assert veld in response.context["form"].errors
    assert not User.objects.exists()
    # What was typed (but the password) is still there.
    if veld != "email":
        assert b"nieuw@example.nl" in response.content


@pytest.mark.django_db
def test_wijk_without_werkgebied_is_refused(client):
    cs = WijkFactory(
        naam="CS-kwartier", slug="cs-kwartier", werkgebied=None, gebied=GebiedFactory()
    )
    response = aanmelden(client, cs)
    assert "geen wijkraad" in response.context["form"].errors["wijk"][0]


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_client(client, wijk, settings):
    settings.AANMELD_RATE = "2/h"
    for n in range(2):
        assert aanmelden(client, wijk, email=f"a{n}@example.nl").status_code == 302
    response = aanmelden(client, wijk, email="a3@example.nl")
    assert response.status_code == 200
    assert "Probeer het over een uur" in response.content.decode()
    assert not User.objects.filter(email="a3@example.nl").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("uid,token", [("MQ", "x-y"), ("!!", "abc"), ("MTIzNDU2Nzg5", "a" * 99)])
def test_hostile_confirmation_links(client, uid, token):
    response = client.post(f"/aanmelden/bevestigen/{uid}/{token}/")
    assert response.status_code == 400


@pytest.mark.django_db
def test_unconfirmed_sign_ups_are_removed_after_a_week(client, wijk):
    aanmelden(client, wijk)
    actief = UserFactory()
    Instellingen.objects.update(aangemeld_op=timezone.now() - datetime.timedelta(days=8))
    assert services_bewoners.aanmeldingen_opruimen() == 1
    assert list(User.objects.all()) == [actief]
    assert not Notice.objects.filter(recipient="nieuw@example.nl").exists()
    assert services_bewoners.aanmeldingen_opruimen() == 0


@pytest.mark.django_db
def test_moving_ends_the_old_role_and_starts_a_new_one(werkgebied, ander_werkgebied):
    vroeger = timezone.localdate() - datetime.timedelta(days=30)
    user = user_with_role(Rol.BEWONER, werkgebied=werkgebied, geldig_vanaf=vroeger)
    services_bewoners.bewoner_verhuizen(user=user, werkgebied=ander_werkgebied)
    oud = Roltoewijzing.objects.get(user=user, werkgebied=werkgebied)
    assert oud.geldig_tot == timezone.localdate() - datetime.timedelta(days=1)
    (actief,) = Roltoewijzing.objects.active().filter(user=user)
    assert actief.werkgebied == ander_werkgebied
    # A role that began today is withdrawn rather than ended before it began.
    services_bewoners.bewoner_verhuizen(user=user, werkgebied=werkgebied)
    assert not Roltoewijzing.objects.filter(user=user, werkgebied=ander_werkgebied).exists()
    (actief,) = Roltoewijzing.objects.active().filter(user=user)
    assert actief.werkgebied == werkgebied


# ------------------------------------------------------------------------- permissions


@pytest.fixture
def bewoner(werkgebied):
    return user_with_role(Rol.BEWONER, werkgebied=werkgebied)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["mijn-wijk", "mijn-wijk-instellingen", "gebied-volgen", "account-verwijderen"],
)
def test_resident_pages_anonymous_wrong_role_expired(client, werkgebied, url):
    path = reverse(url)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied))
    assert client.get(path).status_code == 403
    vroeger = timezone.localdate() - datetime.timedelta(days=30)
    verlopen = user_with_role(
        Rol.BEWONER,
        werkgebied=werkgebied,
        geldig_vanaf=vroeger,
        geldig_tot=vroeger + datetime.timedelta(days=1),
    )
    client.force_login(verlopen)
    assert client.get(path).status_code == 403
    client.force_login(user_with_role(Rol.BEWONER, werkgebied=werkgebied))
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_account_deletion_only_for_resident_only_accounts(client, werkgebied):
    beide = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    Roltoewijzing.objects.create(user=beide, rol=Rol.WIJKRAADSLID, werkgebied=werkgebied)
    client.force_login(beide)
    assert client.get(reverse("mijn-wijk")).status_code == 200
    assert client.get(reverse("account-verwijderen")).status_code == 403
    assert client.post(reverse("account-verwijderen"), {"password": "x"}).status_code == 403
    assert User.objects.filter(pk=beide.pk).exists()


@pytest.mark.django_db
def test_notifications_and_data_for_every_signed_in_account(client, wijkmanager):
    for name in ("notificaties", "mijn-gegevens", "mijn-gegevens-download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
    client.force_login(wijkmanager)
    for name in ("notificaties", "mijn-gegevens", "mijn-gegevens-download"):
        assert client.get(reverse(name)).status_code == 200


# ------------------------------------------------------------------------- notifications


def maak(user, n=1, **kwargs):
    for i in range(n):
        notificaties.notificaties_maken(
            users=[user], soort="test", titel=f"Bericht {i}", url="/meldingen/", **kwargs
        )


@pytest.mark.django_db
def test_at_once_mails_with_one_click_unsubscribe_headers(client, bewoner):
    maak(bewoner)
    bewoner.refresh_from_db()
    assert bewoner.ongelezen == 1
    (bericht,) = verstuur()
    assert bericht.to == [bewoner.email]
    assert "Bericht 0" in bericht.body
    afmelden = bericht.extra_headers["List-Unsubscribe"].strip("<>")
    assert bericht.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert afmelden in bericht.body
    pad = afmelden.split("://", 1)[1].split("/", 1)[1]
    # GET (a scanner) changes nothing; the one-click POST without a CSRF token does.
    client.handler.enforce_csrf_checks = True
    assert client.get("/" + pad).status_code == 200
    assert Instellingen.objects.filter(user=bewoner, frequentie=Frequentie.NOOIT).count() == 0
    response = client.post("/" + pad, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Instellingen.objects.get(user=bewoner).frequentie == Frequentie.NOOIT
    maak(bewoner)
    assert verstuur() == []
    assert Notificatie.objects.filter(user=bewoner).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "a" * 600, "eyJ1IjoxfQ:1abc:def"])
def test_hostile_unsubscribe_tokens(client, token):
    assert client.get(f"/afmelden/{token}/").status_code == 200
    assert client.post(f"/afmelden/{token}/").status_code == 200


@pytest.mark.django_db
def test_weekly_overview_once_per_week(bewoner):
    services_bewoners.frequentie_kiezen(user=bewoner, frequentie=Frequentie.WEKELIJKS)
    maak(bewoner, 3)
    assert verstuur() == []
    assert weekoverzichten() == 1
    (bericht,) = verstuur()
    assert "Bericht 0" in bericht.body and "Bericht 2" in bericht.body
    assert "List-Unsubscribe" in bericht.extra_headers
    # The same week again: nothing, also not for what came in since.
    maak(bewoner)
    assert weekoverzichten() == 0
    assert verstuur() == []
    volgende = timezone.localdate() + datetime.timedelta(days=7)
    assert notificaties.weekoverzichten_versturen(today=volgende) == 1
    assert notificaties.weekoverzichten_versturen(today=volgende) == 0


@pytest.mark.django_db
def test_notification_list_marks_read_and_keeps_queries_fixed(
    client, bewoner, django_assert_max_num_queries
):
    maak(bewoner, 3, mailen=False)
    client.force_login(bewoner)
    response = client.get(reverse("notificaties"))
    assert "Bericht 2" in response.content.decode()
    assert '3<span class="visually-hidden"> ongelezen' in response.content.decode()
    with django_assert_max_num_queries(8) as vooraf:
        client.get(reverse("notificaties"))
    maak(bewoner, 60, mailen=False)
    with django_assert_max_num_queries(len(vooraf.captured_queries)):
        response = client.get(reverse("notificaties") + "?pagina=2")
    assert response.status_code == 200
    client.post(reverse("notificaties"))
    bewoner.refresh_from_db()
    assert bewoner.ongelezen == 0
    assert not Notificatie.objects.filter(user=bewoner, gelezen_op__isnull=True).exists()


@pytest.mark.django_db
def test_settings_choose_frequency_with_bad_input(client, bewoner, ander_werkgebied):
    client.force_login(bewoner)
    url = reverse("mijn-wijk-instellingen")
    response = client.post(url, {"actie": "frequentie", "frequentie": "elk-uur"})
    assert response.status_code == 200
    assert "frequentie" in response.context["frequentie_form"].errors
    client.post(url, {"actie": "frequentie", "frequentie": "wekelijks"})
    assert Instellingen.objects.get(user=bewoner).frequentie == Frequentie.WEKELIJKS
    response = client.post(url, {"actie": "verhuizen", "wijk": "x"})
    assert "wijk" in response.context["verhuizen_form"].errors
    nieuwe_wijk = WijkFactory(werkgebied=ander_werkgebied)
    client.post(url, {"actie": "verhuizen", "wijk": nieuwe_wijk.pk})
    (rol,) = Roltoewijzing.objects.active().filter(user=bewoner)
    assert rol.werkgebied == ander_werkgebied


# --------------------------------------------------------------------------------- AVG


@pytest.mark.django_db
def test_download_own_data(client, bewoner):
    maak(bewoner, mailen=False)
    client.force_login(bewoner)
    response = client.get(reverse("mijn-gegevens-download"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == bewoner.email
    assert data["rollen"][0]["rol"] == "bewoner"
    assert data["notificaties"][0]["titel"] == "Bericht 0"
    assert "meldingen" in data["participatie"]


@pytest.mark.django_db
def test_delete_account_needs_the_password(client, bewoner):
    client.force_login(bewoner)
    url = reverse("account-verwijderen")
    response = client.post(url, {"password": "fout"})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert User.objects.filter(pk=bewoner.pk).exists()
    from axes.models import AccessLog

    AccessLog.objects.create(username=bewoner.email, ip_address="127.0.0.1", user_agent="x")
    from audit.services import audit_log

    eigen = audit_log(action="test.iets", actor=bewoner, actor_rol="bewoner", target=None)
    assert eigen.actor_label
    response = client.post(url, {"password": "geheim-wachtwoord"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=bewoner.pk).exists()
    assert not AccessLog.objects.filter(username=bewoner.email).exists()
    eigen = AuditEntry.objects.get(pk=eigen.pk)
    assert (eigen.actor_id, eigen.actor_label, eigen.actor_naam) == (None, "", "")
    assert eigen.actor_rol == "bewoner"
    entry = AuditEntry.objects.get(action="people.account_verwijderd")
    assert entry.actor_id is None and entry.object_id == ""
    assert bewoner.email not in json.dumps(entry.data)
    # Signed out.
    assert client.get(reverse("mijn-wijk")).status_code == 302


@pytest.mark.django_db
def test_navigation_shows_mijn_wijk_to_residents_and_the_unread_count(client, bewoner, wijkmanager):
    maak(bewoner, 2, mailen=False)
    client.force_login(bewoner)
    html = client.get("/").content.decode()
    assert 'href="/mijn-wijk/"' in html
    assert '2<span class="visually-hidden"> ongelezen' in html
    client.force_login(wijkmanager)
    html = client.get("/").content.decode()
    assert 'href="/mijn-wijk/"' not in html
    assert "ongelezen" not in html
    client.logout()
    html = client.get("/").content.decode()
    assert 'href="/aanmelden/"' in html and "Berichten" not in html
