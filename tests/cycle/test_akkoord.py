"""The wijkakkoord's services: its lifecycle, the adoption check naming exactly what is
missing, stale pages, overlapping periods, and the links from a cycle's agendapunten and
initiatives (same werkgebied, a year the akkoord covers, the doel under the opgave)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cycle import services_akkoord as s
from cycle.models import Agendapunt, Akkoordstatus, Fase, Initiatief, Wijkakkoord, Wijkprogramma
from cycle.services import StaleStateError, TransitionError
from cycle.services_agenda import agendapunt_create, agendapunt_update
from cycle.services_programma import initiatief_toevoegen, initiatief_wijzigen
from people.models import Rol
from tests.people.factories import user_with_role

DATUM = datetime.date(2025, 11, 1)


@pytest.fixture
def wijkraadslid(werkgebied):
    return user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)


def versie(akkoord) -> int:
    return Wijkakkoord.objects.get(pk=akkoord.pk).versie


def vers(akkoord) -> Wijkakkoord:
    return Wijkakkoord.objects.select_related("werkgebied").get(pk=akkoord.pk)


def compleet(werkgebied, user, startjaar=2026, *, titels=("Schoon",)):
    """An akkoord with a visie and per opgave one doel with one resultaat."""
    akkoord = s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=user, startjaar=startjaar)
    s.wijkakkoord_wijzigen(
        akkoord=akkoord, user=user, expected_versie=1, titel=akkoord.titel, wijkvisie="Visie"
    )
    for titel in titels:
        opgave = s.opgave_toevoegen(
            akkoord=akkoord,
            user=user,
            expected_versie=versie(akkoord),
            titel=titel,
            beschrijving="Waarom",
        )
        doel = s.doel_toevoegen(
            opgave=opgave, user=user, expected_versie=versie(akkoord), titel=f"Doel {titel}"
        )
        s.resultaat_toevoegen(
            doel=doel, user=user, expected_versie=versie(akkoord), tekst="Resultaat", indicator=""
        )
    return vers(akkoord)


def vastgesteld(werkgebied, wijkmanager, wijkraadslid, startjaar=2026, **kwargs):
    akkoord = compleet(werkgebied, wijkmanager, startjaar, **kwargs)
    akkoord = s.wijkakkoord_transition(
        akkoord=akkoord, user=wijkmanager, transition="naar_advies", expected_status="concept"
    )
    akkoord = s.advies_vastleggen(
        akkoord=akkoord,
        user=wijkraadslid,
        expected_versie=akkoord.versie,
        advies="Positief",
        advies_van="Wijkraad",
        advies_op=DATUM,
    )
    return s.wijkakkoord_transition(
        akkoord=akkoord,
        user=wijkmanager,
        transition="vaststellen",
        expected_status="advies",
        vastgesteld_op=DATUM,
        vastgesteld_door="de gemeenteraad",
        besluitreferentie="RIS 1",
    )


def test_full_lifecycle_records_who_and_what_and_audits_each_step(
    werkgebied, wijkmanager, wijkraadslid
):
    akkoord = vastgesteld(werkgebied, wijkmanager, wijkraadslid)
    akkoord = s.wijkakkoord_transition(
        akkoord=akkoord, user=wijkmanager, transition="publiceren", expected_status="vastgesteld"
    )
    akkoord = vers(akkoord)
    assert akkoord.status == Akkoordstatus.GEPUBLICEERD
    assert (akkoord.startjaar, akkoord.eindjaar) == (2026, 2029)
    assert akkoord.opgesteld_door == wijkmanager
    assert (akkoord.advies, akkoord.advies_van, akkoord.advies_op) == (
        "Positief",
        "Wijkraad",
        DATUM,
    )
    assert akkoord.advies_vastgelegd_door == wijkraadslid
    assert (akkoord.vastgesteld_op, akkoord.vastgesteld_door, akkoord.besluitreferentie) == (
        DATUM,
        "de gemeenteraad",
        "RIS 1",
    )
    assert akkoord.besluit_vastgelegd_door == wijkmanager
    assert akkoord.gepubliceerd_op is not None
    acties = list(
        AuditEntry.objects.filter(object_id=str(akkoord.pk), action__startswith="cycle.wijkakkoord")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert acties[0] == "cycle.wijkakkoord_aangemaakt"
    assert acties.count("cycle.wijkakkoord_transition") == 3
    assert "cycle.wijkakkoord_advies" in acties
    # Every content change was audited against the akkoord, and raised its version.
    assert AuditEntry.objects.filter(action="cycle.resultaat_toegevoegd").count() == 1
    assert akkoord.versie == 1 + 4 + 4  # 4 content edits, 3 steps and the advice


def test_adoption_check_names_exactly_what_is_missing(werkgebied, wijkmanager):
    akkoord = s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=2026)
    assert akkoord.ontbreekt() == [
        "de wijkvisie",
        "nog geen wijkopgaven",
        "er is nog geen advies vastgelegd",
    ]
    leeg = s.opgave_toevoegen(
        akkoord=akkoord, user=wijkmanager, expected_versie=1, titel="Spelen", beschrijving="b"
    )
    met_doel = s.opgave_toevoegen(
        akkoord=akkoord, user=wijkmanager, expected_versie=2, titel="Schoon", beschrijving="b"
    )
    s.doel_toevoegen(opgave=met_doel, user=wijkmanager, expected_versie=3, titel="Minder afval")
    akkoord = vers(akkoord)
    assert akkoord.ontbreekt_inhoud() == [
        "de wijkvisie",
        "opgave ‘Spelen’ heeft geen doel",
        "doel ‘Minder afval’ heeft geen resultaat",
    ]
    # Sending it for advice is refused with the same list.
    with pytest.raises(TransitionError) as exc:
        s.wijkakkoord_transition(
            akkoord=akkoord, user=wijkmanager, transition="naar_advies", expected_status="concept"
        )
    assert "opgave ‘Spelen’ heeft geen doel" in exc.value.message
    assert "doel ‘Minder afval’ heeft geen resultaat" in exc.value.message
    assert vers(akkoord).status == Akkoordstatus.CONCEPT
    s.opgave_verwijderen(opgave=leeg, user=wijkmanager, expected_versie=akkoord.versie)
    assert list(vers(akkoord).opgaven.values_list("titel", "volgorde")) == [("Schoon", 1)]


def test_adoption_needs_advice_and_the_decision(werkgebied, wijkmanager, wijkraadslid):
    akkoord = compleet(werkgebied, wijkmanager)
    akkoord = s.wijkakkoord_transition(
        akkoord=akkoord, user=wijkmanager, transition="naar_advies", expected_status="concept"
    )
    with pytest.raises(TransitionError) as exc:
        s.wijkakkoord_transition(
            akkoord=akkoord,
            user=wijkmanager,
            transition="vaststellen",
            expected_status="advies",
            vastgesteld_op=DATUM,
            vastgesteld_door="raad",
            besluitreferentie="R1",
        )
    assert "er is nog geen advies vastgelegd" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        s.wijkakkoord_transition(
            akkoord=akkoord, user=wijkmanager, transition="vaststellen", expected_status="advies"
        )
    assert set(exc.value.message_dict) == {
        "vastgesteld_op",
        "vastgesteld_door",
        "besluitreferentie",
    }
    assert vers(akkoord).status == Akkoordstatus.ADVIES


def test_content_only_in_concept_and_advice_only_in_advies(werkgebied, wijkmanager, wijkraadslid):
    akkoord = compleet(werkgebied, wijkmanager)
    with pytest.raises(TransitionError):
        s.advies_vastleggen(
            akkoord=akkoord,
            user=wijkraadslid,
            expected_versie=akkoord.versie,
            advies="Te vroeg",
            advies_van="Wijkraad",
            advies_op=DATUM,
        )
    akkoord = s.wijkakkoord_transition(
        akkoord=akkoord, user=wijkmanager, transition="naar_advies", expected_status="concept"
    )
    with pytest.raises(TransitionError):
        s.opgave_toevoegen(
            akkoord=akkoord,
            user=wijkmanager,
            expected_versie=akkoord.versie,
            titel="Te laat",
            beschrijving="b",
        )
    # The wijkmanager does not give the wijkraad's advice.
    with pytest.raises(PermissionDenied):
        s.advies_vastleggen(
            akkoord=akkoord,
            user=wijkmanager,
            expected_versie=akkoord.versie,
            advies="Zelf",
            advies_van="Wijkraad",
            advies_op=DATUM,
        )


def test_a_stale_page_changes_nothing(werkgebied, wijkmanager, wijkraadslid):
    akkoord = compleet(werkgebied, wijkmanager)
    oud = akkoord.versie
    s.wijkakkoord_wijzigen(
        akkoord=akkoord, user=wijkmanager, expected_versie=oud, titel="Nieuw", wijkvisie="V2"
    )
    with pytest.raises(StaleStateError):
        s.opgave_toevoegen(
            akkoord=akkoord, user=wijkmanager, expected_versie=oud, titel="X", beschrijving="b"
        )
    with pytest.raises(StaleStateError):
        s.wijkakkoord_transition(
            akkoord=akkoord,
            user=wijkmanager,
            transition="naar_advies",
            expected_status="concept",
            expected_versie=oud,
        )
    akkoord = vers(akkoord)
    assert akkoord.opgaven.count() == 1
    assert akkoord.status == Akkoordstatus.CONCEPT


def test_no_two_akkoorden_of_a_werkgebied_overlap(werkgebied, ander_werkgebied, beheerder):
    s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=beheerder, startjaar=2026)
    for jaar in (2023, 2026, 2029):
        with pytest.raises(ValidationError) as exc:
            s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=beheerder, startjaar=jaar)
        assert "2026–2029" in exc.value.message_dict["startjaar"][0]
    s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=beheerder, startjaar=2030)
    s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=beheerder, startjaar=2022)
    s.wijkakkoord_aanmaken(werkgebied=ander_werkgebied, user=beheerder, startjaar=2026)
    assert Wijkakkoord.objects.count() == 4


def test_only_who_runs_the_cycle_starts_one(werkgebied, ander_werkgebied):
    ander = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    with pytest.raises(PermissionDenied):
        s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=ander, startjaar=2026)


# ---------------------------------------------------------------- links from the cycle


@pytest.fixture
def akkoord(werkgebied, wijkmanager, wijkraadslid):
    return vastgesteld(werkgebied, wijkmanager, wijkraadslid, titels=("Schoon", "Spelen"))


def _delen(akkoord):
    schoon, spelen = akkoord.opgaven.order_by("volgorde")
    return schoon, schoon.doelen.get(), spelen, spelen.doelen.get()


def _agenda(cyclus):
    from cycle.models import Wijkagenda

    return Wijkagenda.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def _punt(cyclus, user, **koppeling):
    agenda = _agenda(cyclus)
    return agendapunt_create(
        wijkagenda=agenda,
        user=user,
        expected_versie=agenda.versie,
        titel="Afval",
        probleem="Vuil",
        onderbouwing="Cijfers",
        collectief=True,
        **koppeling,
    )


def test_an_agendapunt_refers_to_an_opgave_and_its_doel(akkoord, werkgebied, make_cycle, beheerder):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    schoon, doel_schoon, spelen, doel_spelen = _delen(akkoord)
    punt = _punt(cyclus, beheerder, wijkopgave=schoon, doel=doel_schoon)
    assert (punt.wijkopgave_id, punt.doel_id) == (schoon.pk, doel_schoon.pk)
    # A doel alone brings its opgave.
    punt = agendapunt_update(
        agendapunt=punt,
        user=beheerder,
        expected_versie=_agenda(cyclus).versie,
        wijkopgave=None,
        doel=doel_spelen,
    )
    punt = Agendapunt.objects.get(pk=punt.pk)
    assert (punt.wijkopgave_id, punt.doel_id) == (spelen.pk, doel_spelen.pk)
    # The doel of another opgave is refused, on the doel field.
    with pytest.raises(ValidationError) as exc:
        agendapunt_update(
            agendapunt=punt,
            user=beheerder,
            expected_versie=_agenda(cyclus).versie,
            wijkopgave=schoon,
            doel=doel_spelen,
        )
    assert "hoort bij een andere opgave" in exc.value.message_dict["doel"][0]


def test_links_only_to_the_adopted_akkoord_of_the_same_werkgebied_and_year(
    akkoord, werkgebied, ander_werkgebied, make_cycle, beheerder, wijkmanager
):
    schoon, doel_schoon, *_ = _delen(akkoord)
    # A year the akkoord does not cover.
    buiten = make_cycle(werkgebied, jaar=2030, fase=Fase.AGENDA)
    with pytest.raises(ValidationError) as exc:
        _punt(buiten, beheerder, wijkopgave=schoon, doel=doel_schoon)
    assert set(exc.value.message_dict) == {"wijkopgave", "doel"}
    assert "2030" in exc.value.message_dict["wijkopgave"][0]
    # Another werkgebied's cycle.
    elders = make_cycle(ander_werkgebied, jaar=2027, fase=Fase.AGENDA)
    with pytest.raises(ValidationError) as exc:
        _punt(elders, beheerder, wijkopgave=schoon)
    assert "wijkopgave" in exc.value.message_dict
    # An akkoord still in concept is no reference yet.
    concept = s.wijkakkoord_aanmaken(werkgebied=werkgebied, user=wijkmanager, startjaar=2030)
    opgave = s.opgave_toevoegen(
        akkoord=concept, user=wijkmanager, expected_versie=1, titel="Nog niet", beschrijving="b"
    )
    with pytest.raises(ValidationError):
        _punt(buiten, beheerder, wijkopgave=opgave)
    assert not Agendapunt.objects.filter(wijkopgave__isnull=False).exists()


def test_an_initiative_refers_to_an_opgave_and_doel(akkoord, werkgebied, make_cycle, beheerder):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    schoon, doel_schoon, spelen, doel_spelen = _delen(akkoord)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    punt = Agendapunt.objects.filter(wijkagenda__cyclus=cyclus).first()
    data = dict(
        agendapunt=punt,
        titel="Veegronde",
        beoogd_effect="Schoon",
        bewonersgroep="Buurt",
        start=datetime.date(2027, 2, 1),
        eind=datetime.date(2027, 3, 1),
        succesindicator="Schoon",
    )
    ini = initiatief_toevoegen(
        wijkprogramma=programma,
        user=beheerder,
        expected_versie=programma.versie,
        doel=doel_schoon,
        **data,
    )
    assert (ini.wijkopgave_id, ini.doel_id) == (schoon.pk, doel_schoon.pk)
    with pytest.raises(ValidationError) as exc:
        initiatief_wijzigen(
            initiatief=ini,
            user=beheerder,
            expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
            wijkopgave=spelen,
            doel=doel_schoon,
        )
    assert "doel" in exc.value.message_dict
    initiatief_wijzigen(
        initiatief=ini,
        user=beheerder,
        expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
        wijkopgave=None,
        doel=doel_spelen,
    )
    ini = Initiatief.objects.get(pk=ini.pk)
    assert (ini.wijkopgave_id, ini.doel_id) == (spelen.pk, doel_spelen.pk)
