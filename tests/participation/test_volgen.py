"""Following an initiative (double opt-in, confirm, unsubscribe, the mails to confirmed
followers after a progress update, retention), linking a melding to its initiative, and the
progress on the public cycle page: services, views (permissions, hostile input, query counts,
the page cache) and the Celery tasks (eager)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import Fase
from cycle.services_programma import Update, voortgang_melden
from notices.models import Notice
from participation import services, services_volgen, tasks
from participation.models import Meldingstatus, Spoor, Volgbericht, Volger
from people.models import Rol
from tests.cycle.test_uitvoering_views import fresh, uitvoering_met_initiatieven
from tests.people.factories import user_with_role

from .factories import MeldingFactory

EMAIL = "bewoner@example.nl"


@pytest.fixture
def uitvoering(werkgebied, make_cycle, stadsbeheer, wijkmanager, accounthouder):
    return uitvoering_met_initiatieven(
        werkgebied,
        drafter=wijkmanager,
        accounthouder=accounthouder,
        cluster=stadsbeheer,
        make_cycle=make_cycle,
    )


@pytest.fixture
def initiatief(uitvoering):
    return uitvoering[1][0]


def run(capture, fn, *args, **kwargs):
    """Run ``fn`` and what it leaves for after the commit (the kick: eager Celery)."""
    with capture(execute=True):
        return fn(*args, **kwargs)


def volg_url(initiatief):
    cyclus = initiatief.wijkprogramma.cyclus
    return (
        f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkprogramma/initiatieven/"
        f"{initiatief.pk}/volgen/"
    )


def detail_url(initiatief):
    return volg_url(initiatief).removesuffix("volgen/")


def link(body, soort):
    return re.search(rf"https?://\S+/volgen/{soort}/([-\w]+)/", body).group(1)


def bevestigd(initiatief, email=EMAIL):
    volger = Volger.objects.create(initiatief=initiatief, email=email)
    Volger.objects.filter(pk=volger.pk).update(bevestigd_op=timezone.now())
    return Volger.objects.get(pk=volger.pk)


def melden(initiatief, user, *, percentage=50, tekst="Het gaat goed.", status=None):
    initiatief = fresh(initiatief)
    return voortgang_melden(
        user=user,
        update=Update(
            initiatief, initiatief.versie, tekst=tekst, percentage=percentage, status=status
        ),
    )


def volg_notice():
    return Notice.objects.get(kind__startswith="participation.volgen")


# --------------------------------------------------------------------------- services


def test_subscribe_sends_one_confirmation_and_nothing_else(
    initiatief, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    volger = run(
        django_capture_on_commit_callbacks,
        services_volgen.volgen_aanmelden,
        initiatief=initiatief,
        email=EMAIL,
    )
    assert not volger.is_bevestigd
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == [EMAIL]
    assert link(bericht.body, "bevestigen") == volger.token
    # The token is rendered when sent: not stored in the outbox.
    assert volger.token not in Notice.objects.get(kind=services_volgen.KIND_BEVESTIGEN).body
    entry = AuditEntry.objects.get(action="participation.volger_aangemeld")
    assert EMAIL not in str(entry.data)


def test_subscribing_again_makes_no_duplicate_and_no_flood(
    initiatief, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    for email in (EMAIL, "  Bewoner@Example.NL ", EMAIL):
        run(
            django_capture_on_commit_callbacks,
            services_volgen.volgen_aanmelden,
            initiatief=initiatief,
            email=email,
        )
    assert Volger.objects.count() == 1
    # The confirmation again only after an hour.
    assert len(mail.outbox) == 1
    Volger.objects.update(bevestiging_gevraagd_op=timezone.now() - datetime.timedelta(hours=2))
    run(
        django_capture_on_commit_callbacks,
        services_volgen.volgen_aanmelden,
        initiatief=initiatief,
        email=EMAIL,
    )
    assert len(mail.outbox) == 2


def test_confirmed_address_gets_nothing_on_subscribing_again(
    initiatief, django_capture_on_commit_callbacks
):
    bevestigd(initiatief)
    mail.outbox.clear()
    run(
        django_capture_on_commit_callbacks,
        services_volgen.volgen_aanmelden,
        initiatief=initiatief,
        email=EMAIL.upper(),
    )
    assert mail.outbox == []
    assert Volger.objects.get().is_bevestigd


def test_signed_in_user_follows_with_own_address_at_once(initiatief, wijkmanager):
    volger = services_volgen.volgen_aanmelden(
        initiatief=initiatief, email=wijkmanager.email, user=wijkmanager
    )
    assert volger.is_bevestigd
    assert not Notice.objects.filter(kind__startswith="participation.volgen").exists()


@pytest.mark.parametrize(
    "email,code",
    [
        ("", "required"),
        ("geen-adres", "invalid"),
        ("a@b.nl\r\nBcc: iedereen@example.nl", "invalid"),
        ("x" * 250 + "@example.nl", "max_length"),
    ],
)
def test_hostile_addresses_get_a_field_error(initiatief, email, code):
    with pytest.raises(ValidationError) as exc:
        services_volgen.volgen_aanmelden(initiatief=initiatief, email=email)
    assert exc.value.error_dict["email"][0].code == code
    assert not Volger.objects.exists()


def test_confirm_and_unsubscribe_by_token_only(initiatief, uitvoering):
    ander = uitvoering[1][1]
    mijn = services_volgen.volgen_aanmelden(initiatief=initiatief, email=EMAIL)
    zijn = services_volgen.volgen_aanmelden(initiatief=ander, email=EMAIL)
    assert len(mijn.token) >= 43 and mijn.token != zijn.token
    services_volgen.volgen_bevestigen(token=mijn.token)
    assert Volger.objects.get(pk=mijn.pk).is_bevestigd
    assert not Volger.objects.get(pk=zijn.pk).is_bevestigd
    for token in ("", "x" * 500, mijn.token[:-1] + "?"):
        with pytest.raises(services_volgen.VolgError):
            services_volgen.volgen_afmelden(token=token)
    services_volgen.volgen_afmelden(token=mijn.token)
    assert list(Volger.objects.values_list("pk", flat=True)) == [zijn.pk]
    with pytest.raises(services_volgen.VolgError):
        services_volgen.volgen_bevestigen(token=mijn.token)


def test_progress_mails_only_the_confirmed_followers_in_batches(
    initiatief, uitvoering, accounthouder, django_capture_on_commit_callbacks
):
    for n in range(5):
        bevestigd(initiatief, f"volger{n}@example.nl")
    Volger.objects.create(initiatief=initiatief, email="onbevestigd@example.nl")
    bevestigd(uitvoering[1][1], "ander@example.nl")
    mail.outbox.clear()
    aantal = services_volgen.BATCH
    services_volgen.BATCH = 2
    try:
        run(django_capture_on_commit_callbacks, melden, initiatief, accounthouder, percentage=40)
    finally:
        services_volgen.BATCH = aantal
    ontvangers = sorted(m.to[0] for m in mail.outbox)
    assert ontvangers == [f"volger{n}@example.nl" for n in range(5)]
    bericht = mail.outbox[0]
    assert "40% klaar" in bericht.subject
    assert "Het gaat goed." in bericht.body
    token = link(bericht.body, "afmelden")
    assert Volger.objects.get(token=token).email == bericht.to[0]
    # No other follower's address in any mail.
    assert all("volger" not in m.body for m in mail.outbox)
    assert Volgbericht.objects.get().verwerkt_op is not None
    # Idempotent: running the fan-out again sends nothing new.
    assert tasks.volgbericht_versturen(Volgbericht.objects.get().pk) == 0
    assert Notice.objects.filter(kind=services_volgen.KIND_UPDATE).count() == 5


def test_batched_fan_out_resumes_where_it_stopped(initiatief, accounthouder):
    for n in range(3):
        bevestigd(initiatief, f"volger{n}@example.nl")
    melden(initiatief, accounthouder)  # not committed callbacks: the broker "was down"
    bericht = Volgbericht.objects.get()
    assert services_volgen.volgbericht_verwerken(bericht_id=bericht.pk, batch=2) == 3
    assert tasks.volgberichten_sweep() == 0
    assert Notice.objects.filter(kind=services_volgen.KIND_UPDATE).count() == 3


def test_no_message_without_followers_or_without_a_change(
    initiatief, accounthouder, django_capture_on_commit_callbacks
):
    Volger.objects.create(initiatief=initiatief, email="onbevestigd@example.nl")
    run(django_capture_on_commit_callbacks, melden, initiatief, accounthouder)
    assert not Volgbericht.objects.exists()
    bevestigd(initiatief)
    # A refused update (no text) changes nothing and tells nobody.
    with pytest.raises(ValidationError):
        run(django_capture_on_commit_callbacks, melden, initiatief, accounthouder, tekst="")
    assert not Volgbericht.objects.exists()


def test_broker_down_keeps_the_subscription_and_the_sweep_sends(
    initiatief, accounthouder, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def weg(*args, **kwargs):
        raise ConnectionRefusedError("broker weg")

    monkeypatch.setattr("participation.services_volgen.queue_now", weg)
    monkeypatch.setattr("notices.services.queue_now", weg)
    mail.outbox.clear()
    volger = run(
        django_capture_on_commit_callbacks,
        services_volgen.volgen_aanmelden,
        initiatief=initiatief,
        email=EMAIL,
    )
    assert Volger.objects.filter(pk=volger.pk).exists()
    assert volg_notice().status == Notice.Status.PENDING
    services_volgen.volgen_bevestigen(token=volger.token)
    run(django_capture_on_commit_callbacks, melden, initiatief, accounthouder)
    assert Volgbericht.objects.get().verwerkt_op is None
    assert tasks.volgberichten_sweep() == 1
    from notices.services import notices_send_pending

    notices_send_pending()
    assert sorted(m.subject[:8] for m in mail.outbox if m.to == [EMAIL]) == [
        "Bevestig",
        "‘Schoonm",
    ]


def test_unsubscribe_cancels_pending_mails(initiatief, accounthouder):
    volger = bevestigd(initiatief)
    melden(initiatief, accounthouder)
    services_volgen.volgbericht_verwerken(bericht_id=Volgbericht.objects.get().pk)
    assert volg_notice().status == Notice.Status.PENDING
    services_volgen.volgen_afmelden(token=volger.token)
    assert volg_notice().status == Notice.Status.FAILED


def test_retention_removes_unconfirmed_after_a_week(initiatief, django_capture_on_commit_callbacks):
    oud = run(
        django_capture_on_commit_callbacks,
        services_volgen.volgen_aanmelden,
        initiatief=initiatief,
        email="oud@example.nl",
    )
    Volger.objects.filter(pk=oud.pk).update(
        aangemaakt_op=timezone.now() - datetime.timedelta(days=8)
    )
    nieuw = services_volgen.volgen_aanmelden(initiatief=initiatief, email="nieuw@example.nl")
    blijft = bevestigd(initiatief, "blijft@example.nl")
    Volger.objects.filter(pk=blijft.pk).update(
        aangemaakt_op=timezone.now() - datetime.timedelta(days=80)
    )
    assert tasks.volgers_bewaartermijn() == 1
    assert set(Volger.objects.values_list("pk", flat=True)) == {nieuw.pk, blijft.pk}
    assert not Notice.objects.filter(recipient="oud@example.nl").exists()
    assert tasks.volgers_bewaartermijn() == 0


def test_not_followable_before_the_programme_is_public(
    werkgebied, make_cycle, stadsbeheer, wijkmanager, accounthouder
):
    _cyclus, initiatieven = uitvoering_met_initiatieven(
        werkgebied,
        drafter=wijkmanager,
        accounthouder=accounthouder,
        cluster=stadsbeheer,
        make_cycle=make_cycle,
        publiceren=False,
    )
    with pytest.raises(services_volgen.VolgError):
        services_volgen.volgen_aanmelden(initiatief=initiatieven[0], email=EMAIL)


# ------------------------------------------------------------------------------ views


def test_follow_form_same_answer_and_dutch_errors(client, initiatief, settings):
    settings.MELDING_RATE = "100/h"
    response = client.get(detail_url(initiatief))
    assert response.status_code == 200
    assert "Volg dit initiatief" in response.content.decode()
    for _ in range(2):
        response = client.post(volg_url(initiatief), {"email": EMAIL})
        assert response.status_code == 302
        assert response["Location"] == detail_url(initiatief)
    assert Volger.objects.count() == 1
    response = client.post(volg_url(initiatief), {"email": "a@b.nl\nBcc: x@y.nl"})
    assert response.status_code == 200
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    response = client.post(volg_url(initiatief), {"email": "x" * 300 + "@example.nl"})
    assert response.status_code == 200
    assert "hoogstens 254 tekens" in response.content.decode()
    # A robot filling the honeypot gets the same answer, and nothing is stored.
    response = client.post(volg_url(initiatief), {"email": "robot@example.nl", "website": "x"})
    assert response.status_code == 302
    assert Volger.objects.count() == 1


def test_follow_form_is_rate_limited(client, initiatief, settings):
    settings.MELDING_RATE = "2/h"
    for n in range(2):
        client.post(volg_url(initiatief), {"email": f"a{n}@example.nl"})
    response = client.post(volg_url(initiatief), {"email": "a3@example.nl"})
    assert response.status_code == 200
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert Volger.objects.count() == 2


def test_follow_page_of_a_programme_not_public(
    client, werkgebied, make_cycle, stadsbeheer, wijkmanager, accounthouder
):
    _cyclus, initiatieven = uitvoering_met_initiatieven(
        werkgebied,
        drafter=wijkmanager,
        accounthouder=accounthouder,
        cluster=stadsbeheer,
        make_cycle=make_cycle,
        publiceren=False,
    )
    response = client.get(volg_url(initiatieven[0]))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    client.force_login(wijkmanager)
    response = client.get(volg_url(initiatieven[0]))
    assert "kunt u nu niet volgen" in response.content.decode()
    assert client.post(volg_url(initiatieven[0]), {"email": EMAIL}).status_code == 200
    assert not Volger.objects.exists()


def test_token_pages(client, initiatief):
    volger = services_volgen.volgen_aanmelden(initiatief=initiatief, email=EMAIL)
    response = client.get(f"/volgen/bevestigen/{volger.token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert EMAIL not in response.content.decode()
    assert not Volger.objects.get().is_bevestigd  # GET does nothing (mail scanners)
    response = client.post(f"/volgen/bevestigen/{volger.token}/")
    assert response.status_code == 302
    assert Volger.objects.get().is_bevestigd
    assert client.get("/volgen/afmelden/onzin/").status_code == 404
    assert client.post("/volgen/afmelden/onzin/").status_code == 404
    assert client.get("/volgen/afmelden/" + "x" * 300 + "/").status_code == 404
    response = client.post(f"/volgen/afmelden/{volger.token}/")
    assert response.status_code == 302
    assert not Volger.objects.exists()


def test_signed_in_user_follows_with_account_address(client, initiatief, wijkmanager):
    client.force_login(wijkmanager)
    response = client.get(volg_url(initiatief))
    assert wijkmanager.email in response.content.decode()
    client.post(volg_url(initiatief), {"email": wijkmanager.email})
    assert Volger.objects.get().is_bevestigd


# ------------------------------------------------------------ the public cycle page


def cyclus_url(cyclus):
    return f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/"


def test_cycle_page_lists_progress_and_follows_updates_through_the_cache(
    client, uitvoering, accounthouder
):
    cyclus, initiatieven = uitvoering
    response = client.get(cyclus_url(cyclus))
    html = response.content.decode()
    assert "Voortgang van de initiatieven" in html
    assert initiatieven[0].titel in html and "0% klaar" in html
    assert client.get(cyclus_url(cyclus))["X-Paginacache"] == "hit"
    melden(initiatieven[0], accounthouder, percentage=65)
    html = client.get(cyclus_url(cyclus)).content.decode()
    assert "65% klaar" in html
    assert 'value="65"' in html


def test_cycle_page_queries_do_not_grow_with_initiatives(
    client, uitvoering, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    cyclus, _initiatieven = uitvoering
    with django_assert_max_num_queries(30) as eerst:
        client.get(cyclus_url(cyclus))
    from cycle.models import Initiatief

    basis = Initiatief.objects.filter(wijkprogramma__cyclus=cyclus).first()
    for n in range(25):
        basis.pk = None
        basis.titel = f"Extra {n}"
        basis.save()
    with django_assert_max_num_queries(len(eerst.captured_queries)):
        html = client.get(cyclus_url(cyclus)).content.decode()
    assert "Volgende" in html  # paginated
    assert "Extra 24" not in html or "Extra 0" not in html


def test_cycle_page_hides_progress_of_a_programme_not_public(
    client, werkgebied, make_cycle, stadsbeheer, wijkmanager, accounthouder
):
    cyclus, _ = uitvoering_met_initiatieven(
        werkgebied,
        drafter=wijkmanager,
        accounthouder=accounthouder,
        cluster=stadsbeheer,
        make_cycle=make_cycle,
        publiceren=False,
    )
    assert "Voortgang van de initiatieven" not in client.get(cyclus_url(cyclus)).content.decode()


# --------------------------------------------------------- meldingen and initiatives


@pytest.fixture
def opgenomen(uitvoering, wijk):
    cyclus = uitvoering[0]
    return MeldingFactory(wijk=wijk, status=Meldingstatus.OPGENOMEN, cyclus=cyclus)


def test_link_melding_to_initiative(opgenomen, initiatief, wijkmanager, uitvoering):
    melding = services.melding_initiatief(
        melding_id=opgenomen.pk,
        user=wijkmanager,
        initiatief=initiatief,
        expected_versie=opgenomen.versie,
    )
    assert melding.initiatief_id == initiatief.pk
    assert Spoor.objects.get(melding=melding).initiatief_id == initiatief.pk
    assert AuditEntry.objects.filter(action="participation.melding_initiatief").count() == 1
    with pytest.raises(services.StaleMeldingError):
        services.melding_initiatief(
            melding_id=opgenomen.pk,
            user=wijkmanager,
            initiatief=None,
            expected_versie=opgenomen.versie,
        )
    services.melding_initiatief(
        melding_id=opgenomen.pk, user=wijkmanager, initiatief=None, expected_versie=melding.versie
    )
    assert not Spoor.objects.filter(melding=melding).exists()


def test_link_checks_cycle_status_and_permission(
    opgenomen, initiatief, wijkmanager, accounthouder, ander_werkgebied, make_cycle, make_melding
):
    with pytest.raises(PermissionDenied):
        services.melding_initiatief(
            melding_id=opgenomen.pk, user=accounthouder, initiatief=initiatief, expected_versie=None
        )
    ander = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    with pytest.raises(PermissionDenied):
        services.melding_initiatief(
            melding_id=opgenomen.pk, user=ander, initiatief=initiatief, expected_versie=None
        )
    nieuw = make_melding(status=Meldingstatus.IN_BEHANDELING)
    with pytest.raises(services.MeldingError):
        services.melding_initiatief(
            melding_id=nieuw.pk, user=wijkmanager, initiatief=initiatief, expected_versie=None
        )
    andere_cyclus = make_cycle(opgenomen.werkgebied, jaar=2031, fase=Fase.ANALYSE)
    opgenomen.cyclus = andere_cyclus
    opgenomen.save()
    with pytest.raises(ValidationError) as exc:
        services.melding_initiatief(
            melding_id=opgenomen.pk, user=wijkmanager, initiatief=initiatief, expected_versie=None
        )
    assert "initiatief" in exc.value.error_dict


def test_handling_page_links_and_tracking_page_shows_initiative(
    client, opgenomen, initiatief, wijkmanager, accounthouder
):
    client.force_login(wijkmanager)
    url = f"/meldingen/{opgenomen.code}/behandelen/"
    assert "Initiatief in het wijkprogramma" in client.get(url).content.decode()
    response = client.post(
        url, {"actie": "initiatief", "versie": opgenomen.versie, "initiatief": "999999"}
    )
    assert "Kies een initiatief uit de lijst" in response.content.decode()
    response = client.post(
        url, {"actie": "initiatief", "versie": opgenomen.versie, "initiatief": initiatief.pk}
    )
    assert response.status_code == 302
    client.logout()
    melden(initiatief, accounthouder, percentage=30)
    html = client.get(f"/meldingen/{opgenomen.code}/").content.decode()
    assert "Heeft geleid tot het initiatief" in html and initiatief.titel in html
    assert "30% klaar" in html
    html = client.get(detail_url(initiatief)).content.decode()
    assert "1 melding van bewoners heeft tot dit initiatief geleid" in html


def test_accounthouder_cannot_link(client, opgenomen, initiatief, accounthouder):
    client.force_login(accounthouder)
    response = client.post(
        f"/meldingen/{opgenomen.code}/behandelen/",
        {"actie": "initiatief", "versie": opgenomen.versie, "initiatief": initiatief.pk},
    )
    assert response.status_code == 403
