"""The wijkprogramma's services: initiatives through the edit guard, the owner's
toezegging, the adoption check, progress updates (one and in bulk) and knelpunten."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services
from cycle.models import (
    Fase,
    Initiatief,
    Knelpunt,
    Productstatus,
    Toezegging,
    Uitvoeringsstatus,
    Voortgang,
    Werkcyclus,
    Wijkprogramma,
)
from cycle.services import StaleStateError, TransitionError
from cycle.services_programma import (
    BulkFout,
    Update,
    initiatief_afwijzen,
    initiatief_toevoegen,
    initiatief_toezeggen,
    initiatief_verwijderen,
    initiatief_wijzigen,
    knelpunt_melden,
    knelpunt_oplossen,
    voortgang_bulk,
    voortgang_melden,
)
from people.models import Cluster, Partner, Rol, User
from tests.cycle.inhoud import agendapunt_voor, met_initiatief
from tests.participation.plan import kaders_invullen
from tests.people.factories import UserFactory, user_with_role


@pytest.fixture
def stadsbeheer(db):
    return Cluster.objects.get_or_create(slug="stadsbeheer", defaults={"naam": "Stadsbeheer"})[0]


@pytest.fixture
def accounthouder(werkgebied, stadsbeheer):
    return user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)


@pytest.fixture
def programma(werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.mark.django_db
def test_adoption_needs_an_owner_who_committed(programma, wijkmanager, accounthouder, stadsbeheer):
    assert "nog geen initiatieven" in fresh(programma).ontbreekt()
    initiatief = met_initiatief(programma, wijkmanager, cluster=stadsbeheer)
    assert fresh(programma).ontbreekt() == ["1 initiatief zonder toezegging van de eigenaar"]
    initiatief_toezeggen(
        initiatief=initiatief, user=accounthouder, expected_versie=initiatief.versie
    )
    assert fresh(programma).ontbreekt() == []
    # Changing what was committed to asks the owner again.
    initiatief = fresh(initiatief)
    initiatief_wijzigen(
        initiatief=initiatief,
        user=wijkmanager,
        expected_versie=fresh(programma).versie,
        bedrag="2500",
        financiering="wijkbudget",
    )
    assert fresh(initiatief).toezegging == Toezegging.GEVRAAGD


@pytest.mark.django_db
def test_an_accounthouder_of_another_cluster_cannot_commit(programma, wijkmanager, werkgebied):
    initiatief = met_initiatief(programma, wijkmanager)
    ander = Cluster.objects.create(naam="Veiligheid test", slug="veiligheid-test")
    vreemde = user_with_role(Rol.ACCOUNTHOUDER, cluster=ander, gebied=werkgebied.gebied)
    with pytest.raises(PermissionDenied):
        initiatief_toezeggen(initiatief=initiatief, user=vreemde, expected_versie=1)
    # Their own accounthouder must give a reason to decline.
    with pytest.raises(ValidationError) as fout:
        initiatief_afwijzen(
            initiatief=initiatief,
            user=user_with_role(
                Rol.ACCOUNTHOUDER, cluster=initiatief.cluster, gebied=werkgebied.gebied
            ),
            expected_versie=1,
            reden="  ",
        )
    assert "reden" in fout.value.message_dict
    assert fresh(initiatief).toezegging == Toezegging.GEVRAAGD


@pytest.mark.django_db
def test_bulk_update_saves_nothing_when_one_row_is_wrong(
    werkgebied, make_cycle, beheerder, accounthouder, stadsbeheer, wijkmanager
):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    een = met_initiatief(programma, wijkmanager, cluster=stadsbeheer, titel="Een")
    twee = met_initiatief(programma, wijkmanager, cluster=stadsbeheer, titel="Twee")
    for i in (een, twee):
        initiatief_toezeggen(initiatief=i, user=accounthouder, expected_versie=fresh(i).versie)
    programma = fresh(programma)
    programma = services.product_transition(
        product=programma, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_uitvoering",
        expected_fase="programma",
    )
    een, twee = fresh(een), fresh(twee)
    with pytest.raises(BulkFout) as fout:
        voortgang_bulk(
            user=accounthouder,
            updates=[
                Update(een, een.versie, tekst="Gestart", status="in_uitvoering", percentage=10),
                Update(twee, twee.versie, tekst="", status="vertraagd"),
            ],
        )
    assert set(fout.value.fouten) == {1}
    assert fresh(een).status == Uitvoeringsstatus.GEPLAND
    assert not fresh(een).voortgang.exists()
    voortgang_melden(
        user=accounthouder,
        update=Update(
            twee,
            twee.versie,
            tekst="Wacht op vergunning",
            status="vertraagd",
            verwacht_eind=datetime.date.today() + datetime.timedelta(days=30),
        ),
    )
    assert fresh(twee).status == Uitvoeringsstatus.VERTRAAGD
    assert Initiatief.objects.filter(voortgang__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_cycle_reaches_execution_with_a_committed_programme(werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    initiatieven = Initiatief.objects.filter(wijkprogramma__cyclus=cyclus)
    assert initiatieven.count() >= 1
    assert set(initiatieven.values_list("toezegging", flat=True)) == {Toezegging.TOEGEZEGD}
    assert all(i.trekker_naam for i in initiatieven)


# =========================================================================== helpers


def log(action: str):
    return AuditEntry.objects.filter(action=action).order_by("pk")


def add(programma, user, **velden):
    """Add an initiative through the service, with the programme's version read fresh;
    ``velden`` override a valid initiative of the first cluster (``cluster=None`` for a
    partner or a residents' group)."""
    programma = fresh_programma(programma)
    data = {
        "titel": "Schoonmaakacties met bewoners",
        "beoogd_effect": "Minder afval naast de containers.",
        "trekker_naam": "Fatima de Vries",
        "start": datetime.date(programma.cyclus.jaar, 2, 1),
        "eind": datetime.date(programma.cyclus.jaar, 11, 30),
        "succesindicator": "Helft minder meldingen over afval.",
        "cluster": Cluster.objects.order_by("pk").first(),
        **velden,
    }
    if "agendapunt" not in data:
        data["agendapunt"] = agendapunt_voor(programma.cyclus)
    return initiatief_toevoegen(
        wijkprogramma=programma, user=user, expected_versie=programma.versie, **data
    )


def fresh_programma(programma):
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(pk=programma.pk)


def commit(initiatief, user, **kwargs):
    initiatief = fresh(initiatief)
    return initiatief_toezeggen(
        initiatief=initiatief, user=user, expected_versie=initiatief.versie, **kwargs
    )


def change(initiatief, user, **velden):
    initiatief = Initiatief.objects.select_related("wijkprogramma").get(pk=initiatief.pk)
    return initiatief_wijzigen(
        initiatief=initiatief,
        user=user,
        expected_versie=Wijkprogramma.objects.get(pk=initiatief.wijkprogramma_id).versie,
        **velden,
    )


def adopt(programma, user):
    programma = fresh_programma(programma)
    return services.product_transition(
        product=programma, user=user, transition="vaststellen", expected_status=programma.status
    )


def snapshot(initiatief) -> dict:
    """What the database holds of an initiative (to show that a refused write changed
    nothing)."""
    return Initiatief.objects.filter(pk=initiatief.pk).values().get()


# ====================================================================== the edit guard


@pytest.mark.django_db
def test_adding_with_a_stale_programme_version_changes_nothing(programma, wijkmanager):
    versie = fresh_programma(programma).versie
    add(programma, wijkmanager)  # a colleague was first
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleStateError):
        initiatief_toevoegen(
            wijkprogramma=programma,
            user=wijkmanager,
            expected_versie=versie,
            agendapunt=Initiatief.objects.get().agendapunt,
            titel="Tweede",
            beoogd_effect="Iets",
            cluster=Cluster.objects.first(),
            start=datetime.date(2027, 2, 1),
            eind=datetime.date(2027, 3, 1),
            succesindicator="Klaar",
        )
    assert Initiatief.objects.count() == 1
    assert fresh_programma(programma).versie == versie + 1
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_adding_raises_the_version_and_logs_it_on_the_initiative(programma, wijkmanager):
    versie = fresh_programma(programma).versie
    initiatief = add(programma, wijkmanager, titel="  Schoon\nen  heel ")
    assert initiatief.titel == "Schoon en heel"  # one line
    assert initiatief.toezegging == Toezegging.GEVRAAGD and initiatief.versie == 1
    assert fresh_programma(programma).versie == versie + 1
    [entry] = log("cycle.initiatief_toegevoegd")
    assert entry.target == initiatief and entry.actor == wijkmanager
    assert entry.actor_rol == Rol.WIJKMANAGER
    assert entry.data == {
        "product": "wijkprogramma",
        "versie": versie + 1,
        "initiatief": initiatief.pk,
        "titel": "Schoon en heel",
    }


@pytest.mark.django_db
def test_a_change_of_what_was_committed_asks_the_owner_again_the_trekker_does_not(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    commit(initiatief, accounthouder)
    # The trekker, the contributors and the participation level are not committed to.
    change(initiatief, wijkmanager, trekker_naam="Kees Kok", bijdragers="De buren")
    change(initiatief, wijkmanager, participatieniveau="meebeslissen")
    assert fresh(initiatief).toezegging == Toezegging.TOEGEZEGD
    assert [e.data["opnieuw_gevraagd"] for e in log("cycle.initiatief_gewijzigd")] == [
        False,
        False,
    ]
    assert fresh_programma(programma).ontbreekt() == []
    # Anything the owner committed to: asked again, with the reason of a decline wiped.
    for velden in (
        {"eind": datetime.date(2027, 12, 1)},
        {"titel": "Schoonmaakacties, ook in de zomer"},
        {"succesindicator": "Geen afval meer"},
        {"cluster": Cluster.objects.exclude(pk=stadsbeheer.pk).first()},
    ):
        assert fresh(initiatief).toezegging == Toezegging.TOEGEZEGD
        versie = fresh(initiatief).versie
        change(initiatief, wijkmanager, **velden)
        now = fresh(initiatief)
        assert now.toezegging == Toezegging.GEVRAAGD, velden
        assert now.versie == versie + 1
        entry = log("cycle.initiatief_gewijzigd").last()
        assert entry.data["opnieuw_gevraagd"] is True
        assert entry.data["velden"] == [*velden, "toezegging", "toezegging_reden"]
        assert fresh_programma(programma).ontbreekt() == [
            "1 initiatief zonder toezegging van de eigenaar"
        ]
        # The owner (after a change of owner: the new cluster's accounthouder) commits again.
        eigenaar = user_with_role(
            Rol.ACCOUNTHOUDER, cluster=now.cluster, gebied=programma.cyclus.werkgebied.gebied
        )
        commit(initiatief, eigenaar)


@pytest.mark.django_db
def test_a_declined_initiative_changed_is_asked_again_without_the_old_reason(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    initiatief_afwijzen(
        initiatief=initiatief, user=accounthouder, expected_versie=1, reden="Te duur."
    )
    change(initiatief, wijkmanager, bedrag="500", financiering="eigen_budget")
    now = fresh(initiatief)
    assert (now.toezegging, now.toezegging_reden) == (Toezegging.GEVRAAGD, "")


@pytest.mark.django_db
def test_a_change_that_changes_nothing_is_not_a_version(programma, wijkmanager):
    initiatief = add(programma, wijkmanager)
    versie = fresh_programma(programma).versie
    change(initiatief, wijkmanager, titel=initiatief.titel)
    assert fresh_programma(programma).versie == versie
    assert not log("cycle.initiatief_gewijzigd").exists()


@pytest.mark.django_db
def test_a_stale_change_or_delete_changes_nothing(programma, wijkmanager):
    initiatief = add(programma, wijkmanager)
    oud = fresh_programma(programma).versie
    add(programma, wijkmanager, titel="Ander initiatief")
    voor = snapshot(initiatief)
    with pytest.raises(StaleStateError):
        initiatief_wijzigen(
            initiatief=fresh(initiatief), user=wijkmanager, expected_versie=oud, titel="Nieuw"
        )
    with pytest.raises(StaleStateError):
        initiatief_verwijderen(initiatief=fresh(initiatief), user=wijkmanager, expected_versie=oud)
    assert snapshot(initiatief) == voor
    assert not log("cycle.initiatief_gewijzigd").exists()
    assert not log("cycle.initiatief_verwijderd").exists()


@pytest.mark.django_db
def test_delete_removes_the_initiative_and_logs_it(programma, wijkmanager):
    initiatief = add(programma, wijkmanager)
    versie = fresh_programma(programma).versie
    initiatief_verwijderen(initiatief=fresh(initiatief), user=wijkmanager, expected_versie=versie)
    assert not Initiatief.objects.exists()
    assert fresh_programma(programma).versie == versie + 1
    [entry] = log("cycle.initiatief_verwijderd")
    assert entry.data == {
        "product": "wijkprogramma",
        "versie": versie + 1,
        "initiatief": initiatief.pk,
        "titel": initiatief.titel,
    }
    # Gone already (another tab): said so, nothing else happens.
    with pytest.raises(TransitionError):
        initiatief_verwijderen(initiatief=initiatief, user=wijkmanager, expected_versie=versie + 1)


@pytest.mark.django_db
def test_an_agendapunt_of_another_cycle_is_refused(programma, wijkmanager, werkgebied, make_cycle):
    ander = make_cycle(werkgebied, jaar=2028, fase=Fase.PROGRAMMA)
    punt = agendapunt_voor(ander)
    versie = fresh_programma(programma).versie
    with pytest.raises(ValidationError) as fout:
        add(programma, wijkmanager, agendapunt=punt)
    assert "agendapunt" in fout.value.message_dict
    eigen = add(programma, wijkmanager)
    with pytest.raises(ValidationError) as fout:
        change(eigen, wijkmanager, agendapunt=punt)
    assert "agendapunt" in fout.value.message_dict
    assert fresh(eigen).agendapunt_id != punt.pk
    assert fresh_programma(programma).versie == versie + 1  # only the valid one


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("velden", "veld"),
    [
        # The owner: exactly one of a cluster, a partner, a residents' group.
        ({"cluster": None}, "cluster"),
        ({"bewonersgroep": "Buurtpreventie"}, "cluster"),
        ({"cluster": None, "bewonersgroep": "   "}, "cluster"),
        # The end before the start.
        ({"start": datetime.date(2027, 6, 1), "eind": datetime.date(2027, 5, 31)}, "eind"),
        # Money: where it comes from, never negative, a number.
        ({"bedrag": "2500"}, "financiering"),
        ({"bedrag": "-1", "financiering": "wijkbudget"}, "bedrag"),
        ({"bedrag": "veel", "financiering": "wijkbudget"}, "bedrag"),
        ({"bedrag": "1" * 20, "financiering": "wijkbudget"}, "bedrag"),
        ({"participatieniveau": "alles"}, "participatieniveau"),
        # Hostile lengths.
        ({"titel": "x" * 201}, "titel"),
        ({"titel": "   "}, "titel"),
        ({"beoogd_effect": "x" * 5001}, "beoogd_effect"),
        ({"trekker_naam": "x" * 151}, "trekker_naam"),
        ({"bijdragers": "x" * 301}, "bijdragers"),
        ({"succesindicator": "x" * 301}, "succesindicator"),
        ({"succesindicator": ""}, "succesindicator"),
    ],
)
def test_invalid_input_is_refused_per_field_and_saves_nothing(programma, wijkmanager, velden, veld):
    versie = fresh_programma(programma).versie
    with pytest.raises(ValidationError) as fout:
        add(programma, wijkmanager, **velden)
    assert veld in fout.value.message_dict, fout.value.message_dict
    assert not Initiatief.objects.exists()
    assert fresh_programma(programma).versie == versie
    assert not log("cycle.initiatief_toegevoegd").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bedrag", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999"])
def test_a_not_a_number_amount_is_refused(programma, wijkmanager, bedrag):
    with pytest.raises(ValidationError) as fout:
        add(programma, wijkmanager, bedrag=bedrag, financiering="wijkbudget")
    assert "bedrag" in fout.value.message_dict


@pytest.mark.django_db
def test_markup_is_kept_as_text_and_unknown_fields_are_a_programming_error(programma, wijkmanager):
    initiatief = add(programma, wijkmanager, titel="<script>alert(1)</script>")
    assert initiatief.titel == "<script>alert(1)</script>"  # escaped where it is shown
    with pytest.raises(TypeError):
        change(initiatief, wijkmanager, toezegging="toegezegd")


@pytest.mark.django_db
def test_only_who_drafts_the_programme_and_only_while_it_is_editable(
    programma, wijkmanager, accounthouder, stadsbeheer, ander_werkgebied
):
    vreemde = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    for user in (
        vreemde,
        accounthouder,
        user_with_role(Rol.WIJKRAADSLID, werkgebied=programma.cyclus.werkgebied),
    ):
        with pytest.raises(PermissionDenied):
            add(programma, user, cluster=stadsbeheer)
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    commit(initiatief, accounthouder)
    adopt(programma, wijkmanager)
    voor = snapshot(initiatief)
    with pytest.raises(TransitionError):
        add(programma, wijkmanager)
    with pytest.raises(TransitionError):
        change(initiatief, wijkmanager, titel="Anders")
    with pytest.raises(TransitionError):
        initiatief_verwijderen(
            initiatief=fresh(initiatief),
            user=wijkmanager,
            expected_versie=fresh_programma(programma).versie,
        )
    assert snapshot(initiatief) == voor


# ========================================================================== toezegging


@pytest.mark.django_db
def test_the_accounthouder_commits_and_both_versions_rise(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    programma_versie = fresh_programma(programma).versie
    initiatief_toezeggen(initiatief=initiatief, user=accounthouder, expected_versie=1)
    now = fresh(initiatief)
    assert now.toezegging == Toezegging.TOEGEZEGD
    assert now.toezegging_door == accounthouder and now.toezegging_op is not None
    assert now.versie == 2
    assert fresh_programma(programma).versie == programma_versie + 1
    [entry] = log("cycle.initiatief_toegezegd")
    assert entry.target == now and entry.actor_rol == Rol.ACCOUNTHOUDER
    assert entry.data == {"initiatief": now.pk, "van": "gevraagd", "naar": "toegezegd"}
    # Committing twice is refused as such.
    with pytest.raises(TransitionError):
        initiatief_toezeggen(initiatief=now, user=accounthouder, expected_versie=2)
    assert log("cycle.initiatief_toegezegd").count() == 1


@pytest.mark.django_db
def test_declining_needs_a_reason_and_can_be_answered_again(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    for reden in ("", "   \r\n  "):
        with pytest.raises(ValidationError) as fout:
            initiatief_afwijzen(
                initiatief=initiatief, user=accounthouder, expected_versie=1, reden=reden
            )
        assert "reden" in fout.value.message_dict
    with pytest.raises(ValidationError):
        initiatief_afwijzen(
            initiatief=initiatief, user=accounthouder, expected_versie=1, reden="x" * 3001
        )
    assert fresh(initiatief).toezegging == Toezegging.GEVRAAGD
    initiatief_afwijzen(
        initiatief=initiatief, user=accounthouder, expected_versie=1, reden="Niet dit jaar."
    )
    now = fresh(initiatief)
    assert (now.toezegging, now.toezegging_reden) == (Toezegging.AFGEWEZEN, "Niet dit jaar.")
    assert fresh_programma(programma).ontbreekt() == [
        "1 initiatief zonder toezegging van de eigenaar"
    ]
    with pytest.raises(TransitionError):
        initiatief_afwijzen(initiatief=now, user=accounthouder, expected_versie=2, reden="Nee.")
    # The owner may change their mind while the programme is drafted.
    commit(now, accounthouder)
    now = fresh(now)
    assert (now.toezegging, now.toezegging_reden) == (Toezegging.TOEGEZEGD, "")
    assert [
        e.data["naar"]
        for e in AuditEntry.objects.for_objects(now)
        .filter(action__in=["cycle.initiatief_afgewezen", "cycle.initiatief_toegezegd"])
        .order_by("pk")
    ] == ["afgewezen", "toegezegd"]


@pytest.mark.django_db
def test_a_stale_answer_changes_nothing(programma, wijkmanager, accounthouder, stadsbeheer):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    change(initiatief, wijkmanager, trekker_naam="Iemand anders")  # initiative now at 2
    voor = snapshot(initiatief)
    with pytest.raises(StaleStateError):
        initiatief_toezeggen(initiatief=initiatief, user=accounthouder, expected_versie=1)
    with pytest.raises(StaleStateError):
        initiatief_afwijzen(
            initiatief=initiatief, user=accounthouder, expected_versie=1, reden="Nee."
        )
    assert snapshot(initiatief) == voor
    assert not log("cycle.initiatief_toegezegd").exists()


@pytest.mark.django_db
def test_only_the_accounthouder_of_the_cluster_in_the_gebied_answers(
    programma, wijkmanager, stadsbeheer, ander_werkgebied, beheerder
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    gebied = programma.cyclus.werkgebied.gebied
    ander_cluster = Cluster.objects.exclude(pk=stadsbeheer.pk).first()
    verlopen = user_with_role(
        Rol.ACCOUNTHOUDER,
        cluster=stadsbeheer,
        gebied=gebied,
        geldig_vanaf=datetime.date(2020, 1, 1),
        geldig_tot=datetime.date(2021, 1, 1),
    )
    for user in (
        user_with_role(Rol.ACCOUNTHOUDER, cluster=ander_cluster, gebied=gebied),
        user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=ander_werkgebied.gebied),
        verlopen,
        # Who runs the cycle does not speak for a cluster.
        wijkmanager,
        beheerder,
    ):
        with pytest.raises(PermissionDenied):
            initiatief_toezeggen(initiatief=initiatief, user=user, expected_versie=1)
        with pytest.raises(PermissionDenied):
            initiatief_afwijzen(initiatief=initiatief, user=user, expected_versie=1, reden="Nee")
    assert snapshot(initiatief)["toezegging"] == Toezegging.GEVRAAGD
    assert not log("cycle.initiatief_toegezegd").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("eigenaar", ["partner", "bewonersgroep"])
def test_partners_and_residents_are_answered_for_by_who_runs_the_cycle(
    programma, wijkmanager, accounthouder, beheerder, eigenaar
):
    velden = (
        {"cluster": None, "partner": Partner.objects.order_by("pk").first()}
        if eigenaar == "partner"
        else {"cluster": None, "bewonersgroep": "Bewonersgroep Schone Straten"}
    )
    een = add(programma, wijkmanager, **velden)
    twee = add(programma, wijkmanager, **velden)
    with pytest.raises(PermissionDenied):
        initiatief_toezeggen(initiatief=een, user=accounthouder, expected_versie=1)
    initiatief_toezeggen(initiatief=een, user=wijkmanager, expected_versie=1)
    initiatief_afwijzen(initiatief=twee, user=beheerder, expected_versie=1, reden="Geen trekker.")
    assert fresh(een).toezegging == Toezegging.TOEGEZEGD
    assert fresh(twee).toezegging == Toezegging.AFGEWEZEN
    assert log("cycle.initiatief_toegezegd").get().actor_rol == Rol.WIJKMANAGER


@pytest.mark.django_db
def test_answers_only_while_the_programme_is_drafted(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    commit(initiatief, accounthouder)
    adopt(programma, wijkmanager)
    now = fresh(initiatief)
    with pytest.raises(PermissionDenied):
        initiatief_afwijzen(
            initiatief=now, user=accounthouder, expected_versie=now.versie, reden="Toch niet."
        )
    assert fresh(now).toezegging == Toezegging.TOEGEZEGD


@pytest.mark.django_db
def test_committing_names_the_trekker_and_may_link_their_account(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    zonder = add(programma, wijkmanager, cluster=stadsbeheer, trekker_naam="")
    assert fresh_programma(programma).ontbreekt() == [
        "1 initiatief zonder toezegging van de eigenaar",
        "1 initiatief zonder trekker",
    ]
    with pytest.raises(ValidationError) as fout:
        initiatief_toezeggen(initiatief=zonder, user=accounthouder, expected_versie=1)
    assert "trekker_naam" in fout.value.message_dict
    with pytest.raises(ValidationError) as fout:
        initiatief_toezeggen(
            initiatief=zonder,
            user=accounthouder,
            expected_versie=1,
            trekker_naam="Sanne Bakker",
            trekker_email="niemand@example.nl",
        )
    assert "trekker_email" in fout.value.message_dict
    trekker = UserFactory(email="sanne@example.nl")
    initiatief_toezeggen(
        initiatief=zonder,
        user=accounthouder,
        expected_versie=1,
        trekker_naam="  Sanne   Bakker ",
        trekker_email="SANNE@example.nl",
    )
    now = fresh(zonder)
    assert (now.trekker_naam, now.trekker) == ("Sanne Bakker", trekker)
    assert fresh_programma(programma).ontbreekt() == []


# ===================================================================== adoption check


@pytest.mark.django_db
def test_the_adoption_check_lists_exactly_what_is_missing(
    programma, wijkmanager, accounthouder, stadsbeheer
):
    # The plan's kaders are there: what blocks consultation below is the content alone.
    kaders_invullen(programma.cyclus)

    def vaststellen():
        return services.product_transition(
            product=fresh_programma(programma),
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )

    services.product_update(
        product=fresh_programma(programma),
        user=wijkmanager,
        expected_versie=fresh_programma(programma).versie,
        data={"toelichting": "De prioriteiten van de agenda, omgezet in acties."},
    )
    assert fresh_programma(programma).ontbreekt() == ["nog geen initiatieven"]
    with pytest.raises(TransitionError) as fout:
        vaststellen()
    assert "nog geen initiatieven" in fout.value.message

    een = add(programma, wijkmanager, cluster=stadsbeheer)
    twee = add(programma, wijkmanager, cluster=stadsbeheer)
    assert fresh_programma(programma).ontbreekt() == [
        "2 initiatieven zonder toezegging van de eigenaar"
    ]
    with pytest.raises(TransitionError) as fout:
        vaststellen()
    assert "2 initiatieven zonder toezegging van de eigenaar" in fout.value.message
    with pytest.raises(TransitionError):
        services.product_transition(
            product=fresh_programma(programma),
            user=wijkmanager,
            transition="ter_consultatie",
            expected_status=Productstatus.CONCEPT,
        )
    commit(een, accounthouder)
    commit(twee, accounthouder)
    # A trekker taken away afterwards (not committed to, so the owner is not asked again).
    change(twee, wijkmanager, trekker_naam="")
    assert fresh_programma(programma).ontbreekt() == ["1 initiatief zonder trekker"]
    with pytest.raises(TransitionError) as fout:
        vaststellen()
    assert "1 initiatief zonder trekker" in fout.value.message
    assert fresh_programma(programma).status == Productstatus.CONCEPT

    change(twee, wijkmanager, trekker_naam="Kees Kok")
    assert vaststellen().status == Productstatus.VASTGESTELD


# =========================================================================== execution


@pytest.fixture
def uitvoering(werkgebied, make_cycle, wijkmanager, accounthouder, stadsbeheer):
    """A cycle in uitvoering with three Stadsbeheer initiatives, committed by its
    accounthouder (the middle one with a trekker who has an account)."""
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    UserFactory(email="trekker@example.nl", naam="Tim Trekker")
    inis = []
    for n in range(3):
        initiatief = add(programma, wijkmanager, cluster=stadsbeheer, titel=f"Initiatief {n}")
        commit(initiatief, accounthouder, trekker_email="trekker@example.nl" if n == 1 else "")
        inis.append(initiatief)
    adopt(programma, wijkmanager)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_uitvoering",
        expected_fase="programma",
    )
    return [fresh(i) for i in inis]


def melden(user, initiatief, **velden):
    initiatief = fresh(initiatief)
    return voortgang_melden(
        user=user,
        update=Update(
            initiatief, initiatief.versie, tekst=velden.pop("tekst", "Bijgewerkt."), **velden
        ),
    )


# The portal's today (its time zone), as the services check dates.
VANDAAG = timezone.localdate
LATER = datetime.timedelta(days=30)
# (from, to, allowed): every pair of execution states.
ROUTES = [
    ("gepland", "in_uitvoering", True),
    ("gepland", "vertraagd", True),
    ("gepland", "gestopt", True),
    ("gepland", "gerealiseerd", False),
    ("in_uitvoering", "vertraagd", True),
    ("in_uitvoering", "gerealiseerd", True),
    ("in_uitvoering", "gestopt", True),
    ("in_uitvoering", "gepland", False),
    ("vertraagd", "in_uitvoering", True),
    ("vertraagd", "gerealiseerd", True),
    ("vertraagd", "gestopt", True),
    ("vertraagd", "gepland", False),
    ("gerealiseerd", "in_uitvoering", False),
    ("gerealiseerd", "vertraagd", False),
    ("gerealiseerd", "gestopt", False),
    ("gestopt", "in_uitvoering", False),
    ("gestopt", "gerealiseerd", False),
    ("gestopt", "vertraagd", False),
]
# How to get an initiative to each state from ``gepland``.
NAAR = {
    "gepland": [],
    "in_uitvoering": ["in_uitvoering"],
    "vertraagd": ["vertraagd"],
    "gerealiseerd": ["in_uitvoering", "gerealiseerd"],
    "gestopt": ["gestopt"],
}


def extra(status) -> dict:
    """What a status needs: an expected new end when delayed, a reason when stopped."""
    if status == "vertraagd":
        return {"verwacht_eind": VANDAAG() + LATER}
    if status == "gestopt":
        return {"stopreden": "De partner trekt zich terug."}
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize(("van", "naar", "mag"), ROUTES, ids=lambda x: str(x))
def test_every_status_change_allowed_or_refused(uitvoering, accounthouder, van, naar, mag):
    initiatief = uitvoering[0]
    for status in NAAR[van]:
        melden(accounthouder, initiatief, status=status, **extra(status))
    assert fresh(initiatief).status == van
    voor = snapshot(initiatief)
    aantal = Voortgang.objects.count()
    if mag:
        melden(accounthouder, initiatief, status=naar, **extra(naar))
        assert fresh(initiatief).status == naar
        assert Voortgang.objects.count() == aantal + 1
        assert log("cycle.voortgang_gemeld").last().data["status_gewijzigd"] is True
    else:
        with pytest.raises(ValidationError) as fout:
            melden(accounthouder, initiatief, status=naar, **extra(naar))
        assert "status" in fout.value.message_dict
        assert snapshot(initiatief) == voor
        assert Voortgang.objects.count() == aantal


@pytest.mark.django_db
def test_an_unknown_status_is_refused(uitvoering, accounthouder):
    with pytest.raises(ValidationError) as fout:
        melden(accounthouder, uitvoering[0], status="klaar-ish")
    assert "status" in fout.value.message_dict


@pytest.mark.django_db
def test_delayed_needs_a_date_from_today_and_stopped_a_reason(uitvoering, accounthouder):
    initiatief = uitvoering[0]
    melden(accounthouder, initiatief, status="in_uitvoering")
    for datum in (None, VANDAAG() - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as fout:
            melden(accounthouder, initiatief, status="vertraagd", verwacht_eind=datum)
        assert "verwacht_eind" in fout.value.message_dict
    for reden in ("", "  ", "x" * 3001):
        with pytest.raises(ValidationError) as fout:
            melden(accounthouder, initiatief, status="gestopt", stopreden=reden)
        assert "stopreden" in fout.value.message_dict
    assert fresh(initiatief).status == Uitvoeringsstatus.IN_UITVOERING
    melden(accounthouder, initiatief, status="vertraagd", verwacht_eind=VANDAAG())
    assert fresh(initiatief).verwacht_eind == VANDAAG()
    melden(accounthouder, initiatief, status="gestopt", stopreden="  Geen draagvlak. ")
    now = fresh(initiatief)
    assert (now.status, now.stopreden) == (Uitvoeringsstatus.GESTOPT, "Geen draagvlak.")


@pytest.mark.django_db
def test_realised_sets_the_progress_to_full(uitvoering, accounthouder):
    initiatief = uitvoering[0]
    melden(accounthouder, initiatief, status="in_uitvoering", percentage=40)
    assert fresh(initiatief).percentage == 40
    melden(accounthouder, initiatief, status="gerealiseerd")
    now = fresh(initiatief)
    assert (now.status, now.percentage) == (Uitvoeringsstatus.GEREALISEERD, 100)
    assert now.voortgang.first().percentage == 100
    assert now.laatste_update is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("velden", "veld"),
    [
        ({"tekst": ""}, "tekst"),
        ({"tekst": " \n "}, "tekst"),
        ({"tekst": "x" * 3001}, "tekst"),
        ({"percentage": 101}, "percentage"),
        ({"percentage": -1}, "percentage"),
        ({"mijlpaal": "x" * 201}, "mijlpaal"),
        ({"datum": "morgen"}, "datum"),
    ],
)
def test_an_update_is_checked_per_field(uitvoering, accounthouder, velden, veld):
    if velden.get("datum") == "morgen":
        velden = {"datum": VANDAAG() + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as fout:
        melden(accounthouder, uitvoering[0], status="in_uitvoering", **velden)
    assert veld in fout.value.message_dict
    assert not Voortgang.objects.exists()


@pytest.mark.django_db
def test_an_update_is_written_with_its_audit_entry(uitvoering, accounthouder):
    initiatief = uitvoering[0]
    voortgang = melden(
        accounthouder,
        initiatief,
        tekst="Eerste bijeenkomst geweest.",
        status="in_uitvoering",
        percentage=15,
        mijlpaal="Plan van aanpak klaar",
        datum=VANDAAG() - datetime.timedelta(days=3),
    )
    assert (voortgang.auteur, voortgang.status, voortgang.percentage) == (
        accounthouder,
        Uitvoeringsstatus.IN_UITVOERING,
        15,
    )
    assert voortgang.datum == VANDAAG() - datetime.timedelta(days=3)
    now = fresh(initiatief)
    assert now.versie == initiatief.versie + 1
    [entry] = log("cycle.voortgang_gemeld")
    assert entry.target == now and entry.actor_rol == Rol.ACCOUNTHOUDER
    assert entry.data == {
        "initiatief": now.pk,
        "voortgang": voortgang.pk,
        "status": "in_uitvoering",
        "status_gewijzigd": True,
        "percentage": 15,
    }
    # A stale form (the initiative changed since) saves nothing.
    with pytest.raises(StaleStateError):
        voortgang_melden(
            user=accounthouder, update=Update(now, initiatief.versie, tekst="Nog eens.")
        )
    assert Voortgang.objects.count() == 1


@pytest.mark.django_db
def test_the_trekker_reports_with_an_account_and_no_role(uitvoering):
    trekker = User.objects.get(email="trekker@example.nl")
    assert not trekker.rollen.exists()
    melden(trekker, uitvoering[1], status="in_uitvoering", percentage=5)
    assert fresh(uitvoering[1]).status == Uitvoeringsstatus.IN_UITVOERING
    assert log("cycle.voortgang_gemeld").get().actor == trekker
    # Not on someone else's initiative.
    with pytest.raises(PermissionDenied):
        melden(trekker, uitvoering[0], status="in_uitvoering")


@pytest.mark.django_db
def test_who_may_report_progress(uitvoering, roles, wijkmanager, beheerder):
    initiatief = uitvoering[0]
    mag = {"wijkmanager", "wijkmanager via gebied", "accounthouder", "beheerder"}
    for naam, (user, _runs) in roles.items():
        if user is None:
            continue
        if naam in mag:
            melden(user, initiatief, tekst=f"Door {naam}.")
        else:
            with pytest.raises(PermissionDenied):
                melden(user, initiatief, tekst=f"Door {naam}.")
    assert Voortgang.objects.count() == len(mag)


@pytest.mark.django_db
def test_progress_only_in_the_execution_year(
    werkgebied, make_cycle, wijkmanager, accounthouder, stadsbeheer
):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    initiatief = add(programma, wijkmanager, cluster=stadsbeheer)
    commit(initiatief, accounthouder)
    # Committed, but the programme is still being drafted.
    for user in (accounthouder, wijkmanager):
        with pytest.raises(PermissionDenied):
            melden(user, initiatief, status="in_uitvoering")
    adopt(programma, wijkmanager)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_uitvoering",
        expected_fase="programma",
    )
    melden(accounthouder, initiatief, status="in_uitvoering")
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_verantwoording",
        expected_fase="uitvoering",
        reden="Alle acties zijn uitgevoerd.",
    )
    with pytest.raises(PermissionDenied):
        melden(accounthouder, initiatief, status="gerealiseerd")
    assert Voortgang.objects.count() == 1


@pytest.mark.django_db
def test_progress_only_on_committed_initiatives(uitvoering, wijkmanager, stadsbeheer):
    """An initiative added while the published programme is corrected waits for its owner:
    nobody reports on it meanwhile."""
    programma = fresh_programma(uitvoering[0].wijkprogramma)
    programma = services.product_transition(
        product=programma,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
    services.product_transition(
        product=fresh_programma(programma),
        user=wijkmanager,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden="Een initiatief ontbrak.",
    )
    nieuw = add(programma, wijkmanager, cluster=stadsbeheer, titel="Vergeten initiatief")
    assert nieuw.toezegging == Toezegging.GEVRAAGD
    with pytest.raises(PermissionDenied):
        melden(wijkmanager, nieuw, status="in_uitvoering")
    assert not Voortgang.objects.exists()


# --------------------------------------------------------------------------------- bulk


@pytest.mark.django_db
def test_bulk_with_one_invalid_row_names_that_row_and_saves_nothing(uitvoering, accounthouder):
    een, twee, drie = uitvoering
    voor = [snapshot(i) for i in uitvoering]
    with pytest.raises(BulkFout) as fout:
        voortgang_bulk(
            user=accounthouder,
            updates=[
                Update(een, een.versie, tekst="Gestart.", status="in_uitvoering"),
                Update(twee, twee.versie, tekst="Klaar.", status="gerealiseerd"),  # from gepland
                Update(drie, drie.versie, tekst="Gestart.", status="in_uitvoering"),
            ],
        )
    assert set(fout.value.fouten) == {1}
    assert "status" in fout.value.fouten[1].message_dict
    assert [snapshot(i) for i in uitvoering] == voor
    assert not Voortgang.objects.exists()
    assert not log("cycle.voortgang_gemeld").exists()


@pytest.mark.django_db
def test_bulk_reports_a_stale_or_forbidden_row_by_its_index(
    uitvoering, accounthouder, stadsbeheer, wijkmanager
):
    een, twee, drie = uitvoering
    melden(accounthouder, twee, status="in_uitvoering")  # twee is now newer than the form
    with pytest.raises(BulkFout) as fout:
        voortgang_bulk(
            user=accounthouder,
            updates=[
                Update(een, een.versie, tekst="Gestart.", status="in_uitvoering"),
                Update(twee, twee.versie, tekst="Gestart.", status="in_uitvoering"),
                Update(drie, drie.versie, tekst="", status="in_uitvoering"),
            ],
        )
    assert set(fout.value.fouten) == {1, 2}
    assert isinstance(fout.value.fouten[1], StaleStateError)
    assert isinstance(fout.value.fouten[2], ValidationError)
    assert Voortgang.objects.count() == 1
    # Another cluster's accounthouder may not report on these at all.
    ander = user_with_role(
        Rol.ACCOUNTHOUDER,
        cluster=Cluster.objects.exclude(pk=stadsbeheer.pk).first(),
        gebied=een.wijkprogramma.cyclus.werkgebied.gebied,
    )
    with pytest.raises(BulkFout) as fout:
        voortgang_bulk(user=ander, updates=[Update(een, een.versie, tekst="Gestart.")])
    assert isinstance(fout.value.fouten[0], PermissionDenied)


@pytest.mark.django_db
def test_bulk_with_valid_rows_saves_them_all_with_one_update_each(uitvoering, accounthouder):
    een, twee, drie = uitvoering
    voortgang = voortgang_bulk(
        user=accounthouder,
        updates=[
            Update(drie, drie.versie, tekst="Gestart.", status="in_uitvoering", percentage=10),
            Update(
                een,
                een.versie,
                tekst="Wacht op de vergunning.",
                status="vertraagd",
                verwacht_eind=VANDAAG() + LATER,
            ),
            Update(
                twee,
                twee.versie,
                tekst="Partner haakt af.",
                status="gestopt",
                stopreden="De partner trekt zich terug.",
            ),
        ],
    )
    assert len(voortgang) == 3
    assert [fresh(i).status for i in uitvoering] == ["vertraagd", "gestopt", "in_uitvoering"]
    for initiatief in uitvoering:
        assert fresh(initiatief).voortgang.count() == 1
        assert fresh(initiatief).versie == initiatief.versie + 1
    entries = log("cycle.voortgang_gemeld")
    assert entries.count() == 3
    assert {int(e.object_id) for e in entries} == {i.pk for i in uitvoering}
    assert all(e.actor == accounthouder for e in entries)


# ---------------------------------------------------------------------------- knelpunten


@pytest.mark.django_db
def test_a_knelpunt_is_raised_by_who_is_involved_during_execution(uitvoering, roles):
    initiatief = uitvoering[0]
    mag = {
        "wijkmanager",
        "wijkmanager via gebied",
        "accounthouder",
        "wijkraadslid",
        "beheerder",
    }
    for naam, (user, _runs) in roles.items():
        if user is None:
            continue
        if naam in mag:
            knelpunt_melden(initiatief=initiatief, user=user, beschrijving=f"Vergunning ({naam}).")
        else:
            with pytest.raises(PermissionDenied):
                knelpunt_melden(initiatief=initiatief, user=user, beschrijving="Vergunning.")
    # The trekker too, without a role.
    trekker = User.objects.get(email="trekker@example.nl")
    knelpunt_melden(initiatief=uitvoering[1], user=trekker, beschrijving="Geen ruimte.")
    with pytest.raises(PermissionDenied):
        knelpunt_melden(initiatief=initiatief, user=trekker, beschrijving="Niet van mij.")
    assert Knelpunt.objects.count() == len(mag) + 1
    assert log("cycle.knelpunt_gemeld").count() == len(mag) + 1


@pytest.mark.django_db
def test_a_knelpunt_needs_a_description(uitvoering, accounthouder):
    for beschrijving in ("", "  \n ", "x" * 3001):
        with pytest.raises(ValidationError) as fout:
            knelpunt_melden(initiatief=uitvoering[0], user=accounthouder, beschrijving=beschrijving)
        assert "beschrijving" in fout.value.message_dict
    assert not Knelpunt.objects.exists()
    knelpunt = knelpunt_melden(
        initiatief=uitvoering[0], user=accounthouder, beschrijving=" De vergunning wacht. "
    )
    assert knelpunt.beschrijving == "De vergunning wacht." and knelpunt.is_open
    [entry] = log("cycle.knelpunt_gemeld")
    assert entry.target == knelpunt and entry.actor_rol == Rol.ACCOUNTHOUDER
    assert entry.data == {"initiatief": uitvoering[0].pk, "knelpunt": knelpunt.pk}


@pytest.mark.django_db
def test_a_knelpunt_is_resolved_once_with_a_note_by_who_runs_the_cycle(
    uitvoering, accounthouder, wijkmanager, roles
):
    knelpunt = knelpunt_melden(
        initiatief=uitvoering[0], user=accounthouder, beschrijving="De vergunning wacht."
    )
    for user, runs in roles.values():
        if user is not None and not runs:
            with pytest.raises(PermissionDenied):
                knelpunt_oplossen(knelpunt=knelpunt, user=user, oplossing="Opgelost.")
    for oplossing in ("", "   ", "x" * 3001):
        with pytest.raises(ValidationError) as fout:
            knelpunt_oplossen(knelpunt=knelpunt, user=wijkmanager, oplossing=oplossing)
        assert "oplossing" in fout.value.message_dict
    assert Knelpunt.objects.get().is_open
    knelpunt_oplossen(knelpunt=knelpunt, user=wijkmanager, oplossing="Met voorrang behandeld.")
    now = Knelpunt.objects.get()
    assert not now.is_open
    assert (now.oplossing, now.opgelost_door) == ("Met voorrang behandeld.", wijkmanager)
    with pytest.raises(TransitionError):
        knelpunt_oplossen(knelpunt=now, user=wijkmanager, oplossing="Nog eens.")
    [entry] = log("cycle.knelpunt_opgelost")
    assert entry.data == {"initiatief": uitvoering[0].pk, "knelpunt": now.pk}
    assert entry.actor_rol == Rol.WIJKMANAGER


@pytest.mark.django_db
def test_knelpunten_are_resolved_in_the_accounting_phase_but_not_after(
    uitvoering, accounthouder, wijkmanager
):
    een = knelpunt_melden(initiatief=uitvoering[0], user=accounthouder, beschrijving="Een.")
    twee = knelpunt_melden(initiatief=uitvoering[1], user=accounthouder, beschrijving="Twee.")
    cyclus = uitvoering[0].wijkprogramma.cyclus
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_verantwoording",
        expected_fase="uitvoering",
        reden="Alle acties zijn uitgevoerd.",
    )
    # No new ones once the execution year is over; open ones can still be closed.
    with pytest.raises(PermissionDenied):
        knelpunt_melden(initiatief=uitvoering[2], user=accounthouder, beschrijving="Drie.")
    knelpunt_oplossen(knelpunt=een, user=wijkmanager, oplossing="Opgelost.")
    Werkcyclus.objects.filter(pk=cyclus.pk).update(fase=Fase.AFGEROND)
    with pytest.raises(PermissionDenied):
        knelpunt_oplossen(knelpunt=twee, user=wijkmanager, oplossing="Te laat.")
    assert Knelpunt.objects.get(pk=twee.pk).is_open
