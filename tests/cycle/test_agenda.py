"""The wijkagenda's content: agendapunten (collective, with theme and evidence, ranked unique
and gap-free also under concurrent edits), beleidssignalen (answered by their own cluster),
the edit guard and the adoption check."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit.models import AuditEntry
from cycle import services
from cycle.models import (
    Agendapunt,
    Beleidssignaal,
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Fase,
    Productstatus,
    Respondent,
    Signaalstatus,
    ThemaAnalyse,
    Wijkagenda,
    Wijkthema,
)
from cycle.services_agenda import (
    agendapunt_create,
    agendapunt_delete,
    agendapunt_move,
    agendapunt_update,
    beleidssignaal_beantwoorden,
    beleidssignaal_create,
    beleidssignaal_delete,
    beleidssignaal_in_behandeling,
    beleidssignaal_update,
)
from pagecache.services import current
from people.models import Partner, Rol
from tests.people.factories import ClusterFactory, UserFactory, user_with_role
from tests.places.factories import WijkFactory

# ------------------------------------------------------------------------- helpers


def verse(agenda) -> Wijkagenda:
    return Wijkagenda.objects.select_related("cyclus__werkgebied").get(pk=agenda.pk)


def punt(agenda, user, titel="Schone straten", **extra) -> Agendapunt:
    """An agendapunt with a theme and evidence, through the service."""
    velden = {
        "probleem": "Het vuil ligt naast de containers.",
        "thema": Wijkthema.objects.get(slug="schoon"),
        "onderbouwing": "Bewonersavond maart",
        "collectief": True,
    } | extra
    return agendapunt_create(
        wijkagenda=agenda, user=user, expected_versie=verse(agenda).versie, titel=titel, **velden
    )


def signaal(agenda, user, cluster=None, partner=None, titel="Grofvuil") -> Beleidssignaal:
    return beleidssignaal_create(
        wijkagenda=agenda,
        user=user,
        expected_versie=verse(agenda).versie,
        titel=titel,
        toelichting="Het schema past niet bij de wijk.",
        cluster=cluster,
        partner=partner,
    )


def rangen(agenda) -> list[tuple[str, int]]:
    return list(
        Agendapunt.objects.filter(wijkagenda=agenda).order_by("rang").values_list("titel", "rang")
    )


def antwoord_op_checklist(analyse, tekst="Veel zwerfafval", respondent=Respondent.BEWONER):
    user = UserFactory(naam="Geheime Invuller")
    invulling = ChecklistInvulling.objects.create(
        wijkanalyse=analyse, user=user, respondent=respondent
    )
    return ChecklistAntwoord.objects.create(
        invulling=invulling, vraag=ChecklistVraag.objects.get(nummer=3), tekst=tekst
    )


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    """A cycle in phase agenda, its analysis adopted (three themes analysed)."""
    return make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)


@pytest.fixture
def agenda(cyclus):
    return verse(cyclus.wijkagenda)


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")


@pytest.fixture
def accounthouder(werkgebied, stadsbeheer):
    return user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)


# -------------------------------------------------------------------- agendapunten


@pytest.mark.django_db
def test_create_appends_with_next_rank_and_audits(agenda, wijkmanager):
    versie = agenda.versie
    eerste = punt(agenda, wijkmanager, titel="  Schone   straten ")
    tweede = punt(agenda, wijkmanager, titel="Veilige schoolroutes")
    assert (eerste.rang, tweede.rang) == (1, 2)
    assert eerste.titel == "Schone straten"
    assert verse(agenda).versie == versie + 2
    entry = AuditEntry.objects.filter(action="cycle.agendapunt_toegevoegd").first()
    assert entry.data["product"] == "wijkagenda"
    assert entry.object_id == str(tweede.pk)


@pytest.mark.django_db
def test_create_with_wijken_and_evidence_of_this_cycle(agenda, wijkmanager, werkgebied):
    wijk = werkgebied.wijken.get()
    analyse = ThemaAnalyse.objects.filter(wijkanalyse__cyclus=agenda.cyclus).first()
    citaat = antwoord_op_checklist(agenda.cyclus.wijkanalyse)
    nieuw = punt(
        agenda,
        wijkmanager,
        wijken=[wijk],
        buurten="Rubroek-Noord",
        themaanalyses=[analyse],
        citaten=[citaat],
        onderbouwing="",
    )
    assert list(nieuw.wijken.all()) == [wijk]
    assert list(nieuw.themaanalyses.all()) == [analyse]
    assert list(nieuw.citaten.all()) == [citaat]


@pytest.mark.django_db
def test_create_refuses_an_individual_complaint(agenda, wijkmanager):
    versie = agenda.versie
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, collectief=False)
    assert "groep bewoners" in excinfo.value.message_dict["collectief"][0]
    assert not Agendapunt.objects.exists()
    assert verse(agenda).versie == versie


@pytest.mark.django_db
def test_create_refuses_a_wijk_of_another_werkgebied(agenda, wijkmanager, ander_werkgebied):
    vreemd = WijkFactory(werkgebied=ander_werkgebied)
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, wijken=[vreemd])
    assert "wijken" in excinfo.value.message_dict
    assert not Agendapunt.objects.exists()


@pytest.mark.django_db
def test_create_refuses_evidence_of_another_cycle(
    agenda, wijkmanager, make_cycle, ander_werkgebied, beheerder
):
    ander = make_cycle(ander_werkgebied, jaar=2027, fase=Fase.AGENDA)
    vreemde_analyse = ThemaAnalyse.objects.filter(wijkanalyse__cyclus=ander).first()
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, themaanalyses=[vreemde_analyse])
    assert "themaanalyses" in excinfo.value.message_dict
    vreemd_citaat = antwoord_op_checklist(ander.wijkanalyse)
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, citaten=[vreemd_citaat])
    assert "citaten" in excinfo.value.message_dict
    assert not Agendapunt.objects.filter(wijkagenda=agenda).exists()


@pytest.mark.django_db
def test_an_inactive_theme_cannot_be_chosen_anew_but_stays(agenda, wijkmanager):
    bestaand = punt(agenda, wijkmanager)
    oud = Wijkthema.objects.get(slug="schoon")
    Wijkthema.objects.filter(pk=oud.pk).update(actief=False)
    oud.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, titel="Nieuw", thema=oud)
    assert "niet meer gebruikt" in excinfo.value.message_dict["thema"][0]
    # The point that already has it keeps it while its text changes.
    bijgewerkt = agendapunt_update(
        agendapunt=bestaand,
        user=wijkmanager,
        expected_versie=verse(agenda).versie,
        titel="Schone straten en pleinen",
        thema=oud,
    )
    assert bijgewerkt.thema == oud
    assert bijgewerkt.titel == "Schone straten en pleinen"


@pytest.mark.django_db
def test_create_checks_required_and_lengths(agenda, wijkmanager):
    with pytest.raises(ValidationError) as excinfo:
        punt(agenda, wijkmanager, titel="   ", probleem="x" * 5001)
    errors = excinfo.value.message_dict
    assert "titel" in errors
    assert "5000" in errors["probleem"][0]
    assert not Agendapunt.objects.exists()


@pytest.mark.django_db
def test_update_changes_fields_and_relations(agenda, wijkmanager, werkgebied):
    bestaand = punt(agenda, wijkmanager)
    versie = verse(agenda).versie
    veilig = Wijkthema.objects.get(slug="veilig")
    bijgewerkt = agendapunt_update(
        agendapunt=bestaand,
        user=wijkmanager,
        expected_versie=versie,
        probleem="Anders gezegd",
        thema=veilig,
        wijken=[werkgebied.wijken.get()],
    )
    bijgewerkt.refresh_from_db()
    assert bijgewerkt.probleem == "Anders gezegd" and bijgewerkt.thema == veilig
    assert bijgewerkt.wijken.count() == 1
    assert bijgewerkt.titel == "Schone straten"  # not passed: unchanged
    assert verse(agenda).versie == versie + 1
    entry = AuditEntry.objects.filter(action="cycle.agendapunt_gewijzigd").first()
    assert set(entry.data["velden"]) == {"probleem", "thema", "wijken"}


@pytest.mark.django_db
def test_update_without_change_bumps_nothing(agenda, wijkmanager):
    bestaand = punt(agenda, wijkmanager)
    versie = verse(agenda).versie
    agendapunt_update(
        agendapunt=bestaand, user=wijkmanager, expected_versie=versie, titel="Schone straten"
    )
    assert verse(agenda).versie == versie
    assert not AuditEntry.objects.filter(action="cycle.agendapunt_gewijzigd").exists()


@pytest.mark.django_db
def test_a_stale_edit_changes_nothing(agenda, wijkmanager):
    bestaand = punt(agenda, wijkmanager)
    oud = verse(agenda).versie
    punt(agenda, wijkmanager, titel="Iemand anders was sneller")
    with pytest.raises(services.StaleStateError) as excinfo:
        agendapunt_update(agendapunt=bestaand, user=wijkmanager, expected_versie=oud, titel="Mijn")
    assert "intussen opgeslagen" in excinfo.value.message
    bestaand.refresh_from_db()
    assert bestaand.titel == "Schone straten"
    for call in (
        lambda: agendapunt_delete(agendapunt=bestaand, user=wijkmanager, expected_versie=oud),
        lambda: agendapunt_move(
            agendapunt=bestaand, user=wijkmanager, expected_versie=oud, richting="neer"
        ),
        lambda: punt_with_version(agenda, wijkmanager, oud),
    ):
        with pytest.raises(services.StaleStateError):
            call()
    assert rangen(agenda) == [("Schone straten", 1), ("Iemand anders was sneller", 2)]


def punt_with_version(agenda, user, versie):
    return agendapunt_create(
        wijkagenda=agenda,
        user=user,
        expected_versie=versie,
        titel="Dubbel verstuurd",
        probleem="p",
        collectief=True,
    )


@pytest.mark.django_db
def test_delete_renumbers_gap_free(agenda, wijkmanager):
    a, _b, _c = (punt(agenda, wijkmanager, titel=t) for t in "ABC")
    agendapunt_delete(agendapunt=a, user=wijkmanager, expected_versie=verse(agenda).versie)
    assert rangen(agenda) == [("B", 1), ("C", 2)]
    entry = AuditEntry.objects.filter(action="cycle.agendapunt_verwijderd").first()
    assert entry.data["titel"] == "A"


@pytest.mark.django_db
def test_move_swaps_with_neighbour_and_is_a_no_op_at_the_edge(agenda, wijkmanager):
    a, b, c = (punt(agenda, wijkmanager, titel=t) for t in "ABC")
    moved = agendapunt_move(
        agendapunt=c, user=wijkmanager, expected_versie=verse(agenda).versie, richting="op"
    )
    assert moved.rang == 2
    assert rangen(agenda) == [("A", 1), ("C", 2), ("B", 3)]
    versie = verse(agenda).versie
    top = agendapunt_move(agendapunt=a, user=wijkmanager, expected_versie=versie, richting="op")
    assert top.rang == 1
    bottom = agendapunt_move(
        agendapunt=b, user=wijkmanager, expected_versie=versie, richting="neer"
    )
    assert bottom.rang == 3
    assert verse(agenda).versie == versie  # nothing changed, nothing stale
    assert rangen(agenda) == [("A", 1), ("C", 2), ("B", 3)]
    with pytest.raises(services.TransitionError):
        agendapunt_move(agendapunt=a, user=wijkmanager, expected_versie=versie, richting="weg")


@pytest.mark.django_db
def test_a_stale_reorder_keeps_ranks_unique_and_gap_free(agenda, wijkmanager):
    """Two tabs read the agenda at the same version; the second reorder is refused."""
    a, _b, c = (punt(agenda, wijkmanager, titel=t) for t in "ABC")
    gelezen = verse(agenda).versie
    agendapunt_move(agendapunt=c, user=wijkmanager, expected_versie=gelezen, richting="op")
    with pytest.raises(services.StaleStateError):
        agendapunt_move(agendapunt=a, user=wijkmanager, expected_versie=gelezen, richting="neer")
    assert [r for _, r in rangen(agenda)] == [1, 2, 3]
    assert rangen(agenda) == [("A", 1), ("C", 2), ("B", 3)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reorders_on_two_connections(werkgebied, make_cycle):
    """Two requests move different points at once, each from the version it read. The
    agenda's lock lets one in; the other finds the version changed. Ranks stay 1..n."""
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    agenda = verse(cyclus.wijkagenda)
    punten = [punt(agenda, manager, titel=t) for t in "ABCD"]
    gelezen = verse(agenda).versie
    barrier = threading.Barrier(2)
    uitkomst = {}

    def move(naam, agendapunt, richting):
        try:
            barrier.wait(timeout=10)
            agendapunt_move(
                agendapunt=agendapunt, user=manager, expected_versie=gelezen, richting=richting
            )
            uitkomst[naam] = "ok"
        except services.StaleStateError:
            uitkomst[naam] = "stale"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=("eerste", punten[1], "op")),
        threading.Thread(target=move, args=("tweede", punten[2], "neer")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(uitkomst.values()) == ["ok", "stale"]
    assert [r for _, r in rangen(agenda)] == [1, 2, 3, 4]
    assert verse(agenda).versie == gelezen + 1
    assert AuditEntry.objects.filter(action="cycle.agendapunt_verplaatst").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_ranks(werkgebied, make_cycle):
    """Two drafters adding at once, each with the version just read after the other's commit,
    queue on the agenda's lock: ranks never collide."""
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    agenda = verse(cyclus.wijkagenda)
    barrier = threading.Barrier(3)
    fouten = []

    def add(naam):
        try:
            barrier.wait(timeout=10)
            for _poging in range(20):
                try:
                    punt(agenda, manager, titel=naam)
                    return
                except services.StaleStateError:
                    continue
        except Exception as exc:  # pragma: no cover - reported below
            fouten.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in ("X", "Y", "Z")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert fouten == []
    assert sorted(r for _, r in rangen(agenda)) == [1, 2, 3]


@pytest.mark.django_db
def test_only_the_drafter_writes_and_only_while_editable(agenda, roles, beheerder):
    for naam, (user, runs) in roles.items():
        if user is None:
            continue
        if runs:
            punt(agenda, user, titel=f"door {naam}")
        else:
            with pytest.raises(PermissionDenied):
                punt(agenda, user, titel=f"door {naam}")
    assert Agendapunt.objects.filter(wijkagenda=agenda).count() == 3


@pytest.mark.django_db
def test_no_edits_once_adopted(agenda, wijkmanager):
    bestaand = punt(agenda, wijkmanager)
    aangenomen = services.product_transition(
        product=verse(agenda),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    for call in (
        lambda: punt(agenda, wijkmanager, titel="Te laat"),
        lambda: agendapunt_move(
            agendapunt=bestaand,
            user=wijkmanager,
            expected_versie=aangenomen.versie,
            richting="neer",
        ),
        lambda: agendapunt_delete(
            agendapunt=bestaand, user=wijkmanager, expected_versie=aangenomen.versie
        ),
    ):
        with pytest.raises(services.TransitionError) as excinfo:
            call()
        assert "niet meer worden gewijzigd" in excinfo.value.message
    assert rangen(agenda) == [("Schone straten", 1)]


# ------------------------------------------------------------------ adoption check


@pytest.mark.django_db
def test_adoption_needs_an_agendapunt(agenda, wijkmanager):
    assert "nog geen agendapunten" in agenda.ontbreekt()
    with pytest.raises(services.TransitionError) as excinfo:
        services.product_transition(
            product=agenda,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert "nog geen agendapunten" in excinfo.value.message
    assert verse(agenda).status == Productstatus.CONCEPT


@pytest.mark.django_db
def test_adoption_needs_theme_and_evidence_for_every_point(agenda, wijkmanager):
    punt(agenda, wijkmanager, titel="Compleet")
    punt(agenda, wijkmanager, titel="Zonder thema", thema=None)
    punt(agenda, wijkmanager, titel="Zonder bewijs", onderbouwing="")
    missing = verse(agenda).ontbreekt()
    assert missing == ["1 agendapunt zonder thema", "1 agendapunt zonder onderbouwing"]
    with pytest.raises(services.TransitionError) as excinfo:
        services.product_transition(
            product=verse(agenda),
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert "agendapunt zonder thema" in excinfo.value.message


@pytest.mark.django_db
def test_evidence_may_be_a_theme_analysis_or_a_quote(agenda, wijkmanager):
    analyse = ThemaAnalyse.objects.filter(wijkanalyse__cyclus=agenda.cyclus).first()
    citaat = antwoord_op_checklist(agenda.cyclus.wijkanalyse)
    punt(agenda, wijkmanager, titel="Uit de analyse", onderbouwing="", themaanalyses=[analyse])
    punt(agenda, wijkmanager, titel="Uit de checklist", onderbouwing="", citaten=[citaat])
    assert verse(agenda).ontbreekt() == []
    aangenomen = services.product_transition(
        product=verse(agenda),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    assert aangenomen.status == Productstatus.VASTGESTELD


# ------------------------------------------------------------------ beleidssignalen


@pytest.mark.django_db
def test_signal_needs_exactly_one_addressee(agenda, wijkmanager, stadsbeheer):
    partner = Partner.objects.create(naam="Woonstad", slug="woonstad")
    for cluster, partner_ in ((None, None), (stadsbeheer, partner)):
        with pytest.raises(ValidationError) as excinfo:
            signaal(agenda, wijkmanager, cluster=cluster, partner=partner_)
        assert "precies één" in excinfo.value.message_dict["cluster"][0]
    assert signaal(agenda, wijkmanager, partner=partner).geadresseerde == partner
    assert signaal(agenda, wijkmanager, cluster=stadsbeheer).status == Signaalstatus.OPEN


@pytest.mark.django_db
def test_signal_update_and_delete_while_open(agenda, wijkmanager, stadsbeheer):
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    bijgewerkt = beleidssignaal_update(
        beleidssignaal=s,
        user=wijkmanager,
        expected_versie=verse(agenda).versie,
        titel="Grofvuil vaker ophalen",
        toelichting="Anders",
        cluster=stadsbeheer,
    )
    assert bijgewerkt.titel == "Grofvuil vaker ophalen"
    assert bijgewerkt.versie == 2  # the addressee's open form is stale now
    beleidssignaal_delete(beleidssignaal=s, user=wijkmanager, expected_versie=verse(agenda).versie)
    assert not Beleidssignaal.objects.exists()


@pytest.mark.django_db
def test_the_own_cluster_answers(agenda, wijkmanager, stadsbeheer, accounthouder, werkgebied):
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    agenda_versie = verse(agenda).versie
    publiek = current()
    s = beleidssignaal_in_behandeling(signaal=s, user=accounthouder, expected_versie=1)
    assert s.status == Signaalstatus.IN_BEHANDELING
    s = beleidssignaal_beantwoorden(
        signaal=s, user=accounthouder, expected_versie=s.versie, antwoord="  We passen het aan. "
    )
    s.refresh_from_db()
    assert s.status == Signaalstatus.BEANTWOORD
    assert s.antwoord == "We passen het aan."
    assert s.beantwoord_door == accounthouder and s.beantwoord_op is not None
    # Not content of the product: the drafter's open page is not stale.
    assert verse(agenda).versie == agenda_versie
    assert current() > publiek  # the public agenda shows the answer
    entry = AuditEntry.objects.filter(action="cycle.beleidssignaal_beantwoord").get()
    assert entry.actor_rol == Rol.ACCOUNTHOUDER
    # Once answered, the drafter can no longer change or remove it.
    with pytest.raises(services.TransitionError):
        beleidssignaal_delete(
            beleidssignaal=s, user=wijkmanager, expected_versie=verse(agenda).versie
        )
    with pytest.raises(services.TransitionError) as excinfo:
        beleidssignaal_beantwoorden(
            signaal=s, user=accounthouder, expected_versie=s.versie, antwoord="Nog eens"
        )
    assert "al beantwoord" in excinfo.value.message


@pytest.mark.django_db
def test_answering_works_after_adoption(agenda, wijkmanager, stadsbeheer, accounthouder):
    punt(agenda, wijkmanager)
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    services.product_transition(
        product=verse(agenda),
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    s = beleidssignaal_beantwoorden(
        signaal=s, user=accounthouder, expected_versie=1, antwoord="Akkoord"
    )
    assert s.status == Signaalstatus.BEANTWOORD


@pytest.mark.django_db
def test_only_the_addressed_cluster_in_its_gebied_answers(
    agenda, wijkmanager, stadsbeheer, werkgebied, ander_werkgebied
):
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    ander_cluster = ClusterFactory(naam="Stadsontwikkeling", slug="stadsontwikkeling")
    weigeren = {
        "ander cluster": user_with_role(
            Rol.ACCOUNTHOUDER, cluster=ander_cluster, gebied=werkgebied.gebied
        ),
        "ander gebied": user_with_role(
            Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=ander_werkgebied.gebied
        ),
        "wijkmanager": wijkmanager,  # a cluster answers for itself
        "wijkraadslid": user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied),
        "bewoner": user_with_role(Rol.BEWONER, werkgebied=werkgebied),
    }
    for naam, user in weigeren.items():
        with pytest.raises(PermissionDenied):
            beleidssignaal_beantwoorden(signaal=s, user=user, expected_versie=1, antwoord=naam)
        with pytest.raises(PermissionDenied):
            beleidssignaal_in_behandeling(signaal=s, user=user, expected_versie=1)
    s.refresh_from_db()
    assert s.status == Signaalstatus.OPEN and s.antwoord == ""


@pytest.mark.django_db
def test_partner_signal_is_answered_by_who_runs_the_cycle(agenda, wijkmanager, accounthouder):
    partner = Partner.objects.create(naam="Woonstad", slug="woonstad")
    s = signaal(agenda, wijkmanager, partner=partner)
    with pytest.raises(PermissionDenied):
        beleidssignaal_beantwoorden(signaal=s, user=accounthouder, expected_versie=1, antwoord="x")
    s = beleidssignaal_beantwoorden(
        signaal=s, user=wijkmanager, expected_versie=1, antwoord="Woonstad reageerde per brief."
    )
    assert s.status == Signaalstatus.BEANTWOORD


@pytest.mark.django_db
def test_stale_or_empty_answer_changes_nothing(agenda, wijkmanager, stadsbeheer, accounthouder):
    s = signaal(agenda, wijkmanager, cluster=stadsbeheer)
    beleidssignaal_update(
        beleidssignaal=s,
        user=wijkmanager,
        expected_versie=verse(agenda).versie,
        titel="Nieuwe vraag",
        toelichting="Anders gesteld",
        cluster=stadsbeheer,
    )
    with pytest.raises(services.StaleStateError):
        beleidssignaal_beantwoorden(
            signaal=s, user=accounthouder, expected_versie=1, antwoord="Op de oude vraag"
        )
    for leeg in ("", "   \n "):
        with pytest.raises(ValidationError) as excinfo:
            beleidssignaal_beantwoorden(
                signaal=s, user=accounthouder, expected_versie=2, antwoord=leeg
            )
        assert "antwoord" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        beleidssignaal_beantwoorden(
            signaal=s, user=accounthouder, expected_versie=2, antwoord="x" * 5001
        )
    s.refresh_from_db()
    assert s.status == Signaalstatus.OPEN and s.antwoord == "" and s.versie == 2
