"""The content of the generated wijkanalyses and wijkagenda's (cycle/scale_inhoud.py): the
checklist, the analysis per theme, the agendapunten, the beleidssignalen and the comments obey
what the services and the database hold the portal to, and what the log says happened."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEntry
from cycle import scale
from cycle.models import (
    FASE_VOLGORDE,
    Agendapunt,
    Beleidssignaal,
    ChecklistAntwoord,
    ChecklistInvulling,
    Fase,
    Opmerking,
    Productstatus,
    Signaalstatus,
    ThemaAnalyse,
    Werkcyclus,
    Wijkagenda,
    Wijkanalyse,
)
from people.models import Rol, Roltoewijzing
from tests.scale import cycle_steps

TODAY = datetime.date(2026, 11, 2)
CITY = {"seed": 11, "until_year": 2027, "today": TODAY}
SMALL = {"years": 3, "factor": 1, "werkgebieden": 10}
KLAAR = (Productstatus.VASTGESTELD, Productstatus.GEPUBLICEERD)
# Drafted far enough to be complete: in consultation or adopted.
COMPLEET = (Productstatus.CONSULTATIE, *KLAAR)


def local(moment) -> datetime.date:
    return timezone.localtime(moment).date()


@pytest.fixture
def stad(rotterdam):
    return scale.generate(steps=cycle_steps(), **SMALL, **CITY)


class Rollen:
    """Who held which role where, on a day (from the role assignments as stored)."""

    def __init__(self):
        self.per_user = defaultdict(list)
        for a in Roltoewijzing.objects.all():
            self.per_user[a.user_id].append(a)

    def held(self, user_id, rol, werkgebied, day, cluster_id=None) -> bool:
        for a in self.per_user[user_id]:
            if a.rol != rol or a.geldig_vanaf > day or (a.geldig_tot and a.geldig_tot < day):
                continue
            if cluster_id is not None and a.cluster_id != cluster_id:
                continue
            if a.werkgebied_id == werkgebied.pk or a.gebied_id == werkgebied.gebied_id:
                return True
        return False


def entries(model, action) -> dict[int, list[AuditEntry]]:
    found = defaultdict(list)
    content_type = ContentType.objects.get_for_model(model)
    for entry in AuditEntry.objects.filter(content_type=content_type, action=action).order_by(
        "timestamp", "pk"
    ):
        found[int(entry.object_id)].append(entry)
    return found


@pytest.mark.django_db
def test_every_cycle_has_its_checklist_answered_by_who_holds_the_role(stad):
    """About thirty checklists per cycle while the analysis was open, each by someone who
    held that role for the werkgebied that day, each answering some of the forty questions."""
    rollen = Rollen()
    logged = entries(ChecklistInvulling, "cycle.checklist_ingevuld")
    per_analyse = Counter()
    respondenten = Counter()
    for invulling in ChecklistInvulling.objects.select_related(
        "wijkanalyse__cyclus__werkgebied"
    ).prefetch_related("antwoorden"):
        analyse = invulling.wijkanalyse
        cyclus = analyse.cyclus
        per_analyse[analyse.pk] += 1
        respondenten[invulling.respondent] += 1
        day = local(invulling.ingediend_op)
        assert rollen.held(invulling.user_id, invulling.respondent, cyclus.werkgebied, day)
        # Open from the cycle's start until the analysis was adopted, never after today.
        assert cyclus.aangemaakt_op <= invulling.ingediend_op
        assert day < TODAY
        if analyse.vastgesteld_op:
            assert invulling.ingediend_op < analyse.vastgesteld_op
        else:
            assert cyclus.fase == Fase.ANALYSE
        antwoorden = list(invulling.antwoorden.all())
        assert 1 <= len(antwoorden) <= 40
        assert len({a.vraag_id for a in antwoorden}) == len(antwoorden)
        assert all(20 <= len(a.tekst) <= 400 for a in antwoorden)
        [entry] = logged[invulling.pk]
        assert entry.actor_id == invulling.user_id and entry.actor_rol == invulling.respondent
        assert entry.timestamp == invulling.ingediend_op
        assert entry.data["aantal"] == entry.data["nieuw"] == len(antwoorden)
        assert entry.data["wijkanalyse"] == analyse.pk and entry.data["versie"] == 1
    for analyse in Wijkanalyse.objects.all():
        if analyse.status in COMPLEET:
            assert 24 <= per_analyse[analyse.pk] <= 36, analyse
        else:
            assert 1 <= per_analyse[analyse.pk] <= 36, analyse
    # Mostly residents, and every kind of respondent.
    assert respondenten[Rol.BEWONER] > 0.6 * sum(respondenten.values())
    assert set(respondenten) == {
        Rol.BEWONER,
        Rol.WIJKRAADSLID,
        Rol.ACCOUNTHOUDER,
        Rol.WIJKMANAGER,
    }


@pytest.mark.django_db
def test_analyses_have_themes_with_evidence_quoted_from_their_own_checklist(stad):
    citaat_log = entries(Wijkanalyse, "cycle.citaat")
    ingediend = dict(ChecklistAntwoord.objects.values_list("pk", "invulling__ingediend_op"))
    for analyse in Wijkanalyse.objects.select_related("cyclus"):
        themas = list(analyse.themas.prefetch_related("citaten__invulling"))
        if analyse.status in COMPLEET:
            assert 3 <= len(themas) <= 7, analyse
            assert analyse.ontbreekt() == [], analyse
            assert all(t.sterktes and t.problemen for t in themas)
        else:
            assert len(themas) <= 5
        for thema in themas:
            for antwoord in thema.citaten.all():
                assert antwoord.invulling.wijkanalyse_id == analyse.pk
        # Each quote came after the answer it quotes was given.
        for entry in citaat_log[analyse.pk]:
            assert ingediend[entry.data["antwoord"]] < entry.timestamp
    assert ThemaAnalyse.citaten.through.objects.exists()
    # Concepts may be unfinished.
    assert any(a.ontbreekt() for a in Wijkanalyse.objects.filter(status=Productstatus.CONCEPT)), (
        "no concept analysis is unfinished"
    )


@pytest.mark.django_db
def test_agendas_have_ranked_points_with_theme_and_evidence_of_the_same_cycle(stad):
    punten_per_agenda = defaultdict(list)
    for punt in Agendapunt.objects.select_related("wijkagenda__cyclus").prefetch_related(
        "themaanalyses__wijkanalyse", "citaten__invulling__wijkanalyse", "wijken"
    ):
        punten_per_agenda[punt.wijkagenda_id].append(punt)
        cyclus_id = punt.wijkagenda.cyclus_id
        assert punt.collectief
        assert all(t.wijkanalyse.cyclus_id == cyclus_id for t in punt.themaanalyses.all())
        assert all(a.invulling.wijkanalyse.cyclus_id == cyclus_id for a in punt.citaten.all())
        werkgebied_id = punt.wijkagenda.cyclus.werkgebied_id
        assert all(w.werkgebied_id == werkgebied_id for w in punt.wijken.all())
    met_wijken = Agendapunt.wijken.through.objects.values("agendapunt").distinct().count()
    assert 0 < met_wijken < Agendapunt.objects.count()

    for agenda in Wijkagenda.objects.select_related("cyclus"):
        punten = punten_per_agenda[agenda.pk]
        bereikt = FASE_VOLGORDE[agenda.cyclus.fase] >= FASE_VOLGORDE[Fase.AGENDA]
        if not bereikt:
            assert punten == [] and not agenda.beleidssignalen.exists()
            continue
        # Ranks 1..n without gaps.
        assert sorted(p.rang for p in punten) == list(range(1, len(punten) + 1)), agenda
        if agenda.status in COMPLEET:
            assert 5 <= len(punten) <= 12, agenda
            assert agenda.ontbreekt() == [], agenda
        else:
            assert 2 <= len(punten) <= 10
        assert 1 <= agenda.beleidssignalen.count() <= 4

    # Logged as the service logs them: one entry per point, with its rank and title, at
    # the moment of a version of the agenda.
    logged = entries(Agendapunt, "cycle.agendapunt_toegevoegd")
    for punten in punten_per_agenda.values():
        for punt in punten:
            [entry] = logged[punt.pk]
            assert entry.data["rang"] == punt.rang and entry.data["titel"] == punt.titel


@pytest.mark.django_db
def test_beleidssignalen_are_addressed_once_and_answered_by_who_may(stad):
    rollen = Rollen()
    in_behandeling = entries(Beleidssignaal, "cycle.beleidssignaal_in_behandeling")
    beantwoord = entries(Beleidssignaal, "cycle.beleidssignaal_beantwoord")
    toegevoegd = entries(Beleidssignaal, "cycle.beleidssignaal_toegevoegd")
    statussen = Counter()
    adressen = Counter()
    for signaal in Beleidssignaal.objects.select_related(
        "wijkagenda__cyclus__werkgebied", "cluster", "partner"
    ):
        statussen[signaal.status] += 1
        assert (signaal.cluster_id is None) != (signaal.partner_id is None)
        adressen["cluster" if signaal.cluster_id else "partner"] += 1
        [nieuw] = toegevoegd[signaal.pk]
        assert nieuw.timestamp == signaal.aangemaakt_op
        assert nieuw.data["aan"] == str(signaal.geadresseerde)
        stappen = in_behandeling[signaal.pk] + beantwoord[signaal.pk]
        assert signaal.versie == 1 + len(stappen)
        werkgebied = signaal.wijkagenda.cyclus.werkgebied
        for entry in stappen:
            assert entry.timestamp > signaal.aangemaakt_op
            assert local(entry.timestamp) < TODAY
            day = local(entry.timestamp)
            if signaal.cluster_id:
                assert entry.actor_rol == Rol.ACCOUNTHOUDER
                assert rollen.held(
                    entry.actor_id, Rol.ACCOUNTHOUDER, werkgebied, day, signaal.cluster_id
                )
            else:
                assert rollen.held(entry.actor_id, Rol.WIJKMANAGER, werkgebied, day)
        if signaal.status == Signaalstatus.BEANTWOORD:
            [antwoord] = beantwoord[signaal.pk]
            assert signaal.antwoord
            assert signaal.beantwoord_door_id == antwoord.actor_id
            assert signaal.beantwoord_op == antwoord.timestamp
            # Answered once the agenda was adopted.
            assert signaal.wijkagenda.vastgesteld_op < signaal.beantwoord_op
        else:
            assert not beantwoord[signaal.pk]
            assert signaal.antwoord == "" and signaal.beantwoord_door_id is None
            assert signaal.beantwoord_op is None
            assert (signaal.status == Signaalstatus.IN_BEHANDELING) == bool(
                in_behandeling[signaal.pk]
            )
    assert set(statussen) == set(Signaalstatus.values)
    assert adressen["cluster"] > adressen["partner"] > 0


@pytest.mark.django_db
def test_comments_were_made_by_wijkraadsleden_while_the_product_was_drafted(stad):
    rollen = Rollen()
    logged = {e.data["opmerking"]: e for e in AuditEntry.objects.filter(action="cycle.opmerking")}
    opmerkingen = list(Opmerking.objects.select_related("cyclus__werkgebied"))
    assert opmerkingen
    for opmerking in opmerkingen:
        cyclus = opmerking.cyclus
        product = getattr(cyclus, opmerking.soort)
        day = local(opmerking.aangemaakt_op)
        assert rollen.held(opmerking.auteur_id, Rol.WIJKRAADSLID, cyclus.werkgebied, day)
        assert opmerking.auteur_rol == Rol.WIJKRAADSLID
        if product.vastgesteld_op:
            assert opmerking.aangemaakt_op < product.vastgesteld_op
        assert day < TODAY
        entry = logged[opmerking.pk]
        assert entry.actor_id == opmerking.auteur_id
        assert entry.timestamp == opmerking.aangemaakt_op
        assert entry.object_id == str(product.pk)


def inhoud() -> dict:
    """What a reader sees of the content: the themes' texts and the agenda's points and
    signals, per cycle."""
    result = defaultdict(dict)
    for t in ThemaAnalyse.objects.select_related("wijkanalyse__cyclus__werkgebied", "thema"):
        cyclus = t.wijkanalyse.cyclus
        result[(cyclus.werkgebied.slug, cyclus.jaar)][t.thema.slug] = (
            t.sterktes,
            t.problemen,
            t.kansen,
            t.onderbouwing,
        )
    for p in Agendapunt.objects.select_related("wijkagenda__cyclus__werkgebied"):
        cyclus = p.wijkagenda.cyclus
        result[(cyclus.werkgebied.slug, cyclus.jaar)][p.rang] = (p.titel, p.probleem, p.thema_id)
    for s in Beleidssignaal.objects.select_related("wijkagenda__cyclus__werkgebied"):
        cyclus = s.wijkagenda.cyclus
        result[(cyclus.werkgebied.slug, cyclus.jaar)][s.titel] = (s.cluster_id, s.partner_id)
    return dict(result)


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_content_at_any_factor(rotterdam):
    small = {"years": 2, "werkgebieden": 4, **CITY}
    scale.generate(steps=cycle_steps(), factor=1, **small)
    first = inhoud()
    assert first
    invullingen = ChecklistInvulling.objects.count()
    scale.generate(steps=cycle_steps(), factor=2, replace=True, **small)
    assert inhoud() == first
    assert ChecklistInvulling.objects.count() == invullingen
    scale.generate(steps=cycle_steps(), factor=1, replace=True, **{**small, "seed": 12})
    assert inhoud() != first
    # Replacing took the content's log with it.
    assert not AuditEntry.objects.filter(
        action="cycle.checklist_ingevuld", actor__isnull=True
    ).exists()
    assert AuditEntry.objects.filter(action="cycle.checklist_ingevuld").count() == (
        ChecklistInvulling.objects.count()
    )


@pytest.mark.django_db
def test_a_generated_analysis_and_agenda_work_with_the_content_services(stad):
    """Taken further by the services from where the generator left them: the versions and
    ranks are what the edit guard and the renumbering expect."""
    from cycle import services_agenda, services_analyse
    from cycle.models import Wijkthema
    from people.models import User

    cyclus = (
        Werkcyclus.objects.filter(fase=Fase.AGENDA, wijkagenda__status=Productstatus.CONCEPT)
        .select_related("werkgebied", "wijkagenda", "wijkanalyse")
        .first()
    )
    assert cyclus is not None
    wijkmanager = User.objects.get(
        rollen__in=Roltoewijzing.objects.active().filter(
            rol=Rol.WIJKMANAGER, werkgebied=cyclus.werkgebied
        )[:1]
    )
    agenda = cyclus.wijkagenda
    n = agenda.agendapunten.count()
    thema_analyse = cyclus.wijkanalyse.themas.first()
    punt = services_agenda.agendapunt_create(
        wijkagenda=agenda,
        user=wijkmanager,
        expected_versie=agenda.versie,
        titel="Bankjes op het plein",
        probleem="Ouderen kunnen nergens zitten.",
        thema=thema_analyse.thema,
        themaanalyses=[thema_analyse],
        collectief=True,
    )
    assert punt.rang == n + 1
    agenda.refresh_from_db()
    services_agenda.agendapunt_move(
        agendapunt=punt, user=wijkmanager, expected_versie=agenda.versie, richting="op"
    )
    assert Agendapunt.objects.get(pk=punt.pk).rang == n
    assert sorted(agenda.agendapunten.values_list("rang", flat=True)) == list(range(1, n + 2))

    analyse = (
        Wijkanalyse.objects.filter(
            status=Productstatus.CONCEPT, cyclus__fase=Fase.ANALYSE, checklists__isnull=False
        )
        .select_related("cyclus__werkgebied")
        .distinct()
        .first()
    )
    manager = User.objects.get(
        rollen__in=Roltoewijzing.objects.active().filter(
            rol=Rol.WIJKMANAGER, werkgebied=analyse.cyclus.werkgebied
        )[:1]
    )
    antwoord = ChecklistAntwoord.objects.filter(invulling__wijkanalyse=analyse).first()
    versie = analyse.versie
    services_analyse.citaat_toevoegen(
        wijkanalyse=analyse,
        user=manager,
        expected_versie=versie,
        antwoord=antwoord,
        thema=Wijkthema.objects.get(slug="schoon"),
    )
    analyse.refresh_from_db()
    assert analyse.versie == versie + 1


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (content types), as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_analysis_agenda_and_checklist_pages_cost_the_same_whatever_their_content(stad, settings):
    """Three themes or seven, five points or twelve, six checklists or thirty-six: each page
    costs the same number of queries for every generated cycle."""
    from django.test import Client

    from people.models import User

    settings.PAGE_CACHE_SECONDS = 0  # measure the page, not the cache of anonymous pages
    anoniem = Client()
    publiek = defaultdict(set)
    for model in (Wijkanalyse, Wijkagenda):
        producten = list(
            model.objects.filter(status=Productstatus.GEPUBLICEERD).select_related(
                "cyclus__werkgebied"
            )
        )
        assert len(producten) >= 5
        for product in producten:
            publiek[model.SOORT].add(_queries(anoniem, product.get_absolute_url()))
    assert {soort: len(counts) for soort, counts in publiek.items()} == {
        "wijkanalyse": 1,
        "wijkagenda": 1,
    }, publiek

    # As a wijkmanager of the werkgebied: the analyses of the cycles in the analysis phase
    # and their checklists (per status: a concept shows its edit forms).
    bewerkt, antwoorden = defaultdict(set), defaultdict(set)
    sizes = set()
    for analyse in Wijkanalyse.objects.filter(cyclus__fase=Fase.ANALYSE).select_related(
        "cyclus__werkgebied"
    ):
        cyclus = analyse.cyclus
        manager = (
            User.objects.filter(
                rollen__in=Roltoewijzing.objects.active().filter(
                    rol=Rol.WIJKMANAGER, werkgebied=cyclus.werkgebied
                )
            )
            .order_by("pk")
            .first()
        )
        client = Client()
        client.force_login(manager)
        bewerkt[analyse.status].add(_queries(client, analyse.get_absolute_url()))
        url = f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/checklist/antwoorden/"
        antwoorden[analyse.status].add(_queries(client, url))
        sizes.add((analyse.themas.count(), analyse.checklists.count()))
    assert len(sizes) >= 2, sizes
    assert all(len(counts) == 1 for counts in bewerkt.values()), bewerkt
    assert all(len(counts) == 1 for counts in antwoorden.values()), antwoorden
