"""What participation adds to a resident's own place: their meldingen on "Mijn wijk" (linked
when reported signed in), following a werkgebied or wijk, the notifications about a
melding's status, an initiative's progress and a publication in a followed area, the
sections' query counts, and their part of the AVG download and deletion."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cycle.models import Fase
from notices.models import Notice
from notices.services import notices_send_pending
from participation import bewoners, services, services_volgen
from participation.models import Gebiedvolging, Melding, Meldingstatus, Volger
from people.models import Frequentie, Notificatie, Rol, User
from people.notificaties import notificaties_maken
from people.services_bewoners import frequentie_kiezen
from tests.people.factories import user_with_role

from .factories import MeldingFactory, ThemaFactory
from .test_volgen import bevestigd, melden
from .test_volgen import initiatief as initiatief
from .test_volgen import uitvoering as uitvoering


@pytest.fixture
def bewoner(werkgebied):
    return user_with_role(Rol.BEWONER, werkgebied=werkgebied)


def test_signed_in_melding_is_linked_and_listed(client, bewoner, wijk):
    client.force_login(bewoner)
    thema = ThemaFactory()
    response = client.post(
        reverse("melding-nieuw"),
        {
            "wijk": wijk.pk,
            "thema": thema.pk,
            "tekst": "Losliggende stoeptegels.",
            "betreft_groep": "1",
            "email": bewoner.email,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    melding = Melding.objects.get()
    assert melding.melder == bewoner
    # The account is the channel: its own address is not kept twice.
    assert melding.email == ""
    html = client.get(reverse("mijn-wijk")).content.decode()
    assert melding.code in html and "nieuw" in html


def test_status_change_notifies_the_account(bewoner, wijk, wijkmanager):
    melding = MeldingFactory(wijk=wijk, melder=bewoner, email="")
    mail.outbox.clear()
    services.melding_transition(
        melding_id=melding.pk,
        user=wijkmanager,
        transition="in_behandeling_nemen",
        expected_versie=melding.versie,
    )
    notificatie = Notificatie.objects.get(user=bewoner)
    assert melding.code in notificatie.titel and "in behandeling" in notificatie.titel
    assert notificatie.url == melding.get_absolute_url()
    notices_send_pending()
    assert [m.to for m in mail.outbox] == [[bewoner.email]]


def test_follow_a_werkgebied_and_hear_of_a_publication(
    client, bewoner, werkgebied, wijk, make_cycle, ander_werkgebied
):
    client.force_login(bewoner)
    response = client.post(reverse("gebied-volgen"), {"werkgebied": werkgebied.pk})
    assert response.status_code == 302
    # Following again makes no second row.
    client.post(reverse("gebied-volgen"), {"werkgebied": werkgebied.pk})
    assert Gebiedvolging.objects.filter(user=bewoner).count() == 1
    wijkvolger = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    bewoners.gebied_volgen(user=wijkvolger, wijk=wijk)
    elders = user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied)
    bewoners.gebied_volgen(user=elders, werkgebied=ander_werkgebied)
    make_cycle(werkgebied, fase=Fase.AGENDA)  # publishes the wijkanalyse
    for user in (bewoner, wijkvolger):
        notificatie = Notificatie.objects.get(user=user, soort=bewoners.SOORT_PUBLICATIE)
        assert werkgebied.naam in notificatie.titel
    assert not Notificatie.objects.filter(user=elders).exists()
    html = client.get(reverse("mijn-wijk")).content.decode()
    assert werkgebied.naam in html and "Gepubliceerd in" in html
    volging = Gebiedvolging.objects.get(user=bewoner)
    client.post(reverse("gebied-ontvolgen", args=[volging.pk]))
    assert not Gebiedvolging.objects.filter(user=bewoner).exists()


@pytest.mark.parametrize(
    "data,veld",
    [
        ({}, "werkgebied"),
        ({"werkgebied": "abc"}, "werkgebied"),
        ({"werkgebied": "99999999"}, "werkgebied"),
        ({"wijk": "'; DROP TABLE x"}, "wijk"),
    ],
)
def test_follow_form_bad_input(client, bewoner, data, veld):
    client.force_login(bewoner)
    response = client.post(reverse("gebied-volgen"), data)
    assert response.status_code == 200
    assert veld in response.context["form"].errors
    assert not Gebiedvolging.objects.exists()


def test_follow_both_is_refused(client, bewoner, werkgebied, wijk):
    client.force_login(bewoner)
    response = client.post(reverse("gebied-volgen"), {"werkgebied": werkgebied.pk, "wijk": wijk.pk})
    assert "wijk" in response.context["form"].errors


def test_cannot_stop_someone_elses_follow(client, bewoner, werkgebied):
    ander = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    volging = bewoners.gebied_volgen(user=ander, werkgebied=werkgebied)
    client.force_login(bewoner)
    client.post(reverse("gebied-ontvolgen", args=[volging.pk]))
    assert Gebiedvolging.objects.filter(pk=volging.pk).exists()


def test_follower_with_an_account_gets_a_notification_as_chosen(
    initiatief,
    accounthouder,
    werkgebied,
    django_capture_on_commit_callbacks,
):
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    frequentie_kiezen(user=bewoner, frequentie=Frequentie.WEKELIJKS)
    bevestigd(initiatief, bewoner.email.upper())
    bevestigd(initiatief, "zonder-account@example.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        melden(initiatief, accounthouder, percentage=30)
    # The plain follower gets the follower's mail; the account waits for its overview.
    assert [m.to for m in mail.outbox] == [["zonder-account@example.nl"]]
    notificatie = Notificatie.objects.get(user=bewoner)
    assert "30% klaar" in notificatie.titel
    assert notificatie.mail == Notificatie.Mail.WACHT
    assert not Notice.objects.filter(
        kind=services_volgen.KIND_UPDATE, recipient__iexact=bewoner.email
    ).exists()


def test_mijn_wijk_queries_do_not_grow(
    client, bewoner, wijk, werkgebied, django_assert_max_num_queries, settings
):
    client.force_login(bewoner)
    MeldingFactory(wijk=wijk, melder=bewoner)
    bewoners.gebied_volgen(user=bewoner, werkgebied=werkgebied)
    notificaties_maken(users=[bewoner], soort="t", titel="eerste", mailen=False)
    client.get(reverse("mijn-wijk"))
    # A reload with nothing changed: the sections are kept for the user.
    with django_assert_max_num_queries(2):
        client.get(reverse("mijn-wijk"))
    # Built anew (nothing kept): a fixed number, whatever the data.
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_max_num_queries(20) as vooraf:
        client.get(reverse("mijn-wijk"))
    for _n in range(25):
        MeldingFactory(wijk=wijk, melder=bewoner)
    bewoners.gebied_volgen(user=bewoner, wijk=wijk)
    for n in range(15):
        notificaties_maken(users=[bewoner], soort="t", titel=f"n{n}", mailen=False)
    with django_assert_max_num_queries(len(vooraf.captured_queries)):
        response = client.get(reverse("mijn-wijk") + "?meldingen-pagina=2&berichten-pagina=3")
    html = response.content.decode()
    assert "Pagina 2 van 3" in html and "Pagina 3 van 4" in html


def test_deleting_the_account_keeps_the_meldingen_anonymised(client, bewoner, wijk, werkgebied):
    eigen = MeldingFactory(wijk=wijk, melder=bewoner, email="", tekst="Kapotte lantaarn.")
    met_adres = MeldingFactory(wijk=wijk, email=bewoner.email)
    andermans = MeldingFactory(wijk=wijk)
    bewoners.gebied_volgen(user=bewoner, werkgebied=werkgebied)
    client.force_login(bewoner)
    data = client.get(reverse("mijn-gegevens-download")).json()
    codes = {m["code"] for m in data["participatie"]["meldingen"]}
    assert codes == {eigen.code, met_adres.code}
    assert data["participatie"]["gevolgde_gebieden"][0]["werkgebied__naam"] == werkgebied.naam
    client.post(reverse("account-verwijderen"), {"password": "geheim-wachtwoord"})
    assert not User.objects.filter(pk=bewoner.pk).exists()
    eigen.refresh_from_db()
    met_adres.refresh_from_db()
    andermans.refresh_from_db()
    assert eigen.tekst == "Kapotte lantaarn." and eigen.melder_id is None and eigen.email == ""
    assert met_adres.email == ""
    assert andermans.email != ""
    assert not Gebiedvolging.objects.exists()


def test_old_notifications_of_status_change_in_melding_transition_keep_working(
    make_melding, wijkmanager
):
    """A melding without an account behind it is told by e-mail only, as before."""
    melding = make_melding()
    services.melding_transition(
        melding_id=melding.pk,
        user=wijkmanager,
        transition="in_behandeling_nemen",
        expected_versie=melding.versie,
    )
    assert not Notificatie.objects.exists()
    assert Melding.objects.get().status == Meldingstatus.IN_BEHANDELING
    assert Notice.objects.filter(recipient=melding.email).exists()
    assert Volger.objects.count() == 0
    assert timezone.now() - datetime.timedelta(minutes=1) < Notice.objects.get().created_at


def test_demo_resident_has_a_full_own_place(rotterdam, client):
    from cycle.demo import load_demo
    from people.models import Instellingen

    accounts = load_demo()
    load_demo()  # idempotent: nothing twice
    bewoner = accounts["bewoner"]
    assert Melding.objects.filter(melder=bewoner).count() == 2
    assert Gebiedvolging.objects.filter(user=bewoner).count() == 2
    assert Volger.objects.filter(email=bewoner.email, bevestigd_op__isnull=False).exists()
    assert Notificatie.objects.filter(user=bewoner, soort=bewoners.SOORT_MELDING).exists()
    assert Instellingen.objects.get(user=bewoner).frequentie == Frequentie.WEKELIJKS
    client.force_login(bewoner)
    html = client.get(reverse("mijn-wijk")).content.decode()
    assert "Crooswijk" in html and "in behandeling" in html
