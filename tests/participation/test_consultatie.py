"""Consultations: opened with the product's step (defaults: today, six weeks), opened and
closed by their dates by the beat task, reactions placed with an account or a confirmed
address (one-time, expiring link through the outbox), answered and hidden (never deleted),
the adoption blocked while one is unanswered, and the nota van beantwoording."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services as cycle_services
from cycle.models import Fase, Productstatus
from notices.services import notices_send_pending
from participation import services_consultatie as services
from participation import tasks
from participation.models import Consultatiestatus, Reactie, Reactiestatus
from people.models import Rol
from tests.people.factories import UserFactory, user_with_role

from .consultatie import gesloten, reactie, voorbereid


@pytest.fixture
def agenda(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA).wijkagenda


@pytest.fixture
def consultatie(agenda, wijkmanager):
    return voorbereid(agenda, wijkmanager)


def _agenda(consultatie):
    return (
        type(consultatie.product)
        .objects.select_related("cyclus__werkgebied")
        .get(pk=consultatie.product.pk)
    )


@pytest.mark.django_db
def test_going_into_consultation_opens_it_today_for_six_weeks(consultatie):
    today = timezone.localdate()
    assert consultatie.opent_op == today
    assert consultatie.sluit_op == today + datetime.timedelta(weeks=6)
    assert consultatie.status == Consultatiestatus.OPEN
    assert consultatie.is_open
    assert consultatie.dagen_over() == 43
    assert "wijkagenda" in consultatie.vraag
    assert AuditEntry.objects.filter(action="participation.consultatie_aangemaakt").count() == 1


@pytest.mark.django_db
def test_beat_task_opens_and_closes_by_the_date(consultatie, wijkmanager):
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    services.consultatie_wijzigen(
        consultatie=consultatie,
        user=wijkmanager,
        expected_versie=consultatie.versie,
        vraag="Wat vindt u ervan?",
        opent_op=morgen,
        sluit_op=morgen + datetime.timedelta(days=10),
    )
    consultatie.refresh_from_db()
    assert consultatie.status == Consultatiestatus.GEPLAND
    assert services.consultaties_bijwerken() == 0
    assert services.consultaties_bijwerken(today=morgen) == 1
    consultatie.refresh_from_db()
    assert consultatie.status == Consultatiestatus.OPEN
    # Idempotent.
    assert services.consultaties_bijwerken(today=morgen) == 0
    assert services.consultaties_bijwerken(today=morgen + datetime.timedelta(days=11)) == 1
    consultatie.refresh_from_db()
    assert consultatie.status == Consultatiestatus.GESLOTEN
    assert AuditEntry.objects.filter(action="participation.consultatie_gesloten").exists()


@pytest.mark.django_db
def test_the_celery_task_is_scheduled_by_beat(settings, consultatie):
    entry = settings.CELERY_BEAT_SCHEDULE["consultaties-bijwerken"]
    assert entry["task"] == "participation.tasks.consultaties_bijwerken"
    gesloten_ = consultatie
    from participation.models import Consultatie

    Consultatie.objects.filter(pk=gesloten_.pk).update(
        opent_op=timezone.localdate() - datetime.timedelta(days=10),
        sluit_op=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert tasks.consultaties_bijwerken.apply().get() == 1


@pytest.mark.django_db
def test_signed_in_reaction_is_placed_at_once(consultatie):
    bewoner = UserFactory()
    r = services.reactie_plaatsen(consultatie=consultatie, tekst="  Goed plan.  ", user=bewoner)
    assert r.status == Reactiestatus.GEPLAATST
    assert r.tekst == "Goed plan."
    assert r.auteur == bewoner
    entry = AuditEntry.objects.get(action="participation.reactie_geplaatst")
    assert bewoner.email not in str(entry.data)


@pytest.mark.django_db(transaction=True)
def test_reaction_by_email_waits_for_the_one_time_link(consultatie):
    mail.outbox.clear()
    r = services.reactie_plaatsen(
        consultatie=consultatie, tekst="Meer bankjes.", email="Iemand@Example.nl"
    )
    assert r.status == Reactiestatus.WACHT
    notices_send_pending()
    bericht = [m for m in mail.outbox if m.to == ["Iemand@Example.nl"]][-1]
    token = r.token
    assert f"/reactie/bevestigen/{token}/" in bericht.body
    # Not stored in the outbox.
    from notices.models import Notice

    assert not Notice.objects.filter(body__contains=token).exists()
    placed = services.reactie_bevestigen(token=token)
    assert placed.status == Reactiestatus.GEPLAATST and placed.token is None
    # Single use.
    with pytest.raises(services.ConsultatieError):
        services.reactie_bevestigen(token=token)


@pytest.mark.django_db
def test_expired_link_places_nothing_and_the_beat_task_removes_it(consultatie):
    r = reactie(
        consultatie,
        Reactiestatus.WACHT,
        token_geldig_tot=timezone.now() - datetime.timedelta(minutes=1),
    )
    with pytest.raises(services.ConsultatieError):
        services.reactie_bevestigen(token=r.token)
    assert Reactie.objects.get(pk=r.pk).status == Reactiestatus.WACHT
    services.consultaties_bijwerken()
    assert not Reactie.objects.filter(pk=r.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tekst, fout",
    [("", "Vul uw reactie in."), ("   ", "Vul uw reactie in."), ("x" * 10_000, "Hoogstens 5000")],
)
def test_bad_text_is_refused_on_the_field(consultatie, tekst, fout):
    with pytest.raises(ValidationError) as exc:
        services.reactie_plaatsen(consultatie=consultatie, tekst=tekst, user=UserFactory())
    assert fout in str(exc.value.message_dict["tekst"])
    assert not Reactie.objects.exists()


@pytest.mark.django_db
def test_part_must_belong_to_this_product(consultatie, ander_werkgebied, make_cycle):
    punt = _agenda(consultatie).agendapunten.order_by("rang").first()
    r = services.reactie_plaatsen(
        consultatie=consultatie, tekst="Eens", onderdeel=f"agendapunt-{punt.pk}", user=UserFactory()
    )
    assert r.agendapunt == punt
    ander = voorbereid(make_cycle(ander_werkgebied, jaar=2027, fase=Fase.AGENDA).wijkagenda)
    vreemd = _agenda(ander).agendapunten.first()
    for waarde in (f"agendapunt-{vreemd.pk}", "initiatief-1", "agendapunt-x", "iets"):
        with pytest.raises(ValidationError) as exc:
            services.reactie_plaatsen(
                consultatie=consultatie, tekst="Eens", onderdeel=waarde, user=UserFactory()
            )
        assert "onderdeel" in exc.value.message_dict


@pytest.mark.django_db
def test_closed_consultation_takes_no_reaction(consultatie):
    dicht = gesloten(consultatie)
    with pytest.raises(services.ConsultatieError) as exc:
        services.reactie_plaatsen(consultatie=dicht, tekst="Te laat", user=UserFactory())
    assert "gesloten" in exc.value.message


@pytest.mark.django_db
def test_answer_and_hide_with_permission_and_version(consultatie, wijkmanager, ander_werkgebied):
    r = reactie(consultatie)
    with pytest.raises(PermissionDenied):
        services.reactie_beantwoorden(
            reactie=r,
            user=user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied),
            expected_versie=r.versie,
            antwoord="Nee",
        )
    r = services.reactie_beantwoorden(
        reactie=r, user=wijkmanager, expected_versie=1, antwoord="Dank u.", wat_veranderd="Punt 2"
    )
    assert r.versie == 2 and r.antwoord == "Dank u."
    with pytest.raises(services.VerouderdError):
        services.reactie_verbergen(reactie=r, user=wijkmanager, expected_versie=1, reden="x")
    with pytest.raises(ValidationError):
        services.reactie_verbergen(reactie=r, user=wijkmanager, expected_versie=2, reden=" ")
    r = services.reactie_verbergen(reactie=r, user=wijkmanager, expected_versie=2, reden="Kwetsend")
    assert Reactie.objects.get(pk=r.pk).status == Reactiestatus.VERBORGEN


@pytest.mark.django_db
def test_adoption_blocked_while_a_reaction_is_unanswered(consultatie, wijkmanager):
    for _ in range(3):
        reactie(consultatie)
    reactie(consultatie, Reactiestatus.VERBORGEN)
    reactie(consultatie, Reactiestatus.WACHT)
    agenda = _agenda(consultatie)
    with pytest.raises(cycle_services.TransitionError) as exc:
        cycle_services.product_transition(
            product=agenda,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONSULTATIE,
        )
    assert "3 reacties zonder antwoord" in exc.value.message
    for r in Reactie.objects.filter(status=Reactiestatus.GEPLAATST):
        services.reactie_beantwoorden(
            reactie=r, user=wijkmanager, expected_versie=r.versie, antwoord="Dank u."
        )
    agenda = cycle_services.product_transition(
        product=_agenda(consultatie),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONSULTATIE,
    )
    assert agenda.status == Productstatus.VASTGESTELD
    consultatie.refresh_from_db()
    assert consultatie.status == Consultatiestatus.GESLOTEN
    # After adoption the nota is fixed: no answer changes.
    r = Reactie.objects.filter(status=Reactiestatus.GEPLAATST).first()
    with pytest.raises(PermissionDenied):
        services.reactie_beantwoorden(
            reactie=r, user=wijkmanager, expected_versie=r.versie, antwoord="Later"
        )


@pytest.mark.django_db
def test_published_snapshot_carries_the_anonymised_nota(consultatie, wijkmanager):
    from publication.models import Publicatie

    auteur = UserFactory(email="geheim@example.nl", naam="Geheime Naam")
    r = reactie(consultatie, auteur=auteur, email="", tekst="Meer groen <script>x</script>")
    services.reactie_beantwoorden(
        reactie=r, user=wijkmanager, expected_versie=1, antwoord="Komt er.", wat_veranderd="Punt 3"
    )
    reactie(consultatie, Reactiestatus.VERBORGEN, verborgen_reden="Scheldwoorden")
    agenda = cycle_services.product_transition(
        product=_agenda(consultatie),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONSULTATIE,
    )
    cycle_services.product_transition(
        product=agenda,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
    html = Publicatie.objects.get(soort="wijkagenda").html
    assert "Nota van beantwoording" in html
    assert "Komt er." in html and "Punt 3" in html
    assert "Verborgen door de wijkmanager: Scheldwoorden" in html
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert "geheim@example.nl" not in html and "Geheime Naam" not in html
    assert "bewoner@example.nl" not in html
