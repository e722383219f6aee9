"""The twelve-month report: how each initiative ends its year (realised, carried over into
next year's programme with one step, dropped with a reason), the wijkraad's judgement, and
the shares per programme and for the city, against hand-computed numbers."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cycle.models import (
    Afloop,
    Fase,
    Initiatief,
    Oordeel,
    Toezegging,
    Uitvoeringsstatus,
    Wijkprogramma,
)
from cycle.selectors_programma import wachtend_doorgeschoven
from cycle.selectors_verslag import (
    Telling,
    stadsoverzicht,
    telling,
    tellingen_per_cyclus,
    twaalfmaanden,
)
from cycle.services import TransitionError
from cycle.services_verslag import (
    afloop_vastleggen,
    doorgeschoven_overnemen,
    initiatief_doorschuiven,
    oordeel_geven,
)
from people.models import Rol
from tests.people.factories import user_with_role


def fresh(obj):
    return type(obj).objects.select_related("wijkprogramma__cyclus__werkgebied").get(pk=obj.pk)


@pytest.fixture
def verantwoording(werkgebied, make_cycle):
    """A cycle accounting for its year, with the initiatives of its programme."""
    cyclus = make_cycle(werkgebied, jaar=2026, fase=Fase.VERANTWOORDING, lopend=1)
    return Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)


def zet(initiatief, **velden):
    """Test data: an execution state set directly (the services are tested elsewhere)."""
    Initiatief.objects.filter(pk=initiatief.pk).update(**velden)
    return fresh(initiatief)


@pytest.mark.django_db
def test_the_shares_are_counted_from_the_initiatives(verantwoording, wijkmanager):
    """Eight initiatives: five realised, two carried over, one dropped; the wijkraad judged
    six realised. By hand: 62.5% / 25.0% / 12.5%, and 6/8 = 75.0% meets the target."""
    Initiatief.objects.filter(wijkprogramma=verantwoording).update(
        status=Uitvoeringsstatus.IN_UITVOERING, afloop=""
    )
    bestaand = list(verantwoording.initiatieven.all())
    sjabloon = bestaand[0]
    for n in range(8 - len(bestaand)):
        kopie = Initiatief.objects.get(pk=sjabloon.pk)
        kopie.pk = None
        kopie.titel = f"Extra {n}"
        kopie.save()
    rijen = list(verantwoording.initiatieven.order_by("pk"))
    assert len(rijen) == 8
    for i in rijen[:5]:
        zet(i, status=Uitvoeringsstatus.GEREALISEERD, afloop=Afloop.GEREALISEERD)
    for i in rijen[5:7]:
        zet(
            i,
            status=Uitvoeringsstatus.VERTRAAGD,
            verwacht_eind="2027-03-01",
            afloop=Afloop.DOORGESCHOVEN,
        )
    zet(rijen[7], status=Uitvoeringsstatus.GESTOPT, stopreden="Geen vergunning")
    for i in rijen[:6]:
        zet(i, oordeel=Oordeel.GEREALISEERD)
    zet(rijen[6], oordeel=Oordeel.DEELS)

    t = telling(verantwoording)
    assert (t.totaal, t.gerealiseerd, t.doorgeschoven, t.geschrapt, t.open) == (8, 5, 2, 1, 0)
    assert t.pct_gerealiseerd == Decimal("62.5")
    assert t.pct_doorgeschoven == Decimal("25.0")
    assert t.pct_geschrapt == Decimal("12.5")
    assert (t.beoordeeld, t.oordeel_gerealiseerd) == (7, 6)
    assert t.pct_oordeel_gerealiseerd == Decimal("75.0")
    assert t.haalt_streefwaarde is True

    # Two of the six judged realised are judged otherwise now: 4/8.
    zet(rijen[5], oordeel=Oordeel.NIET)
    zet(rijen[0], oordeel=Oordeel.DEELS)
    t = telling(verantwoording)
    assert t.pct_oordeel_gerealiseerd == Decimal("50.0")
    assert t.haalt_streefwaarde is False

    rapport = twaalfmaanden(verantwoording)
    assert [i.eindstand for i in rapport["initiatieven"]].count("gerealiseerd") == 5


@pytest.mark.django_db
def test_the_city_view_adds_up_the_werkgebieden(
    verantwoording, ander_werkgebied, make_cycle, django_assert_max_num_queries
):
    ander = make_cycle(ander_werkgebied, jaar=2026, fase=Fase.VERANTWOORDING, lopend=1)
    hier = list(verantwoording.initiatieven.order_by("pk"))
    daar = list(Initiatief.objects.filter(wijkprogramma__cyclus=ander).order_by("pk"))
    # Every initiative still running, then one realised here and one stopped there.
    Initiatief.objects.filter(pk__in=[i.pk for i in hier + daar]).update(
        status=Uitvoeringsstatus.IN_UITVOERING, afloop=""
    )
    zet(hier[0], status=Uitvoeringsstatus.GEREALISEERD)
    zet(daar[0], status=Uitvoeringsstatus.GESTOPT, stopreden="Budget op")
    with django_assert_max_num_queries(1):
        overzicht = stadsoverzicht(2026)
    per = {w["slug"]: w["telling"] for w in overzicht["werkgebieden"]}
    assert set(per) == {verantwoording.cyclus.werkgebied.slug, ander.werkgebied.slug}
    totaal = overzicht["totaal"]
    assert totaal.totaal == len(hier) + len(daar)
    assert totaal.gerealiseerd == 1
    assert totaal.geschrapt == 1
    assert totaal.open == len(hier) + len(daar) - 2
    assert stadsoverzicht(2031)["werkgebieden"] == []
    assert stadsoverzicht(2031)["totaal"].pct_gerealiseerd is None


@pytest.mark.django_db
def test_the_figures_of_many_cycles_are_those_of_each_report(
    verantwoording, ander_werkgebied, make_cycle, django_assert_num_queries
):
    ander = make_cycle(ander_werkgebied, jaar=2026, fase=Fase.VERANTWOORDING, lopend=1)
    hier = list(verantwoording.initiatieven.order_by("pk"))
    Initiatief.objects.filter(wijkprogramma__in=[verantwoording, ander.wijkprogramma]).update(
        status=Uitvoeringsstatus.IN_UITVOERING, afloop=""
    )
    # Realised by its status alone, and carried over by its recorded end.
    zet(hier[0], status=Uitvoeringsstatus.GEREALISEERD, oordeel=Oordeel.GEREALISEERD)
    zet(hier[1], afloop=Afloop.DOORGESCHOVEN)
    zonder = 999_999  # a cycle with no initiatives counts zero
    with django_assert_num_queries(1):
        per = tellingen_per_cyclus([verantwoording.cyclus_id, ander.pk, zonder])
    assert per[verantwoording.cyclus_id] == telling(verantwoording)
    assert per[ander.pk] == telling(ander.wijkprogramma)
    assert per[zonder] == Telling()
    t = per[verantwoording.cyclus_id]
    assert (t.totaal, t.gerealiseerd, t.doorgeschoven, t.oordeel_gerealiseerd) == (
        len(hier),
        1,
        1,
        1,
    )
    with django_assert_num_queries(0):
        assert tellingen_per_cyclus([]) == {}


@pytest.mark.django_db
def test_recording_the_end_of_the_year(verantwoording, wijkmanager, werkgebied):
    # The one still running when the year ended (the demo realised the others).
    i = verantwoording.initiatieven.exclude(status=Uitvoeringsstatus.GEREALISEERD).get()
    with pytest.raises(ValidationError) as fout:
        afloop_vastleggen(
            initiatief=i, user=wijkmanager, expected_versie=i.versie, afloop=Afloop.GEREALISEERD
        )
    assert "afloop" in fout.value.message_dict
    with pytest.raises(ValidationError) as fout:
        afloop_vastleggen(
            initiatief=i, user=wijkmanager, expected_versie=i.versie, afloop=Afloop.GESCHRAPT
        )
    assert "reden" in fout.value.message_dict
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    with pytest.raises(PermissionDenied):
        afloop_vastleggen(
            initiatief=i, user=lid, expected_versie=i.versie, afloop=Afloop.GESCHRAPT, reden="x"
        )
    i = afloop_vastleggen(
        initiatief=i,
        user=wijkmanager,
        expected_versie=i.versie,
        afloop=Afloop.GESCHRAPT,
        reden="De school deed niet mee.",
    )
    assert fresh(i).afloop == Afloop.GESCHRAPT
    assert fresh(i).afloop_reden == "De school deed niet mee."


@pytest.mark.django_db
def test_carrying_over_copies_it_into_next_years_programme(
    verantwoording, wijkmanager, werkgebied, make_cycle
):
    i = fresh(verantwoording.initiatieven.exclude(status=Uitvoeringsstatus.GEREALISEERD).get())
    volgend = make_cycle(werkgebied, jaar=2027, fase=Fase.PROGRAMMA)
    kopie = initiatief_doorschuiven(initiatief=i, user=wijkmanager, expected_versie=i.versie)
    kopie = Initiatief.objects.select_related("wijkprogramma__cyclus", "agendapunt").get(
        pk=kopie.pk
    )
    assert kopie.wijkprogramma.cyclus_id == volgend.pk
    assert kopie.agendapunt.wijkagenda.cyclus_id == volgend.pk
    assert kopie.agendapunt.thema_id == i.agendapunt.thema_id
    assert kopie.doorgeschoven_van_id == i.pk
    assert kopie.toezegging == Toezegging.GEVRAAGD
    assert kopie.status == Uitvoeringsstatus.GEPLAND
    assert (kopie.titel, kopie.trekker_naam) == (i.titel, i.trekker_naam)
    assert kopie.start.year == i.start.year + 1
    assert fresh(i).afloop == Afloop.DOORGESCHOVEN
    # Twice is refused: one copy only.
    with pytest.raises(TransitionError):
        initiatief_doorschuiven(initiatief=i, user=wijkmanager, expected_versie=fresh(i).versie)
    assert Initiatief.objects.filter(doorgeschoven_van=i).count() == 1


@pytest.mark.django_db
def test_the_wijkraad_judges(verantwoording, werkgebied, ander_werkgebied, wijkmanager):
    i = fresh(verantwoording.initiatieven.order_by("pk").first())
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    vreemd = user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied)
    for user in (vreemd, wijkmanager):
        with pytest.raises(PermissionDenied):
            oordeel_geven(
                initiatief=i, user=user, expected_versie=i.versie, oordeel=Oordeel.GEREALISEERD
            )
    with pytest.raises(ValidationError):
        oordeel_geven(initiatief=i, user=lid, expected_versie=i.versie, oordeel="prima")
    i = oordeel_geven(
        initiatief=i,
        user=lid,
        expected_versie=i.versie,
        oordeel=Oordeel.DEELS,
        toelichting="Twee van de drie straten.",
    )
    assert (fresh(i).oordeel, fresh(i).oordeel_door_id) == (Oordeel.DEELS, lid.pk)


@pytest.mark.django_db
def test_the_wijkverslag_waits_for_the_end_of_every_initiative(verantwoording, wijkmanager):
    from cycle.models import Wijkverslag

    verslag = Wijkverslag.objects.get(cyclus=verantwoording.cyclus)
    assert "1 initiatief waarvan de afloop nog niet is vastgelegd" in verslag.ontbreekt()
    lopend = verantwoording.initiatieven.exclude(status=Uitvoeringsstatus.GEREALISEERD).get()
    afloop_vastleggen(
        initiatief=lopend,
        user=wijkmanager,
        expected_versie=lopend.versie,
        afloop=Afloop.GESCHRAPT,
        reden="Opgelost door de corporatie.",
    )
    verslag = Wijkverslag.objects.get(pk=verslag.pk)
    assert not any("afloop" in regel for regel in verslag.ontbreekt())


@pytest.mark.django_db
def test_carried_over_without_a_programme_being_drafted_it_waits_and_is_taken_over(
    verantwoording, wijkmanager, werkgebied, ander_werkgebied, make_cycle
):
    """Delft's calendar: when the twelve-month report is written, next year's programme is
    adopted already. The initiative is carried over all the same, and the drafter of the
    next programme being drafted takes it over with one click."""
    i = fresh(verantwoording.initiatieven.exclude(status=Uitvoeringsstatus.GEREALISEERD).get())
    lopend = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    assert initiatief_doorschuiven(initiatief=i, user=wijkmanager, expected_versie=i.versie) is None
    i = fresh(i)
    assert i.afloop == Afloop.DOORGESCHOVEN
    assert not Initiatief.objects.filter(doorgeschoven_van=i).exists()
    # Not twice.
    with pytest.raises(TransitionError):
        initiatief_doorschuiven(initiatief=i, user=wijkmanager, expected_versie=i.versie)
    # It waits on the werkgebied's later programmes.
    assert list(wachtend_doorgeschoven(lopend.wijkprogramma)) == [i]
    with pytest.raises(TransitionError):
        # The programme in execution cannot take it.
        doorgeschoven_overnemen(
            initiatief=i,
            programma=lopend.wijkprogramma,
            user=wijkmanager,
            expected_versie=lopend.wijkprogramma.versie,
            agendapunt=lopend.wijkagenda.agendapunten.first(),
        )
    later = make_cycle(werkgebied, jaar=2028, fase=Fase.PROGRAMMA)
    programma = Wijkprogramma.objects.select_related("cyclus").get(cyclus=later)
    assert list(wachtend_doorgeschoven(programma)) == [i]
    elders = make_cycle(ander_werkgebied, jaar=2028, fase=Fase.PROGRAMMA)
    elders_programma = Wijkprogramma.objects.select_related("cyclus").get(cyclus=elders)
    assert list(wachtend_doorgeschoven(elders_programma)) == []
    vreemde = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    punt = later.wijkagenda.agendapunten.order_by("rang").first()
    # The wijkmanager of another werkgebied, or into that werkgebied's programme: refused.
    with pytest.raises(PermissionDenied):
        doorgeschoven_overnemen(
            initiatief=i,
            programma=programma,
            user=vreemde,
            expected_versie=programma.versie,
            agendapunt=punt,
        )
    with pytest.raises(TransitionError):
        doorgeschoven_overnemen(
            initiatief=i,
            programma=elders_programma,
            user=vreemde,
            expected_versie=elders_programma.versie,
            agendapunt=elders.wijkagenda.agendapunten.first(),
        )
    # An agendapunt of another cycle is refused next to the field.
    with pytest.raises(ValidationError) as fout:
        doorgeschoven_overnemen(
            initiatief=i,
            programma=programma,
            user=wijkmanager,
            expected_versie=programma.versie,
            agendapunt=lopend.wijkagenda.agendapunten.first(),
        )
    assert "agendapunt" in fout.value.message_dict
    kopie = doorgeschoven_overnemen(
        initiatief=i,
        programma=programma,
        user=wijkmanager,
        expected_versie=programma.versie,
        agendapunt=punt,
    )
    kopie = Initiatief.objects.select_related("wijkprogramma").get(pk=kopie.pk)
    assert kopie.wijkprogramma_id == programma.pk
    assert kopie.doorgeschoven_van_id == i.pk
    assert kopie.toezegging == Toezegging.GEVRAAGD
    # Two years on, its dates moved along.
    assert kopie.start.year == i.start.year + 2
    assert list(wachtend_doorgeschoven(programma)) == []
    # A stale page of the programme or a second click changes nothing.
    with pytest.raises(TransitionError):
        doorgeschoven_overnemen(
            initiatief=i,
            programma=programma,
            user=wijkmanager,
            expected_versie=fresh_programma(programma).versie,
            agendapunt=punt,
        )
    assert Initiatief.objects.filter(doorgeschoven_van=i).count() == 1
    # Once copied, its end can no longer change.
    with pytest.raises(TransitionError):
        afloop_vastleggen(
            initiatief=i,
            user=wijkmanager,
            expected_versie=fresh(i).versie,
            afloop=Afloop.GESCHRAPT,
            reden="toch niet",
        )


def fresh_programma(programma):
    return Wijkprogramma.objects.get(pk=programma.pk)
