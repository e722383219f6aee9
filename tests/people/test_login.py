"""Signing in: throttling per account and per address (django-axes), with a Dutch message and
an audit entry; the password link flow, with the same answer whether or not the address has an
account, and the link made only when the mail is sent."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from notices.models import Notice
from notices.services import notices_send_pending
from people.models import User
from tests.people.factories import UserFactory

PASSWORD = "geheim-wachtwoord"  # the factories' password


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post("/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_account_locked_after_five_wrong_passwords(client, settings):
    user = UserFactory(email="wendy@example.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wendy@example.nl", "fout")
        assert response.status_code == 200
        assert "Het e-mailadres of wachtwoord klopt niet" in response.content.decode()
    response = attempt(client, "Wendy@Example.nl", "fout")  # case does not reset the count
    assert response.status_code == 429
    # Now even the right password is refused, from another address too (per account).
    response = attempt(client, "wendy@example.nl", PASSWORD, ip="198.51.100.9")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inloggen is daarom tijdelijk geblokkeerd" in html
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action="people.login_locked_out").last()
    assert entry.target == user
    assert entry.data["ip"] == "203.0.113.7"


@pytest.mark.django_db
def test_address_locked_after_failures_on_many_accounts(client, settings):
    """Trying many accounts from one address locks that address, also for a real account."""
    real = UserFactory(email="echt@example.nl")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"gok{n}@example.nl", "fout")
    response = attempt(client, real.email, PASSWORD)
    assert response.status_code == 429
    # The same account from another address is not affected.
    response = attempt(client, real.email, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    # A lockout of addresses nobody has stores no guessed address as personal data.
    entries = AuditEntry.objects.filter(action="people.login_locked_out")
    assert entries.exists()
    assert all(e.data["gebruikersnaam"] in ("", real.email) for e in entries)


@pytest.mark.django_db
def test_success_resets_the_count(client, settings):
    UserFactory(email="wendy@example.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wendy@example.nl", "fout")
    assert attempt(client, "wendy@example.nl", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wendy@example.nl", "fout").status_code == 200


def _link(message) -> str:
    """The path of the one password link in ``message``."""
    [url] = re.findall(r"https?://\S+/wachtwoord-instellen/\S+/", message.body)
    return urlsplit(url).path


@pytest.mark.django_db
def test_password_link_flow(client):
    user = UserFactory(email="wendy@example.nl")
    response = client.post("/wachtwoord-vergeten/", {"email": "WENDY@example.nl"})
    assert response.status_code == 302
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    notice = Notice.objects.get(user=user)
    # The row names the person; the token exists only in the mail that is sent.
    assert notice.body == ""
    assert notices_send_pending() == 1
    [message] = mail.outbox
    assert message.to == ["wendy@example.nl"]
    path = _link(message)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Een-nieuw-wachtwoord-26", "new_password2": "Een-nieuw-wachtwoord-26"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Een-nieuw-wachtwoord-26")
    # The link works once.
    response = client.get(path, follow=True)
    assert "Deze link werkt niet meer" in response.content.decode()


@pytest.mark.django_db
def test_same_answer_whether_or_not_the_address_exists(client):
    UserFactory(email="bestaat@example.nl")
    known = client.post("/wachtwoord-vergeten/", {"email": "bestaat@example.nl"})
    unknown = client.post("/wachtwoord-vergeten/", {"email": "bestaat-niet@example.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert Notice.objects.count() == 1
    page = client.get(known["Location"]).content.decode()
    assert "Als dit e-mailadres bij een account hoort" in page


@pytest.mark.django_db
def test_password_link_form_errors_in_dutch(client):
    response = client.post("/wachtwoord-vergeten/", {"email": "geen-adres"})
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    response = client.post("/wachtwoord-vergeten/", {"email": ""})
    assert "Vul uw e-mailadres in." in response.content.decode()


@pytest.mark.django_db
def test_inactive_account_gets_no_link(client):
    UserFactory(email="weg@example.nl", is_active=False)
    client.post("/wachtwoord-vergeten/", {"email": "weg@example.nl"})
    assert not Notice.objects.exists()
    assert not User.objects.get(email="weg@example.nl").is_active


@pytest.mark.django_db
def test_signed_in_user_changes_own_password(client):
    user = UserFactory(email="wendy@example.nl")
    client.force_login(user)
    assert 'href="/wachtwoord-wijzigen/"' in client.get("/mijn-werk/").content.decode()
    response = client.post(
        "/wachtwoord-wijzigen/",
        {"old_password": "fout", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    response = client.post(
        "/wachtwoord-wijzigen/",
        {
            "old_password": PASSWORD,
            "new_password1": "Een-eigen-wachtwoord-26",
            "new_password2": "Een-eigen-wachtwoord-26",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Een-eigen-wachtwoord-26")
    assert AuditEntry.objects.get(action="people.password_changed").data == {"via": "wijzigen"}


@pytest.mark.django_db
def test_password_link_lifts_a_lockout(client, settings):
    user = UserFactory(email="wendy@example.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wendy@example.nl", "fout", ip="198.51.100.1")
    assert attempt(client, "wendy@example.nl", PASSWORD, ip="198.51.100.2").status_code == 429
    client.post("/wachtwoord-vergeten/", {"email": "wendy@example.nl"})
    notices_send_pending()
    response = client.get(_link(mail.outbox[-1]), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Weer-binnen-2026", "new_password2": "Weer-binnen-2026"},
    )
    response = attempt(client, "wendy@example.nl", "Weer-binnen-2026", ip="198.51.100.2")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_password_links_cannot_flood_a_mailbox(client):
    user = UserFactory(email="wendy@example.nl")
    for _ in range(5):
        response = client.post("/wachtwoord-vergeten/", {"email": "wendy@example.nl"})
        assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert Notice.objects.filter(user=user).count() == 1
    # After the interval, a new request sends a new link.
    Notice.objects.filter(user=user).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    client.post("/wachtwoord-vergeten/", {"email": "wendy@example.nl"})
    assert Notice.objects.filter(user=user).count() == 2
