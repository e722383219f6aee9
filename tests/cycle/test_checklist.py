"""The service that saves a respondent's checklist "Wat is er aan de hand in de wijk?":
create, update, empty answers, who may answer as what, a closed checklist, stale forms, the
race of two first submits, quoted answers kept, and the audit entry (counts, never words)."""

import datetime
import importlib
import json
import threading

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import (
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Fase,
    Productstatus,
    Respondent,
    Wijkanalyse,
    Wijkthema,
)
from cycle.services import StaleStateError, TransitionError
from cycle.services_analyse import citaat_toevoegen
from cycle.services_checklist import checklist_opslaan
from people.models import Rol
from tests.people.factories import ClusterFactory, RoltoewijzingFactory, UserFactory, user_with_role


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


@pytest.fixture
def analyse(cyclus):
    return verse(cyclus.wijkanalyse)


@pytest.fixture
def bewoner(werkgebied):
    return user_with_role(Rol.BEWONER, werkgebied=werkgebied)


def verse(analyse):
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(pk=analyse.pk)


def opslaan(analyse, user, antwoorden, *, respondent=Respondent.BEWONER, versie=None):
    return checklist_opslaan(
        wijkanalyse=analyse,
        user=user,
        respondent=respondent,
        antwoorden=antwoorden,
        expected_versie=versie,
    )


def antwoorden_van(invulling) -> dict[int, str]:
    return dict(
        ChecklistAntwoord.objects.filter(invulling=invulling).values_list("vraag__nummer", "tekst")
    )


def entries():
    return AuditEntry.objects.filter(action="cycle.checklist_ingevuld")


# ---------------------------------------------------------------------- create and update


@pytest.mark.django_db
def test_a_resident_fills_in_part_of_the_checklist(analyse, bewoner):
    versie_analyse = analyse.versie
    invulling = opslaan(analyse, bewoner, {1: "  Vooruit, sinds de nieuwbouw.\r\n", 3: "Afval"})
    assert invulling.versie == 1
    assert invulling.respondent == Respondent.BEWONER
    assert invulling.gewijzigd is True
    assert invulling.vastgehouden == []
    assert antwoorden_van(invulling) == {1: "Vooruit, sinds de nieuwbouw.", 3: "Afval"}
    # Answering is not an edit of the analysis: the wijkmanager's page does not go stale.
    assert verse(analyse).versie == versie_analyse


@pytest.mark.django_db
def test_update_changes_adds_and_removes_emptied_answers(analyse, bewoner):
    eerste = opslaan(analyse, bewoner, {1: "Vooruit", 3: "Afval", 4: "Tijdelijk"})
    tweede = opslaan(
        analyse, bewoner, {1: "Achteruit", 3: "", 5: "Nieuwe problemen"}, versie=eerste.versie
    )
    assert tweede.pk == eerste.pk
    assert tweede.versie == 2
    # Question 4 was not sent: it stays as it was.
    assert antwoorden_van(tweede) == {1: "Achteruit", 4: "Tijdelijk", 5: "Nieuwe problemen"}
    data = entries().order_by("pk").last().data
    assert (data["nieuw"], data["gewijzigd"], data["verwijderd"], data["aantal"]) == (1, 1, 1, 3)
    assert data["eerste_keer"] is False


@pytest.mark.django_db
def test_saving_the_same_answers_again_changes_nothing(analyse, bewoner):
    eerste = opslaan(analyse, bewoner, {1: "Vooruit"})
    weer = opslaan(analyse, bewoner, {1: "Vooruit ", 2: ""}, versie=1)
    assert weer.gewijzigd is False
    assert ChecklistInvulling.objects.get(pk=eerste.pk).versie == 1
    assert entries().count() == 1


@pytest.mark.django_db
def test_an_entirely_empty_checklist_is_refused(analyse, bewoner):
    with pytest.raises(ValidationError) as exc:
        opslaan(analyse, bewoner, {1: "", 2: "   "})
    assert "Vul minstens één vraag in" in exc.value.messages[0]
    assert not ChecklistInvulling.objects.exists()

    invulling = opslaan(analyse, bewoner, {1: "Vooruit", 2: "Veiliger"})
    with pytest.raises(ValidationError):
        opslaan(analyse, bewoner, {1: "", 2: ""}, versie=invulling.versie)
    assert antwoorden_van(invulling) == {1: "Vooruit", 2: "Veiliger"}
    assert ChecklistInvulling.objects.get(pk=invulling.pk).versie == 1


@pytest.mark.django_db
def test_too_long_and_hostile_answers_are_refused_per_question(analyse, bewoner):
    with pytest.raises(ValidationError) as exc:
        opslaan(analyse, bewoner, {1: "Kort", 3: "x" * 2001, 4: "nul\x00teken"})
    fouten = exc.value.message_dict
    assert set(fouten) == {"vraag_3", "vraag_4"}
    assert "ten hoogste 2000 tekens" in fouten["vraag_3"][0]
    assert not ChecklistInvulling.objects.exists()
    # Exactly 2000 is fine.
    invulling = opslaan(analyse, bewoner, {3: "x" * 2000})
    assert len(antwoorden_van(invulling)[3]) == 2000


@pytest.mark.django_db
def test_unknown_or_inactive_questions_and_respondent_types_are_refused(analyse, bewoner):
    with pytest.raises(ValidationError):
        opslaan(analyse, bewoner, {41: "Bestaat niet"})
    ChecklistVraag.objects.filter(nummer=2).update(actief=False)
    with pytest.raises(ValidationError):
        opslaan(analyse, bewoner, {2: "Niet meer gevraagd"})
    with pytest.raises(ValidationError):
        opslaan(analyse, bewoner, {1: "Vooruit"}, respondent="burgemeester")
    assert not ChecklistInvulling.objects.exists()


# ---------------------------------------------------------------------------------- roles


def _respondenten(werkgebied, ander_werkgebied):
    """(user, respondent type) pairs that may answer, and pairs that may not."""
    cluster = ClusterFactory(slug="stadsbeheer")
    mogen = [
        (user_with_role(Rol.BEWONER, werkgebied=werkgebied), Respondent.BEWONER),
        (user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied), Respondent.WIJKMANAGER),
        (user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied), Respondent.WIJKMANAGER),
        (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=werkgebied.gebied),
            Respondent.ACCOUNTHOUDER,
        ),
        (user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied), Respondent.WIJKRAADSLID),
    ]
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    verlopen = {"geldig_vanaf": gisteren - datetime.timedelta(days=30), "geldig_tot": gisteren}
    niet = [
        (UserFactory(), Respondent.BEWONER),
        (user_with_role(Rol.RAAD), Respondent.BEWONER),
        (user_with_role(Rol.BEHEERDER), Respondent.WIJKMANAGER),
        (user_with_role(Rol.BEWONER, werkgebied=ander_werkgebied), Respondent.BEWONER),
        (user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied), Respondent.WIJKMANAGER),
        (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=ander_werkgebied.gebied),
            Respondent.ACCOUNTHOUDER,
        ),
        (user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied), Respondent.WIJKRAADSLID),
        (
            RoltoewijzingFactory(rol=Rol.BEWONER, werkgebied=werkgebied, **verlopen).user,
            Respondent.BEWONER,
        ),
        (
            RoltoewijzingFactory(rol=Rol.WIJKMANAGER, werkgebied=werkgebied, **verlopen).user,
            Respondent.WIJKMANAGER,
        ),
        # A role the user does not hold, though they hold another one here.
        (user_with_role(Rol.BEWONER, werkgebied=werkgebied), Respondent.WIJKRAADSLID),
        (user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied), Respondent.BEWONER),
    ]
    return mogen, niet


@pytest.mark.django_db
def test_each_role_answers_as_itself_in_its_own_werkgebied(analyse, werkgebied, ander_werkgebied):
    mogen, niet = _respondenten(werkgebied, ander_werkgebied)
    for user, respondent in mogen:
        invulling = opslaan(analyse, user, {1: "Vooruit"}, respondent=respondent)
        assert invulling.respondent == respondent
    for user, respondent in niet:
        with pytest.raises(PermissionDenied):
            opslaan(analyse, user, {1: "Vooruit"}, respondent=respondent)
    assert ChecklistInvulling.objects.count() == len(mogen)
    assert entries().count() == len(mogen)


@pytest.mark.django_db
def test_someone_with_two_roles_has_a_checklist_per_role(analyse, werkgebied):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    RoltoewijzingFactory(user=lid, rol=Rol.BEWONER, werkgebied=werkgebied)
    als_lid = opslaan(analyse, lid, {1: "Als lid"}, respondent=Respondent.WIJKRAADSLID)
    als_bewoner = opslaan(analyse, lid, {1: "Als bewoner"}, respondent=Respondent.BEWONER)
    assert als_lid.pk != als_bewoner.pk
    assert antwoorden_van(als_lid) == {1: "Als lid"}
    assert antwoorden_van(als_bewoner) == {1: "Als bewoner"}


# ------------------------------------------------------------------------ a closed checklist


@pytest.mark.django_db
def test_the_checklist_closes_when_the_cycle_moves_on(werkgebied, make_cycle, bewoner):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    with pytest.raises(TransitionError) as exc:
        opslaan(verse(cyclus.wijkanalyse), bewoner, {1: "Te laat"})
    assert "gesloten" in exc.value.message
    assert not ChecklistInvulling.objects.exists()


@pytest.mark.django_db
def test_the_checklist_closes_when_the_analysis_is_adopted(analyse, bewoner):
    invulling = opslaan(analyse, bewoner, {1: "Vooruit"})
    Wijkanalyse.objects.filter(pk=analyse.pk).update(status=Productstatus.VASTGESTELD)
    with pytest.raises(TransitionError):
        opslaan(verse(analyse), bewoner, {1: "Achteruit"}, versie=invulling.versie)
    assert antwoorden_van(invulling) == {1: "Vooruit"}
    # Someone without a role here is still refused as such, not told it is closed.
    with pytest.raises(PermissionDenied):
        opslaan(verse(analyse), UserFactory(), {1: "x"})


# -------------------------------------------------------------------------- stale forms


@pytest.mark.django_db
def test_a_stale_form_changes_nothing(analyse, bewoner, werkgebied):
    buur = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    invulling = opslaan(analyse, bewoner, {1: "Eerste tabblad"})
    opslaan(analyse, bewoner, {1: "Tweede tabblad"}, versie=1)
    with pytest.raises(StaleStateError) as exc:
        opslaan(analyse, bewoner, {1: "Oud tabblad"}, versie=1)
    assert "ergens anders opgeslagen" in exc.value.message
    # A form loaded before the first save, sent after it.
    with pytest.raises(StaleStateError):
        opslaan(analyse, bewoner, {1: "Nog ouder"}, versie=None)
    assert antwoorden_van(invulling) == {1: "Tweede tabblad"}
    assert ChecklistInvulling.objects.get(pk=invulling.pk).versie == 2
    # A version for a checklist that does not exist (forged) is stale too.
    with pytest.raises(StaleStateError):
        opslaan(analyse, buur, {1: "x"}, versie=3)
    assert not ChecklistInvulling.objects.filter(user=buur).exists()


@pytest.mark.django_db
def test_losing_the_race_on_the_unique_constraint_is_stale(analyse, bewoner, monkeypatch):
    """The other tab's first submit committed after this one looked for the checklist: the
    insert fails on the unique constraint, which is stale, and the transaction stays usable."""
    from cycle import services_checklist

    ChecklistInvulling.objects.create(
        wijkanalyse=analyse, user=bewoner, respondent=Respondent.BEWONER
    )
    monkeypatch.setattr(services_checklist, "_vergrendel_invulling", lambda *args: None)
    with pytest.raises(StaleStateError) as exc:
        opslaan(analyse, bewoner, {1: "Tweede tabblad"})
    assert "ergens anders opgeslagen" in exc.value.message
    assert ChecklistInvulling.objects.count() == 1
    assert not ChecklistAntwoord.objects.exists()
    assert not entries().exists()


@pytest.mark.django_db(transaction=True)
def test_two_first_submits_at_once_one_wins_the_other_is_stale(werkgebied, make_cycle):
    """Two tabs submit the first checklist at the same moment, on two connections. The second
    insert waits on the unique constraint until the first commits, then fails: stale, never
    an error page."""
    # An earlier transactional test may have flushed what the data migration provides.
    migration = importlib.import_module("cycle.migrations.0005_wijkthemas_checklist")
    migration.add_reference_data(apps, None)
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    analyse = verse(cyclus.wijkanalyse)
    bewoner = user_with_role(Rol.BEWONER, werkgebied=werkgebied)
    binnen = threading.Event()
    uitkomst = {}

    def eerste_tabblad():
        # Inserts its checklist and keeps the transaction open until the other submit is
        # waiting for it on the unique index; then commits.
        try:
            with transaction.atomic():
                ChecklistInvulling.objects.create(
                    wijkanalyse=analyse, user=bewoner, respondent=Respondent.BEWONER
                )
                binnen.set()
                with connection.cursor() as cursor:
                    for _poging in range(200):
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                        )
                        if cursor.fetchone()[0]:
                            uitkomst["wachtte"] = True
                            break
                        threading.Event().wait(0.05)
            uitkomst["eerste"] = "ok"
        finally:
            connection.close()

    thread = threading.Thread(target=eerste_tabblad)
    thread.start()
    assert binnen.wait(timeout=10)
    try:
        opslaan(analyse, bewoner, {1: "Tweede tabblad"})
        uitkomst["tweede"] = "ok"
    except StaleStateError as exc:
        uitkomst["tweede"] = exc.message
    thread.join(timeout=30)
    assert uitkomst["eerste"] == "ok"
    assert uitkomst.get("wachtte") is True  # the race really happened on the index
    assert "ergens anders opgeslagen" in uitkomst["tweede"]
    assert ChecklistInvulling.objects.count() == 1
    assert not ChecklistAntwoord.objects.exists()
    assert not entries().exists()


# ------------------------------------------------------------------ quoted answers stay


@pytest.mark.django_db
def test_a_quoted_answer_is_kept_as_it_was(analyse, bewoner, wijkmanager):
    invulling = opslaan(analyse, bewoner, {1: "Vooruit", 2: "Schoner", 3: "Afval"})
    antwoord = ChecklistAntwoord.objects.get(invulling=invulling, vraag__nummer=3)
    citaat_toevoegen(
        wijkanalyse=analyse,
        user=wijkmanager,
        expected_versie=verse(analyse).versie,
        antwoord=antwoord,
        thema=Wijkthema.objects.get(slug="schoon"),
    )
    versie_analyse = verse(analyse).versie
    weer = opslaan(analyse, bewoner, {1: "Achteruit", 2: "Schoner", 3: ""}, versie=1)
    assert weer.vastgehouden == [3]
    assert antwoorden_van(invulling) == {1: "Achteruit", 2: "Schoner", 3: "Afval"}
    # Changing its words is refused in the same way, and the analysis does not change.
    weer = opslaan(analyse, bewoner, {3: "Iets anders"}, versie=weer.versie)
    assert weer.vastgehouden == [3]
    assert weer.gewijzigd is False
    assert antwoorden_van(invulling)[3] == "Afval"
    assert verse(analyse).versie == versie_analyse


# ---------------------------------------------------------------------------------- audit


@pytest.mark.django_db
def test_the_audit_entry_counts_but_never_quotes(analyse, bewoner):
    opslaan(analyse, bewoner, {1: "Mijn geheime mening", 2: "Nog iets persoonlijks"})
    entry = entries().get()
    assert entry.actor == bewoner
    assert entry.actor_rol == "bewoner"
    invulling = ChecklistInvulling.objects.get()
    assert entry.object_id == str(invulling.pk)
    assert entry.data == {
        "wijkanalyse": analyse.pk,
        "respondent": "bewoner",
        "eerste_keer": True,
        "nieuw": 2,
        "gewijzigd": 0,
        "verwijderd": 0,
        "aantal": 2,
        "versie": 1,
    }
    dump = json.dumps(entry.data)
    assert "geheime" not in dump and "persoonlijks" not in dump
    # Not in the history of the cycle and its products (public during the consultation).
    assert not AuditEntry.objects.for_objects(analyse, analyse.cyclus).filter(
        action="cycle.checklist_ingevuld"
    )
